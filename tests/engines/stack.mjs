// The stack under test, for the engine scenarios: events generated from topic patterns, the API
// Gateway side (route selection, mapping templates rendered by airspeed-ext, integrations) in front
// of an AwsWorld (sfn/services.mjs), and what the scenarios read back (deliveries, records, IAM).

import assert from 'node:assert/strict';
import { walkStates, loadDefinition } from './sfn/harness.mjs';
import { AwsWorld } from './sfn/services.mjs';
import { testEventPattern } from './sfn/pattern-rust.mjs';
import { VtlRenderer } from './vtl/render.mjs';

export const vtl = new VtlRenderer();

export const j = (v, n = 300) => {
  const s = JSON.stringify(v);
  return s && s.length > n ? s.slice(0, n) + '…' : s;
};

// ---------------------------------------------------------------------------- event generation

export const OMIT = Symbol('omit');

/** A value satisfying one of the matchers of a pattern field, or OMIT (exists:false). */
export function exampleValue(matchers) {
  for (const m of matchers) {
    if (m === null || typeof m !== 'object') return m;
    const [op] = Object.keys(m);
    const a = m[op];
    switch (op) {
      case 'prefix':
        return (typeof a === 'object' ? a['equals-ignore-case'] : a) + 'x1';
      case 'suffix':
        return 'x1' + (typeof a === 'object' ? a['equals-ignore-case'] : a);
      case 'equals-ignore-case':
        return a;
      case 'wildcard':
        return a.replace(/\\\*/g, '\u0000').replace(/\*/g, 'x').replace(/\u0000/g, '*');
      case 'exists':
        return a ? 'present' : OMIT;
      case 'cidr':
        return a.split('/')[0];
      case 'numeric': {
        let lo = -Infinity;
        let hi = Infinity;
        for (let i = 0; i < a.length; i += 2) {
          const [o, n] = [a[i], a[i + 1]];
          if (o === '=') return n;
          if (o === '>') lo = Math.max(lo, n + 1e-3);
          if (o === '>=') lo = Math.max(lo, n);
          if (o === '<') hi = Math.min(hi, n - 1e-3);
          if (o === '<=') hi = Math.min(hi, n);
        }
        if (lo === -Infinity) return hi === Infinity ? 0 : Math.floor(hi) - 1;
        return hi === Infinity ? Math.ceil(lo) + 1 : (lo + hi) / 2;
      }
      case 'anything-but':
        return typeof a === 'number' || (Array.isArray(a) && typeof a[0] === 'number') ? 987654321 : 'zz-engines-other';
      default:
        break;
    }
  }
  return 'unmatched';
}

export function exampleObject(pattern, out = {}, prefix = []) {
  for (const [k, v] of Object.entries(pattern)) {
    if (k === '$or') exampleObject(v[0], out, prefix);
    else if (!Array.isArray(v)) exampleObject(v, out, [...prefix, ...k.split('.')]);
    else {
      const x = exampleValue(v);
      if (x === OMIT) continue;
      const parts = [...prefix, ...k.split('.')];
      let cur = out;
      for (const p of parts.slice(0, -1)) cur = cur[p] && typeof cur[p] === 'object' ? cur[p] : (cur[p] = {});
      cur[parts[parts.length - 1]] = x;
    }
  }
  return out;
}

let eventCounter = 0;
/** A fresh event id. */
export const nextEventId = (series = 8) => `00000000-0000-4000-${series}000-${String(++eventCounter).padStart(12, '0')}`;

/** An event that matches `pattern` (checked with the matcher), or null. */
export function eventMatching(pattern) {
  const fields = exampleObject(pattern);
  const e = { version: '0', id: nextEventId(), 'detail-type': 'EnginesTest', source: 'engines.test', account: '123456789012', time: '2024-05-01T12:00:00Z', region: 'us-east-1', resources: [], ...fields, detail: { ...fields.detail } };
  return testEventPattern(JSON.stringify(pattern), JSON.stringify(e)) ? e : null;
}

// ---------------------------------------------------------------------------- the stack

/**
 * How late a DynamoDB write reaches the topic index in the stacks under test (ms of the world's
 * virtual clock). DynamoDB's global secondary indexes are eventually consistent, "typically within
 * a second" (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html#GSI.Reads):
 * a subscription is seen by delivery that long after it was stored, and an unsubscribe or a
 * disconnect likewise. ENGINES_INDEX_LAG_MS sets another lag (0: none).
 */
export const INDEX_LAG_MS = Number(process.env.ENGINES_INDEX_LAG_MS ?? 1000);

/** Virtual time one client request takes (API Gateway, the mapping template, the execution). */
const REQUEST_MS = 50;

