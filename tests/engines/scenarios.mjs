// End-to-end scenarios on real `lambdaless-gen build` output, executed in third-party engines:
// API Gateway mapping templates in airspeed-ext (vtl/apigw.py), state machines in
// aws-local-stepfunctions with in-memory AWS services (sfn/), EventBridge rules emulated here.
//
//   node scenarios.mjs OUT_DIR...       (each OUT_DIR from `lambdaless-gen build SPEC -o OUT_DIR`)
//
// Per build: template/mapping/state-machine consistency, asl-validator + nested path walk on every
// definition, then scenarios driven through the real path (client message -> route selection ->
// request template -> StartExecution/PutEvents -> state machines -> @connections deliveries).
// Events are generated from the topics' own EventBridge patterns. Prints one line per check and
// last "scenarios: N passed, M failed"; exit status 1 on any failure.

import { defaultMatcher } from './sfn/pattern-rust.mjs';
import { loadBuild } from './model.mjs';
import { runMachine, validateAsl, walkStates, loadDefinition, PAYLOAD_LIMIT } from './sfn/harness.mjs';
import { AwsWorld } from './sfn/services.mjs';
import { standinMatcher } from './sfn/pattern-standin.mjs';
import { VtlRenderer } from './vtl/render.mjs';

const matcher = process.env.ENGINES_MATCHER === 'standin' ? standinMatcher : defaultMatcher(standinMatcher);
console.log(`matcher: ${matcher.name ?? 'js stand-in (sfn/pattern-standin.mjs)'}`);
let passed = 0;
let failed = 0;
const verbose = process.env.ENGINES_VERBOSE === '1';