/** The API Gateway side (route selection, mapping templates, integrations) in front of an AwsWorld. */
export class Stack {
  constructor(model, iam, { indexLagMs = INDEX_LAG_MS } = {}) {
    this.model = model;
    const machines = Object.fromEntries(Object.values(model.stateMachines).map((m) => [m.arn, { name: m.name, type: m.type, role: m.role, definition: m.definitionText, substitutions: m.substitutions }]));
    this.world = new AwsWorld({ tables: model.tables, machines, rules: model.rules, eventBuses: model.eventBuses, iam, indexLagMs, clock: 1714564800000 });
    this.replies = [];
    this.connectedAt = new Map(); // connection id -> epoch ms of its $connect
    this.selector = /^\$request\.body\.([A-Za-z0-9_-]+)$/.exec(model.api?.routeSelectionExpression ?? '')?.[1] ?? null;
    this.table = Object.keys(model.tables)[0];
    this.busName = model.rules[0]?.eventBusName ?? 'default';
  }

  route(key) {
    return this.model.routes.find((r) => r.routeKey === key);
  }

  connect(id) {
    return this.invoke(this.route('$connect'), id, '', 'CONNECT');
  }

  disconnect(id) {
    return this.invoke(this.route('$disconnect'), id, '', 'DISCONNECT');
  }

  message(id, body) {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    let parsed;
    try {
      parsed = JSON.parse(text);
    } catch {}
    const key = parsed && typeof parsed === 'object' && this.selector ? parsed[this.selector] : undefined;
    const route = (typeof key === 'string' && !key.startsWith('$') && this.route(key)) || this.route('$default');
    assert(route, `no route for message ${j(body)}`);
    return this.invoke(route, id, text, 'MESSAGE');
  }

  async invoke(route, connectionId, text, eventType) {
    assert(route, `route missing for ${eventType}`);
    this.world.advance(REQUEST_MS);
    // API Gateway's $context.connectedAt: when the connection opened ($connect), on every message.
    if (eventType === 'CONNECT') this.connectedAt.set(connectionId, this.world.clock);
    const connectedAt = this.connectedAt.get(connectionId) ?? this.world.clock;
    const context = { connectionId, routeKey: route.routeKey, eventType, requestTimeEpoch: this.world.clock, connectedAt, stage: this.model.api?.stage, apiId: this.model.api?.id };
    const r = await vtl.render({ template: route.requestTemplate, body: text, context, stageVariables: this.model.stageVariables });
    assert(r.ok, `route ${route.routeKey}: request template failed: ${r.kind}: ${r.error}`);
    assert(r.warnings.length === 0, `route ${route.routeKey}: ${r.warnings[0]}`);
    let doc;
    try {
      doc = JSON.parse(r.output);
    } catch (e) {
      assert.fail(`route ${route.routeKey}: rendered request is not JSON (${e.message}): ${r.output.slice(0, 300)}`);
    }
    const caller = { who: `route ${route.routeKey} integration`, role: route.integration.role };
    const n = this.world.executions.length;
    if (route.integration.action === 'StartExecution') {
      assert(this.world.machines[doc.stateMachineArn], `route ${route.routeKey}: stateMachineArn ${doc.stateMachineArn} is not a state machine of the stack`);
      const run = this.world.start(doc.stateMachineArn, JSON.parse(doc.input), caller);
      await this.world.settle();
      return { route, doc, run };
    }
    assert(route.integration.action === 'PutEvents', `route ${route.routeKey}: integration ${route.integration.uri} is not emulated`);
    const response = this.world.putEvents(doc.Entries, caller);
    await this.world.settle();
    if (route.responseTemplate) {
      const rr = await vtl.render({ template: route.responseTemplate, body: JSON.stringify(response), context, stageVariables: this.model.stageVariables });
      assert(rr.ok, `route ${route.routeKey}: response template failed: ${rr.error}`);
      this.replies.push({ connectionId, data: rr.output });
    }
    return { route, doc, response, runs: this.world.executions.slice(n) };
  }

  /** An event on the stack's bus: the executions its rules started, once all have ended. */
  async deliver(event) {
    const n = this.world.executions.length;
    this.world.sendEvent(event, this.busName.split('/').pop());
    await this.world.settle();
    return this.world.executions.slice(n);
  }

  /** Time passes (virtual ms): e.g. the topic index catches up with the subscriptions. */
  wait(ms = this.world.indexLagMs) {
    this.world.advance(ms);
  }

  /** Messages received by a client: parsed @connections posts and route responses. */
  received(id) {
    return [...this.world.deliveries, ...this.replies]
      .filter((d) => d.connectionId === id)
      .map((d) => {
        try {
          return JSON.parse(d.data);
        } catch {
          return { unparsable: d.data };
        }
      });
  }

  clearMessages() {
    this.world.calls.length = 0;
    this.replies.length = 0;
  }

  items(connectionId) {
    return this.world.ddb.items(this.table).filter((i) => i.connectionId?.S === connectionId);
  }
}

export function wildcard(pattern, value, ignoreCase) {
  return new RegExp('^' + pattern.split('*').map((p) => p.split('?').map((s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('.')).join('.*') + '$', ignoreCase ? 'i' : '').test(value);
}

export function iamAllows(role, action, resource, context) {
  const matches = (st) => st.actions.some((a) => wildcard(a, action, true)) && st.resources.some((r) => wildcard(r, resource, false));
  const stmts = role?.statements ?? [];
  return stmts.some((st) => st.effect === 'Allow' && conditionHolds(st.condition, context) && matches(st)) && !stmts.some((st) => st.effect === 'Deny' && matches(st));
}

/**
 * Whether an IAM condition holds for a request's condition keys (`context`). Only what the
 * generated policies use is understood: StringEquals, StringLike and their ForAllValues:
 * forms; anything else (another operator, a key the request does not carry) denies, so a
 * condition can only make the check stricter.
 */
function conditionHolds(condition, context = {}) {
  if (!condition) return true;
  return Object.entries(condition).every(([operator, keys]) =>
    Object.entries(keys).every(([key, wanted]) => {
      const allowed = [wanted].flat();
      const values = context[key];
      if (values === undefined) return false;
      const test = { StringEquals: (v, w) => v === w, StringLike: (v, w) => wildcard(w, v, false) }[operator.replace(/^ForAllValues:/, '')];
      if (!test) return false;
      return [values].flat().every((v) => allowed.some((w) => test(v, w)));
    }),
  );
}

// ---------------------------------------------------------------------------- reading a build

/** The page size of each rule's deliveries (its input template's `limit`), by topic (`*`: patterns). */
export function pageLimits(model) {
  const out = {};
  for (const rule of model.rules) {
    for (const t of rule.targets) {
      const tpl = t.inputTransformer?.inputTemplate ?? '';
      const topic = /"topic"\s*:\s*"([^"]*)"/.exec(tpl)?.[1];
      const limit = Number(/"limit"\s*:\s*(\d+)/.exec(tpl)?.[1]);
      if (topic && limit) out[topic] = limit;
    }
  }
  return out;
}

export function routeRoles(model) {
  const roles = { subscribeTopics: [], subscribePattern: [], unsubscribe: [], publish: [] };
  for (const r of model.routes) {
    if (!r.requestTemplate) continue;
    if (r.integration?.action === 'PutEvents') roles.publish.push(r);
    else if (/\\"action\\":\\"subscribe\\"/.test(r.requestTemplate)) (/input\.json\('\$\.pattern'\)/.test(r.requestTemplate) ? roles.subscribePattern : roles.subscribeTopics).push(r);
    else if (/\\"action\\":\\"unsubscribe\\"/.test(r.requestTemplate)) roles.unsubscribe.push(r);
  }
  return roles;
}

export function topicsOf(model) {
  const topics = {};
  for (const rule of model.rules) {
    for (const t of rule.targets) {
      const m = /"topic"\s*:\s*"([^"]*)"/.exec(t.inputTransformer?.inputTemplate ?? t.input ?? '');
      if (m) topics[m[1]] = { rule, pattern: rule.pattern };
    }
  }
  return topics;
}

export const isError = (msg) => msg && msg.type === 'error';
export const eventOf = (msg) => msg?.event ?? msg?.detail ?? msg;
export const succeeded = (runs) => {
  for (const r of runs) assert(r.status === 'SUCCEEDED', `${r.startedBy}: ${r.status} ${r.error?.Error}: ${r.error?.Cause?.slice(0, 300)}`);
};


/** A fresh stack where n clients (ids PREFIX0000-sub= ...) hold the subscription `subscribe` gave the first. */
export async function crowd(model, iamLog, prefix, n, subscribe) {
  const s = new Stack(model, iamLog);
  const ids = Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(4, '0')}-sub=`);
  await s.connect(ids[0]);
  const r = await subscribe(s, ids[0]);
  assert(r.run.status === 'SUCCEEDED' && !isError(s.received(ids[0])[0]), `subscribe: ${r.run.status}: ${j(s.received(ids[0]))}`);
  assert(s.items(ids[0]).length > 1, `no subscription record for ${ids[0]}: ${j(s.items(ids[0]))}`);
  for (const item of s.items(ids[0])) for (const id of ids.slice(1)) s.world.ddb.putItem({ TableName: s.table, Item: { ...item, connectionId: { S: id } } });
  s.wait(); // the crowd subscribed a while ago: the topic index shows every member
  s.clearMessages();
  return { s, ids };
}