function report(ok, name, reason = '') {
  if (ok) passed++;
  else failed++;
  if (!ok || verbose) console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${ok ? '' : `: ${reason}`}`);
  return ok;
}

async function check(name, fn) {
  try {
    const r = await fn();
    if (r && r.skip) {
      console.log(`skip ${name}: ${r.skip}`);
      return;
    }
    report(true, name);
  } catch (e) {
    report(false, name, e.message + (verbose && e.stack ? `\n${e.stack}` : ''));
  }
}

class Fail extends Error {}
function assert(cond, msg) {
  if (!cond) throw new Fail(msg);
}
const j = (v, n = 300) => {
  const s = JSON.stringify(v);
  return s && s.length > n ? s.slice(0, n) + '…' : s;
};
function deepEqual(a, b) {
  return JSON.stringify(canon(a)) === JSON.stringify(canon(b));
}
function canon(v) {
  if (Array.isArray(v)) return v.map(canon);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canon(v[k])]));
  return v;
}

// ---------------------------------------------------------------------------- event generation

const OMIT = Symbol('omit');

/** A value satisfying one of the matchers of a pattern field, or OMIT (exists:false). */
function exampleValue(matchers) {
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

function exampleObject(pattern) {
  const out = {};
  for (const [k, v] of Object.entries(pattern)) {
    if (k === '$or') {
      Object.assign(out, exampleObject(v[0]));
    } else if (Array.isArray(v)) {
      const x = exampleValue(v);
      if (x !== OMIT) setDotted(out, k, x);
    } else {
      const sub = exampleObject(v);
      for (const [sk, sv] of Object.entries(sub)) setDotted(out, `${k}.${sk}`, sv);
    }
  }
  return out;
}
function setDotted(obj, dotted, value) {
  const parts = dotted.split('.');
  let cur = obj;
  for (const p of parts.slice(0, -1)) {
    if (!cur[p] || typeof cur[p] !== 'object') cur[p] = {};
    cur = cur[p];
  }
  cur[parts[parts.length - 1]] = value;
}

let eventCounter = 0;
function envelope(fields) {
  const e = {
    version: '0',
    id: `00000000-0000-4000-8000-${String(++eventCounter).padStart(12, '0')}`,
    'detail-type': 'EnginesTest',
    source: 'engines.test',
    account: '123456789012',
    time: '2024-05-01T12:00:00Z',
    region: 'us-east-1',
    resources: [],
    detail: {},
  };
  for (const [k, v] of Object.entries(fields)) {
    if (k === 'detail' && v && typeof v === 'object') e.detail = { ...e.detail, ...v };
    else e[k] = v;
  }
  return e;
}

/** An event that matches `pattern` (checked with the matcher), or null. */
function eventMatching(pattern, extraDetail = {}) {
  const e = envelope(exampleObject(pattern));
  e.detail = { ...e.detail, ...extraDetail };
  return matcher.testEventPattern(JSON.stringify(pattern), JSON.stringify(e)) ? e : null;
}

// ---------------------------------------------------------------------------- the stack

class Stack {
  constructor(model, vtl, { stale = [], iam = [] } = {}) {
    this.model = model;
    this.vtl = vtl;
    this.iam = iam; // [{who, role, action, resource}] every AWS call made, for the IAM check
    this.world = new AwsWorld({ tables: model.tables, staleConnections: stale, matcher });
    this.machinesByArn = Object.fromEntries(Object.values(model.stateMachines).map((m) => [m.arn, m]));
    this.executions = [];
    this.replies = [];
    this.published = [];
    this.clock = 1714564800000;
    const m = /^\$request\.body\.([A-Za-z0-9_-]+)$/.exec(model.api?.routeSelectionExpression ?? '');
    this.selector = m?.[1] ?? null;
    this.table = Object.keys(model.tables)[0];
    this.busName = model.rules[0]?.eventBusName ?? 'default';
  }

  route(key) {
    return this.model.routes.find((r) => r.routeKey === key);
  }

  selectRoute(text) {
    let body;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    const key = body && typeof body === 'object' && this.selector ? body[this.selector] : undefined;
    return (typeof key === 'string' && !key.startsWith('$') && this.route(key)) || this.route('$default') || null;
  }

  connect(id) {
    return this.invoke(this.route('$connect'), id, '', 'CONNECT');
  }

  disconnect(id) {
    return this.invoke(this.route('$disconnect'), id, '', 'DISCONNECT');
  }

  message(id, body) {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    const route = this.selectRoute(text);
    assert(route, `no route for message ${j(body)}`);
    return this.invoke(route, id, text, 'MESSAGE');
  }

  async invoke(route, connectionId, text, eventType) {
    assert(route, `route missing for ${eventType}`);
    this.clock += 1000;
    const context = { connectionId, routeKey: route.routeKey, eventType, requestTimeEpoch: this.clock, connectedAt: this.clock - 500, stage: this.model.api?.stage, apiId: this.model.api?.id };
    const r = await this.vtl.render({ template: route.requestTemplate, body: text, context, stageVariables: this.model.stageVariables });
    assert(r.ok, `route ${route.routeKey}: request template failed: ${r.kind}: ${r.error}`);
    assert(r.warnings.length === 0, `route ${route.routeKey}: ${r.warnings[0]}`);
    let doc;
    try {
      doc = JSON.parse(r.output);
    } catch (e) {
      throw new Fail(`route ${route.routeKey}: rendered request is not JSON (${e.message}): ${r.output.slice(0, 300)}`);
    }
    const action = route.integration?.action;
    if (action === 'StartExecution') {
      const machine = this.machinesByArn[doc.stateMachineArn];
      assert(machine, `route ${route.routeKey}: stateMachineArn ${doc.stateMachineArn} is not a state machine of the stack`);
      this.iam.push({ who: `route ${route.routeKey} integration`, role: route.integration.role, action: 'states:StartExecution', resource: doc.stateMachineArn });
      const run = await this.run(machine, JSON.parse(doc.input));
      return { route, doc, run };
    }
    if (action === 'PutEvents') {
      for (const e of doc.Entries ?? []) this.iam.push({ who: `route ${route.routeKey} integration`, role: route.integration.role, action: 'events:PutEvents', resource: busArn(this.model, e.EventBusName) });
      const response = await this.putEvents(doc.Entries ?? [], `route ${route.routeKey}`);
      if (route.responseTemplate) {
        const rr = await this.vtl.render({ template: route.responseTemplate, body: JSON.stringify(response), context, stageVariables: this.model.stageVariables });
        assert(rr.ok, `route ${route.routeKey}: response template failed: ${rr.error}`);
        this.replies.push({ connectionId, data: rr.output, via: 'route-response' });
      }
      return { route, doc, response };
    }
    throw new Fail(`route ${route.routeKey}: integration ${route.integration?.uri} is not emulated`);
  }

  async run(machine, input) {
    const r = await runMachine(machine.definitionText, input, { world: this.world, substitutions: machine.substitutions, stateMachineArn: machine.arn });
    this.executions.push({ machine: machine.name, input, status: r.status, error: r.error, calls: r.calls.length });
    for (const c of r.calls) for (const req of iamRequests(c, this.model)) this.iam.push({ who: `${machine.name} state ${c.state}`, role: machine.role, ...req });
    return r;
  }

  /** EventBridge PutEvents + rule matching + target input transformation + target executions. */
  async putEvents(entries, origin) {
    const results = [];
    const runs = [];
    for (const entry of entries) {
      let detail;
      try {
        detail = typeof entry.Detail === 'string' ? JSON.parse(entry.Detail) : undefined;
      } catch {
        detail = undefined;
      }
      if (!detail || typeof detail !== 'object' || Array.isArray(detail) || !entry.Source || !entry.DetailType) {
        results.push({ ErrorCode: 'MalformedDetail', ErrorMessage: `${origin}: entry rejected` });
        continue;
      }
      const event = envelope({ source: entry.Source, 'detail-type': entry.DetailType, detail, resources: entry.Resources ?? [] });
      const bus = (entry.EventBusName ?? 'default').split('/').pop();
      this.published.push({ bus, event });
      results.push({ EventId: event.id });
      runs.push(...(await this.deliverEvent(event, bus)));
    }
    return { Entries: results, FailedEntryCount: results.filter((r) => r.ErrorCode).length, runs };
  }

  async deliverEvent(event, bus = this.busName) {
    const runs = [];
    for (const rule of this.model.rules) {
      if (rule.state !== 'ENABLED' || rule.eventBusName.split('/').pop() !== bus) continue;
      if (!matcher.testEventPattern(JSON.stringify(rule.pattern), JSON.stringify(event))) continue;
      for (const t of rule.targets) {
        const machine = this.machinesByArn[t.arn];
        assert(machine, `rule ${rule.name}: target ${t.arn} is not a state machine of the stack`);
        const input = transformInput(t, event, rule);
        this.iam.push({ who: `rule ${rule.name} target ${t.id}`, role: t.role, action: 'states:StartExecution', resource: t.arn });
        const r = await this.run(machine, input);
        runs.push({ rule: rule.name, machine, input, ...r });
      }
    }
    return runs;
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

function transformInput(target, event, rule) {
  if (target.input !== undefined) return JSON.parse(target.input);
  if (target.inputPath) throw new Fail(`InputPath targets are not emulated (${rule.name})`);
  const tr = target.inputTransformer;
  if (!tr) return event;
  const values = {
    'aws.events.event.json': JSON.stringify(event),
    'aws.events.event': JSON.stringify(event),
    'aws.events.rule-arn': `arn:aws:events:us-east-1:123456789012:rule/${rule.name}`,
    'aws.events.rule-name': rule.name,
    'aws.events.event.ingestion-time': event.time,
  };
  for (const [k, p] of Object.entries(tr.inputPathsMap ?? {})) {
    const parts = p.replace(/^\$\.?/, '').split('.').filter(Boolean);
    let v = event;
    for (const part of parts) v = v?.[part];
    values[k] = v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v);
  }
  const text = tr.inputTemplate.replace(/<([A-Za-z0-9_.-]+)>/g, (m, name) => (name in values ? values[name] : m));
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Fail(`rule ${rule.name}: InputTemplate does not produce JSON (${e.message}): ${text.slice(0, 200)}`);
  }
}

// ---------------------------------------------------------------------------- IAM

function busArn(model, nameOrArn = 'default') {
  if (nameOrArn.startsWith('arn:')) return nameOrArn;
  return model.eventBuses?.[nameOrArn] ?? `arn:aws:events:us-east-1:123456789012:event-bus/${nameOrArn}`;
}

/** The IAM (action, resource) pairs an emulated service call needs. */
function iamRequests(call, model) {
  const cap = (s) => s[0].toUpperCase() + s.slice(1);
  const table = (name) => `arn:aws:dynamodb:us-east-1:123456789012:table/${name}`;
  const i = call.input ?? {};
  switch (call.service) {
    case 'dynamodb':
    case 'aws-sdk:dynamodb':
      if (call.action === 'batchWriteItem' || call.action === 'batchGetItem') return Object.keys(i.RequestItems ?? {}).map((t) => ({ action: `dynamodb:${cap(call.action)}`, resource: table(t) }));
      return [{ action: `dynamodb:${cap(call.action)}`, resource: table(i.TableName) + (i.IndexName ? `/index/${i.IndexName}` : '') }];
    case 'apigateway': {
      const rq = call.request ?? {};
      const api = String(rq.ApiEndpoint ?? '').split('.')[0];
      const path = rq.Path ?? '/';
      return [{ action: /^\/?@connections\//.test(path) ? 'execute-api:ManageConnections' : 'execute-api:Invoke', resource: `arn:aws:execute-api:us-east-1:123456789012:${api}/${rq.Stage ?? '$default'}/${rq.Method}${path.startsWith('/') ? '' : '/'}${path}` }];
    }
    case 'aws-sdk:apigatewaymanagementapi':
      return [{ action: 'execute-api:ManageConnections', resource: `arn:aws:execute-api:us-east-1:123456789012:*/*/*/@connections/${i.ConnectionId}` }];
    case 'aws-sdk:eventbridge':
      if (call.action === 'testEventPattern') return [{ action: 'events:TestEventPattern', resource: '*' }];
      return (i.Entries ?? []).map((e) => ({ action: 'events:PutEvents', resource: busArn(model, e.EventBusName) }));
    case 'events':
      return (i.Entries ?? []).map((e) => ({ action: 'events:PutEvents', resource: busArn(model, e.EventBusName) }));
    case 'states':
    case 'aws-sdk:sfn':
      return [{ action: 'states:StartExecution', resource: i.StateMachineArn }];
    default:
      return [{ action: `unknown:${call.service}:${call.action}`, resource: '*' }];
  }
}

function wildcard(pattern, value, ignoreCase) {
  const re = new RegExp('^' + pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))).join('') + '$', ignoreCase ? 'i' : '');
  return re.test(value);
}

function iamAllows(role, action, resource) {
  if (!role) return false;
  const matches = (st) => (st.actions ?? []).some((a) => wildcard(a, action, true)) && (st.resources ?? []).some((r) => wildcard(r, resource, false));
  const stmts = role.statements ?? [];
  return stmts.some((st) => st.effect === 'Allow' && !st.condition && matches(st)) && !stmts.some((st) => st.effect === 'Deny' && matches(st));
}

// ---------------------------------------------------------------------------- per-build checks

function pageLimit(model) {
  for (const m of Object.values(model.stateMachines)) {
    let limit = null;
    const def = loadDefinition(m.definitionText, m.substitutions);
    walkStates(def, (name, st) => {
      if (st.Type === 'Task' && /dynamodb:query$/.test(st.Resource) && st.Parameters?.IndexName && Number.isInteger(st.Parameters.Limit)) limit = st.Parameters.Limit;
    });
    if (limit) return { machine: m, limit };
  }
  return null;
}

/** AWS history events an execution would record, estimated from the engine's event log. */
function estimateHistoryEvents(events) {
  let n = 2; // ExecutionStarted, ExecutionSucceeded/Failed
  for (const e of events) {
    if (e.type === 'StateEntered') n += e.state.type === 'Task' ? 5 : e.state.type === 'Map' || e.state.type === 'Parallel' ? 4 : 2;
    else if (e.type.startsWith('MapIteration') || e.type.startsWith('ParallelBranch')) n += 1;
    else if (e.type === 'StateRetried') n += 3;
  }
  return n;
}

function routeRoles(model) {
  const roles = { subscribeTopics: [], subscribePattern: [], unsubscribe: [], publish: [] };
  for (const r of model.routes) {
    if (!r.requestTemplate) continue;
    if (r.integration?.action === 'PutEvents') roles.publish.push(r);
    else if (/\\"action\\":\\"subscribe\\"/.test(r.requestTemplate)) {
      if (/input\.json\('\$\.pattern'\)/.test(r.requestTemplate)) roles.subscribePattern.push(r);
      else roles.subscribeTopics.push(r);
    } else if (/\\"action\\":\\"unsubscribe\\"/.test(r.requestTemplate)) roles.unsubscribe.push(r);
  }
  return roles;
}

function topicsOf(model) {
  const topics = {};
  for (const rule of model.rules) {
    for (const t of rule.targets) {
      const m = /"topic"\s*:\s*"([^"]*)"/.exec(t.inputTransformer?.inputTemplate ?? t.input ?? '');
      if (m) topics[m[1]] = { rule, pattern: rule.pattern };
    }
  }
  return topics;
}

const isError = (msg) => msg && msg.type === 'error';
const eventOf = (msg) => msg?.event ?? msg?.detail ?? msg;

async function runBuild(dir, vtl) {
  const model = loadBuild(dir);
  const spec = model.name;
  const T = (name) => `${spec}: ${name}`;

  await check(T('template, statemachines/ and mappings/ agree'), () => {
    assert(model.problems.length === 0, model.problems.join('; '));
    assert(model.routes.length > 0, 'no routes');
    assert(Object.keys(model.stateMachines).length > 0, 'no state machines');
  });

  for (const m of Object.values(model.stateMachines)) {
    await check(T(`asl-validator + nested paths: ${m.name}`), () => {
      const problems = validateAsl(m.definitionText, { substitutions: m.substitutions });
      const errors = problems.filter((p) => p.severity === 'error');
      for (const w of problems.filter((p) => p.severity === 'warning')) console.log(`note ${T(m.name)}: ${w.where}: ${w.message}`);
      assert(errors.length === 0, errors.map((p) => `${p.where}: ${p.message}`).join(' | '));
    });
    await check(T(`every Task resource has an emulator: ${m.name}`), () => {
      const def = loadDefinition(m.definitionText, m.substitutions);
      const world = new AwsWorld({ tables: model.tables });
      walkStates(def, (name, st) => {
        if (st.Type === 'Task') world.route(name, st.Resource);
      });
    });
  }

  const roles = routeRoles(model);
  const topics = topicsOf(model);
  const topicNames = Object.keys(topics).filter((t) => t !== '*');
  const patternRule = topics['*'];
  const hasConnect = Boolean(model.routes.find((r) => r.routeKey === '$connect'));
  if (!hasConnect || (!roles.subscribeTopics.length && !roles.subscribePattern.length)) {
    console.log(`skip ${T('scenarios')}: needs $connect and a subscribe route`);
    return;
  }

  // An event for the first topic (or for the pattern rule), and one that no rule matches.
  const firstTopic = topicNames[0];
  const baseEvent = firstTopic ? eventMatching(topics[firstTopic].pattern) : eventMatching(patternRule.pattern);
  await check(T('test events can be generated from the topic patterns'), () => {
    assert(baseEvent, `no example event matches ${j(firstTopic ? topics[firstTopic].pattern : patternRule.pattern)}`);
  });
  if (!baseEvent) return;
  const freshEvent = (extra = {}) => ({ ...structuredClone(baseEvent), id: `00000000-0000-4000-9000-${String(++eventCounter).padStart(12, '0')}`, detail: { ...baseEvent.detail, ...extra } });

  const topicRoute = roles.subscribeTopics[0];
  const patternRoute = roles.subscribePattern[0];
  const sel = (route) => {
    const m = /^\$request\.body\.([A-Za-z0-9_-]+)$/.exec(model.api?.routeSelectionExpression ?? '');
    return m && !route.routeKey.startsWith('$') ? { [m[1]]: route.routeKey } : {};
  };
  const subscribeTopics = (st, id, list) => st.message(id, { ...sel(topicRoute), topics: list });
  const subscribePattern = (st, id, pattern) => st.message(id, { ...sel(patternRoute), pattern });
  const allowedTopics = topicRoute ? (/\\"allowed\\":\[([^\]]*)\]/.exec(topicRoute.requestTemplate)?.[1] ?? '').split(',').map((s) => s.replace(/\\"/g, '')).filter(Boolean) : [];
  const maxTopics = topicRoute ? Number(/\\"maxTopics\\":(\d+)/.exec(topicRoute.requestTemplate)?.[1] ?? 1) : 0;

  // Hostile-but-valid values inside a pattern: they travel base64 -> Base64Decode -> DynamoDB ->
  // TestEventPattern and must still match the event carrying them.
  const hostileText = 'it\'s "quoted" \\ back\\slash </script> \u0001 é 日本 😀 ${x} #set';
  const matchingPattern = (ev) => ({ source: [ev.source], 'detail-type': [{ 'equals-ignore-case': ev['detail-type'].toUpperCase() }] });
  const hostilePattern = { source: [baseEvent.source], detail: { engineMsg: [hostileText] } };
  const nonMatchingPattern = { source: [{ 'anything-but': baseEvent.source }] };

  // ------------------------------------------------------------------ main scenario
  const iamLog = [];
  const st = new Stack(model, vtl, { iam: iamLog });
  const A = 'AAAAconn-A=';
  const B = 'BBBBconn-B=';
  const C = 'CCCCconn-C=';
  const H = 'HHHHconn-H=';
  const clients = [A, B, C];
  if (patternRoute) clients.push(H);

  await check(T('clients connect: one connection record each'), async () => {
    for (const id of clients) {
      const r = await st.connect(id);
      assert(r.run.status === 'SUCCEEDED', `connect ${id}: ${r.run.status} ${j(r.run.error)}`);
    }
    for (const id of clients) {
      const items = st.items(id);
      assert(items.length === 1, `${id}: expected 1 record after connect, found ${j(items)}`);
      if (model.tables[st.table].ttlAttribute) assert(items[0][model.tables[st.table].ttlAttribute]?.N, `${id}: connection record has no numeric TTL attribute: ${j(items[0])}`);
    }
  });

  await check(T('an event with no subscribers succeeds and reaches nobody'), async () => {
    st.clearMessages();
    const runs = await st.deliverEvent(freshEvent());
    assert(runs.length > 0, 'no rule matched the test event');
    for (const r of runs) assert(r.status === 'SUCCEEDED', `${r.rule}: ${r.status} ${j(r.error)}`);
    assert(st.world.deliveries.length === 0, `unexpected deliveries ${j(st.world.deliveries)}`);
  });

  // subscriptions: A and C match the event, B does not, H matches only the hostile event
  const expectNow = new Set();
  await check(T('clients subscribe (topics/patterns) and get a confirmation'), async () => {
    st.clearMessages();
    const subs = [];
    if (topicRoute) {
      const other = allowedTopics.find((t) => t !== firstTopic);
      subs.push([A, () => subscribeTopics(st, A, [firstTopic])]);
      if (other) subs.push([B, () => subscribeTopics(st, B, [other])]);
      subs.push([C, () => subscribeTopics(st, C, maxTopics >= 2 && other ? [other, firstTopic] : [firstTopic])]);
      expectNow.add(A).add(C);
    }
    if (patternRoute) {
      if (!topicRoute) {
        subs.push([A, () => subscribePattern(st, A, matchingPattern(baseEvent))]);
        subs.push([B, () => subscribePattern(st, B, nonMatchingPattern)]);
        subs.push([C, () => subscribePattern(st, C, { source: [{ prefix: baseEvent.source.slice(0, 3) }] })]);
        expectNow.add(A).add(C);
      }
      subs.push([H, () => subscribePattern(st, H, hostilePattern)]);
    }
    for (const [id, fn] of subs) {
      const r = await fn();
      assert(r.run.status === 'SUCCEEDED', `subscribe ${id}: ${r.run.status} ${j(r.run.error)}`);
    }
    for (const [id] of subs) {
      const msgs = st.received(id);
      assert(msgs.length === 1 && !isError(msgs[0]), `${id}: expected one confirmation, got ${j(msgs)}`);
    }
    const stored = st.items(H);
    if (patternRoute) assert(stored.some((i) => i.pattern?.S && deepEqual(JSON.parse(i.pattern.S), hostilePattern)), `H's pattern was not stored intact: ${j(stored)}`);
  });

  await check(T('an event reaches exactly the matching clients'), async () => {
    st.clearMessages();
    const ev = freshEvent();
    const runs = await st.deliverEvent(ev);
    for (const r of runs) assert(r.status === 'SUCCEEDED', `${r.rule}: ${r.status} ${j(r.error)}`);
    for (const id of clients) {
      const got = st.received(id).filter((m) => deepEqual(eventOf(m), ev));
      const want = expectNow.has(id) ? 1 : 0;
      assert(got.length === want, `${id} received the event ${got.length} time(s), expected ${want}; all messages: ${j(st.received(id))}`);
    }
    assert(st.world.deliveries.length === expectNow.size, `${st.world.deliveries.length} deliveries for ${expectNow.size} matching clients`);
  });

  if (patternRoute) {
    await check(T('a pattern holding quotes, backslashes, </script>, control chars and emoji matches its event'), async () => {
      st.clearMessages();
      const ev = freshEvent({ engineMsg: hostileText });
      await st.deliverEvent(ev);
      const got = st.received(H).filter((m) => deepEqual(eventOf(m), ev));
      assert(got.length === 1, `H received ${got.length}, messages: ${j(st.received(H))}`);
      const other = freshEvent({ engineMsg: hostileText + 'x' });
      st.clearMessages();
      await st.deliverEvent(other);
      assert(st.received(H).length === 0, `H received a non-matching event: ${j(st.received(H))}`);
    });

    await check(T('invalid, missing and oversized patterns are refused with an error reply and not stored'), async () => {
      const D = 'DDDDconn-D=';
      await st.connect(D);
      for (const [label, body] of [
        ['invalid', { ...sel(patternRoute), pattern: { detail: { x: [] } } }],
        ['missing', { ...sel(patternRoute) }],
        ['null', { ...sel(patternRoute), pattern: null }],
        ['not-an-object', { ...sel(patternRoute), pattern: 'source' }],
        ['oversized', { ...sel(patternRoute), pattern: { detail: { x: ['y'.repeat(3000)] } } }],
      ]) {
        st.clearMessages();
        const r = await st.message(D, body);
        assert(r.run.status === 'SUCCEEDED', `${label}: execution ${r.run.status} ${j(r.run.error)}`);
        const msgs = st.received(D);
        assert(msgs.length === 1 && isError(msgs[0]), `${label}: expected one error reply, got ${j(msgs)}`);
        assert(st.items(D).length === 1, `${label}: records stored: ${j(st.items(D))}`);
      }
    });
  }

  if (topicRoute) {
    await check(T('unknown, empty, malformed and too many topics are refused with an error reply'), async () => {
      const D = 'DDDDconn-T=';
      await st.connect(D);
      const cases = [
        ['unknown', ['no-such-topic']],
        ['empty list', []],
        ['not a list', 'orders'],
        ['wrong type', 42],
        ['hostile name', [hostileText]],
        ['list holding null', [null]],
        ['nested list', [[allowedTopics[0]]]],
        ['list holding a number', [1]],
        ['object with key 0', { 0: allowedTopics[0] }],
        ['non-ASCII names under the size limit', ['日本語'.repeat(1000)]],
      ];
      if (allowedTopics.length > maxTopics) cases.push(['too many', allowedTopics]);
      for (const [label, topicsValue] of cases) {
        st.clearMessages();
        const r = await subscribeTopics(st, D, topicsValue);
        assert(r.run.status === 'SUCCEEDED', `${label}: execution ${r.run.status} ${j(r.run.error)}`);
        const msgs = st.received(D);
        assert(msgs.length === 1 && isError(msgs[0]), `${label}: expected one error reply, got ${j(msgs)}`);
        assert(st.items(D).length === 1, `${label}: records stored: ${j(st.items(D))}`);
      }
    });
  }

  await check(T('a stale client (410) is deleted and the others still receive'), async () => {
    st.clearMessages();
    st.world.stale.add(A);
    const ev = freshEvent();
    const runs = await st.deliverEvent(ev);
    for (const r of runs) assert(r.status === 'SUCCEEDED', `${r.rule}: ${r.status} ${j(r.error)}`);
    assert(st.items(A).length === 0, `stale client's records remain: ${j(st.items(A))}`);
    for (const id of expectNow) {
      if (id === A) continue;
      const got = st.received(id).filter((m) => deepEqual(eventOf(m), ev));
      assert(got.length === 1, `${id} received ${got.length}`);
    }
    expectNow.delete(A);
  });

  if (roles.unsubscribe.length) {
    await check(T('unsubscribe removes the subscriptions, keeps the connection, confirms'), async () => {
      st.clearMessages();
      const r = await st.message(C, { ...sel(roles.unsubscribe[0]) });
      assert(r.run.status === 'SUCCEEDED', `${r.run.status} ${j(r.run.error)}`);
      const items = st.items(C);
      assert(items.length === 1, `records left: ${j(items)}`);
      const msgs = st.received(C);
      assert(msgs.length === 1 && !isError(msgs[0]), `reply: ${j(msgs)}`);
      st.clearMessages();
      await st.deliverEvent(freshEvent());
      assert(st.received(C).length === 0, `unsubscribed client still receives: ${j(st.received(C))}`);
      expectNow.delete(C);
    });
  }

  await check(T('disconnect removes every record of the client'), async () => {
    const r = await st.disconnect(B);
    assert(r.run.status === 'SUCCEEDED', `${r.run.status} ${j(r.run.error)}`);
    assert(st.items(B).length === 0, `records left: ${j(st.items(B))}`);
    const r2 = await st.disconnect(B);
    assert(r2.run.status === 'SUCCEEDED', `second disconnect: ${r2.run.status} ${j(r2.run.error)}`);
  });

  for (const pub of roles.publish) {
    await check(T(`publish route ${pub.routeKey}: the client's detail reaches EventBridge intact and the client gets a reply`), async () => {
      st.clearMessages();
      st.published.length = 0;
      const data = { text: hostileText, n: 1.5, list: [true, null, { k: "it's" }] };
      const r = await st.message(C, { ...sel(pub), detail: data });
      assert(r.response.FailedEntryCount === 0, `PutEvents failed: ${j(r.response)}`);
      assert(st.published.length === 1, `published ${st.published.length} events`);
      const detail = st.published[0].event.detail;
      assert(Object.values(detail).some((v) => deepEqual(v, data)), `detail does not carry the client's data: ${j(detail)}`);
      for (const run of r.response.runs) assert(run.status === 'SUCCEEDED', `${run.rule}: ${run.status}`);
      if (pub.responseTemplate) {
        const replies = st.replies.filter((x) => x.connectionId === C).map((x) => JSON.parse(x.data));
        assert(replies.length === 1 && replies[0].ok !== false, `reply: ${j(replies)}`);
      }
    });
  }

  // ------------------------------------------------------------------ pagination
  const pl = pageLimit(model);
  await check(T('more subscribers than one DynamoDB page all receive the event exactly once'), async () => {
    if (!pl) return { skip: 'no paginated subscriber query found' };
    const ps = new Stack(model, vtl, { iam: iamLog });
    const first = 'P0000-first=';
    await ps.connect(first);
    const r = topicRoute ? await subscribeTopics(ps, first, [firstTopic]) : await subscribePattern(ps, first, matchingPattern(baseEvent));
    assert(r.run.status === 'SUCCEEDED', `subscribe: ${r.run.status}`);
    const template = ps.items(first).find((i) => i.sk?.S !== 'connection');
    assert(template, `no subscription record for ${first}: ${j(ps.items(first))}`);
    const n = pl.limit * 2 + 3;
    const ids = [first];
    for (let i = 1; i < n; i++) {
      const id = `P${String(i).padStart(4, '0')}-sub=`;
      ids.push(id);
      ps.world.ddb.putItem({ TableName: ps.table, Item: { ...structuredClone(template), connectionId: { S: id } } });
      ps.world.ddb.putItem({ TableName: ps.table, Item: { connectionId: { S: id }, sk: { S: 'connection' } } });
    }
    ps.clearMessages();
    const ev = freshEvent();
    const runs = await ps.deliverEvent(ev);
    for (const x of runs) assert(x.status === 'SUCCEEDED', `${x.rule}: ${x.status} ${j(x.error)}`);
    const counts = new Map();
    for (const d of ps.world.deliveries) counts.set(d.connectionId, (counts.get(d.connectionId) ?? 0) + 1);
    const missing = ids.filter((id) => counts.get(id) !== 1);
    assert(missing.length === 0, `${missing.length} of ${n} subscribers did not receive exactly once (e.g. ${missing.slice(0, 3).join(', ')}: ${missing.slice(0, 3).map((id) => counts.get(id) ?? 0).join(', ')})`);
    // subscriber queries per index key (a pattern-subscription rule may also run, for another key)
    const perKey = new Map();
    for (const c of ps.world.calls.filter((x) => x.action === 'query' && x.input.IndexName)) {
      const k = JSON.stringify(c.input.ExpressionAttributeValues);
      perKey.set(k, (perKey.get(k) ?? 0) + 1);
    }
    const pages = Math.max(0, ...perKey.values());
    assert(pages === Math.ceil(n / pl.limit), `${pages} subscriber queries for ${n} subscribers with Limit ${pl.limit}`);
    // Standard workflows stop at 25,000 history events: estimate how many subscribers one event can reach
    for (const x of runs) {
      const machine = x.machine;
      if (machine.type !== 'STANDARD') continue;
      const history = estimateHistoryEvents(x.events);
      const perSubscriber = history / n;
      console.log(`note ${T('history')}: ${machine.name} is a STANDARD workflow: ~${history} history events for ${n} subscribers (${perSubscriber.toFixed(1)} each) -> about ${Math.floor(25000 / perSubscriber)} subscribers per event before the 25,000-event limit fails the execution`);
    }
  });

  // ------------------------------------------------------------------ payload limits
  await check(T('a full page of subscribers whose patterns are near the accepted maximum all receive the event'), async () => {
    if (!pl) return { skip: 'no paginated subscriber query found' };
    if (!patternRoute) return { skip: 'no pattern route' };
    const ps = new Stack(model, vtl, { iam: iamLog });
    let maxPattern = 2048;
    for (const m of Object.values(model.stateMachines)) {
      walkStates(loadDefinition(m.definitionText, m.substitutions), (name, st) => {
        for (const c of st.Choices ?? []) if (c.Variable === '$.patternSize' && Number.isInteger(c.NumericGreaterThan)) maxPattern = c.NumericGreaterThan;
      });
    }
    const filler = 'f'.repeat(Math.max(0, maxPattern - 80 - baseEvent.source.length - baseEvent['detail-type'].length));
    const big = { source: [baseEvent.source], 'detail-type': [baseEvent['detail-type'], filler] };
    const first = 'Q0000-first=';
    await ps.connect(first);
    const r = await subscribePattern(ps, first, big);
    assert(r.run.status === 'SUCCEEDED' && !isError(ps.received(first)[0]), `a ${JSON.stringify(big).length}-character pattern was refused: ${j(ps.received(first))}`);
    const template = ps.items(first).find((i) => i.pattern);
    const n = pl.limit + 3;
    const ids = [first];
    for (let i = 1; i < n; i++) {
      const id = `Q${String(i).padStart(4, '0')}-sub=`;
      ids.push(id);
      ps.world.ddb.putItem({ TableName: ps.table, Item: { ...structuredClone(template), connectionId: { S: id } } });
    }
    ps.clearMessages();
    const runs = await ps.deliverEvent(freshEvent());
    for (const x of runs) assert(x.status === 'SUCCEEDED', `${x.rule}: ${x.status} ${x.error?.Error}: ${x.error?.Cause?.slice(0, 200)}`);
    const got = new Set(ps.world.deliveries.map((d) => d.connectionId));
    const missing = ids.filter((id) => !got.has(id));
    assert(missing.length === 0, `${missing.length} of ${n} subscribers got nothing`);
    let biggest = 0;
    for (const x of runs) for (const e of x.events) if (e.type === 'StateExited') biggest = Math.max(biggest, Buffer.byteLength(JSON.stringify(e.state.output ?? null)));
    console.log(`note ${T('payload')}: with ${pl.limit} subscribers of ${JSON.stringify(big).length}-character patterns a delivery state carries ${(biggest / 1024).toFixed(0)} KB; events larger than about ${((PAYLOAD_LIMIT - biggest) / 1024).toFixed(0)} KB would exceed the 256 KB state limit`);
  });

  await check(T('a large event (100 KB detail) is delivered to its subscribers'), async () => {
    const ls = new Stack(model, vtl, { iam: iamLog });
    const id = 'LLLLconn-L=';
    await ls.connect(id);
    const r = topicRoute ? await subscribeTopics(ls, id, [firstTopic]) : await subscribePattern(ls, id, matchingPattern(baseEvent));
    assert(r.run.status === 'SUCCEEDED', `subscribe: ${r.run.status}`);
    for (let i = 1; i < 30; i++) {
      const other = `L${String(i).padStart(4, '0')}-sub=`;
      await ls.connect(other);
      for (const item of ls.items(id).filter((x) => x.sk?.S !== 'connection')) ls.world.ddb.putItem({ TableName: ls.table, Item: { ...structuredClone(item), connectionId: { S: other } } });
    }
    ls.clearMessages();
    const ev = freshEvent({ blob: 'b'.repeat(100 * 1024) });
    const runs = await ls.deliverEvent(ev);
    for (const x of runs) assert(x.status === 'SUCCEEDED', `${x.rule}: ${x.status} ${x.error?.Error}: ${x.error?.Cause?.slice(0, 200)}`);
    assert(new Set(ls.world.deliveries.map((d) => d.connectionId)).size === 30, `${ls.world.deliveries.length} deliveries for 30 subscribers`);
  });

  await check(T('IAM roles allow every AWS call the scenarios made'), () => {
    const denied = new Map();
    for (const r of iamLog) {
      const role = model.roles[r.role];
      if (!iamAllows(role, r.action, r.resource)) denied.set(`${r.who}: ${r.action} on ${r.resource.replace(/@connections\/[^/]+$/, '@connections/<id>')} (role ${r.role ?? 'none'})`, true);
    }
    assert(iamLog.length > 0, 'no calls recorded');
    assert(denied.size === 0, [...denied.keys()].slice(0, 6).join(' | '));
  });
}

async function main() {
  const dirs = process.argv.slice(2);
  if (!dirs.length) {
    console.error('usage: node scenarios.mjs OUT_DIR...');
    process.exit(2);
  }
  const vtl = new VtlRenderer();
  try {
    for (const dir of dirs) {
      try {
        await runBuild(dir, vtl);
      } catch (e) {
        report(false, `${dir}: could not run`, e.stack ?? e.message);
      }
    }
  } finally {
    vtl.close();
  }
  console.log(`scenarios: ${passed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}

await main();
