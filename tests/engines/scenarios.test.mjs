// End-to-end scenarios on real `lambdaless-gen build` output, executed in third-party engines:
// API Gateway mapping templates in airspeed-ext (vtl/apigw.py), state machines in
// aws-local-stepfunctions with in-memory AWS services and EventBridge rules (sfn/services.mjs).
//
//   node --test tests/engines/scenarios.test.mjs     (builds: ENGINES_BUILDS="DIR...", default
//                                                     every target/engines/*/ that tests/engines/run built)
//
// Per build, one test each: template/mapping/state-machine consistency, asl-validator + nested path
// walk on every definition, then scenarios driven through the real path (client message -> route
// selection -> request template -> StartExecution/PutEvents -> state machines -> @connections
// deliveries), and last an IAM check of every call made. Events are generated from the topics' own
// EventBridge patterns. Scenarios of a build share state and run in order.

import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual as deepEqual } from 'node:util';
import { loadBuild } from './model.mjs';
import { validateAsl, walkStates, loadDefinition, historyEvents, PAYLOAD_LIMIT } from './sfn/harness.mjs';
import { AwsWorld } from './sfn/services.mjs';
import { REPO_ROOT } from './vtl/render.mjs';
import { vtl, j, eventMatching, Stack, iamAllows, pageLimits, routeRoles, topicsOf, isError, eventOf, succeeded, crowd as crowdOf, nextEventId } from './stack.mjs';

const engines = path.join(REPO_ROOT, 'target/engines');
const builds = process.env.ENGINES_BUILDS?.split(/\s+/).filter(Boolean) ?? (fs.existsSync(engines) ? fs.readdirSync(engines).map((d) => path.join(engines, d)).filter((d) => fs.existsSync(path.join(d, 'template.yaml'))) : []);
after(() => vtl.close());

for (const dir of builds) describe(dir, () => scenarios(loadBuild(dir)));

function scenarios(model) {
  const T = (name) => `${model.name}: ${name}`;

  test(T('template, statemachines/ and mappings/ agree'), () => {
    assert(model.problems.length === 0, model.problems.join('; '));
    assert(model.routes.length > 0, 'no routes');
    assert(Object.keys(model.stateMachines).length > 0, 'no state machines');
  });

  for (const m of Object.values(model.stateMachines)) {
    test(T(`asl-validator + nested paths: ${m.name}`), (t) => {
      const problems = validateAsl(m.definitionText, { substitutions: m.substitutions });
      for (const w of problems.filter((p) => p.severity === 'warning')) t.diagnostic(`note ${T(m.name)}: ${w.where}: ${w.message}`);
      const errors = problems.filter((p) => p.severity === 'error');
      assert(errors.length === 0, errors.map((p) => `${p.where}: ${p.message}`).join(' | '));
    });
    test(T(`every Task resource has an emulator: ${m.name}`), () => {
      const world = new AwsWorld({ tables: model.tables });
      walkStates(loadDefinition(m.definitionText, m.substitutions), (name, st) => st.Type === 'Task' && world.handlerFor(name, st.Resource, {}));
    });
  }

  const roles = routeRoles(model);
  const topics = topicsOf(model);
  const topicNames = Object.keys(topics).filter((t) => t !== '*');
  if (!model.routes.some((r) => r.routeKey === '$connect') || (!roles.subscribeTopics.length && !roles.subscribePattern.length)) {
    test(T('scenarios'), { skip: 'needs $connect and a subscribe route' }, () => {});
    return;
  }

  // An event for the first topic (or for the pattern rule).
  const firstTopic = topicNames[0];
  const basePattern = (topics[firstTopic] ?? topics['*']).pattern;
  const baseEvent = eventMatching(basePattern);
  test(T('test events can be generated from the topic patterns'), () => assert(baseEvent, `no example event matches ${j(basePattern)}`));
  if (!baseEvent) return;
  const freshEvent = (extra = {}) => ({ ...structuredClone(baseEvent), id: nextEventId(9), detail: { ...baseEvent.detail, ...extra } });

  const topicRoute = roles.subscribeTopics[0];
  const patternRoute = roles.subscribePattern[0];
  const selector = /^\$request\.body\.([A-Za-z0-9_-]+)$/.exec(model.api?.routeSelectionExpression ?? '')?.[1];
  const sel = (route) => (selector && !route.routeKey.startsWith('$') ? { [selector]: route.routeKey } : {});
  const subscribeTopics = (st, id, list) => st.message(id, { ...sel(topicRoute), topics: list });
  const subscribePattern = (st, id, pattern) => st.message(id, { ...sel(patternRoute), pattern });
  const allowedTopics = topicRoute ? (/\\"allowed\\":\[([^\]]*)\]/.exec(topicRoute.requestTemplate)?.[1] ?? '').split(',').map((s) => s.replace(/\\"/g, '')).filter(Boolean) : [];
  const maxTopics = topicRoute ? Number(/\\"maxTopics\\":(\d+)/.exec(topicRoute.requestTemplate)?.[1] ?? 1) : 0;
  const subscribeFirst = (st, id) => (topicRoute ? subscribeTopics(st, id, [firstTopic]) : subscribePattern(st, id, matchingPattern(baseEvent)));

  // Hostile-but-valid values inside a pattern: they travel base64 -> Base64Decode -> DynamoDB ->
  // TestEventPattern and must still match the event carrying them.
  const hostileText = 'it\'s "quoted" \\ back\\slash </script> \u0001 é 日本 😀 ${x} #set';
  const matchingPattern = (ev) => ({ source: [ev.source], 'detail-type': [{ 'equals-ignore-case': ev['detail-type'].toUpperCase() }] });
  const hostilePattern = { source: [baseEvent.source], detail: { engineMsg: [hostileText] } };
  const nonMatchingPattern = { source: [{ 'anything-but': baseEvent.source }] };

  // ------------------------------------------------------------------ main scenario
  const iamLog = [];
  const st = new Stack(model, iamLog);
  const [A, B, C, H] = ['AAAAconn-A=', 'BBBBconn-B=', 'CCCCconn-C=', 'HHHHconn-H='];
  const clients = patternRoute ? [A, B, C, H] : [A, B, C];

  test(T('clients connect: one connection record each'), async () => {
    for (const id of clients) {
      const r = await st.connect(id);
      assert(r.run.status === 'SUCCEEDED', `connect ${id}: ${r.run.status} ${j(r.run.error)}`);
    }
    const ttl = model.tables[st.table].ttlAttribute;
    for (const id of clients) {
      const items = st.items(id);
      assert(items.length === 1, `${id}: expected 1 record after connect, found ${j(items)}`);
      if (ttl) assert(items[0][ttl]?.N, `${id}: connection record has no numeric TTL attribute: ${j(items[0])}`);
    }
  });

  test(T('an event with no subscribers succeeds and reaches nobody'), async () => {
    st.clearMessages();
    const runs = await st.deliver(freshEvent());
    assert(runs.length > 0, 'no rule matched the test event');
    succeeded(runs);
    assert(st.world.deliveries.length === 0, `unexpected deliveries ${j(st.world.deliveries)}`);
  });

  // subscriptions: A and C match the event, B does not, H matches only the hostile event
  const expectNow = new Set();
  test(T('clients subscribe (topics/patterns) and get a confirmation'), async () => {
    st.clearMessages();
    const subs = [];
    if (topicRoute) {
      const other = allowedTopics.find((x) => x !== firstTopic);
      subs.push([A, () => subscribeTopics(st, A, [firstTopic])]);
      if (other) subs.push([B, () => subscribeTopics(st, B, [other])]);
      subs.push([C, () => subscribeTopics(st, C, maxTopics >= 2 && other ? [other, firstTopic] : [firstTopic])]);
    } else {
      subs.push([A, () => subscribePattern(st, A, matchingPattern(baseEvent))]);
      subs.push([B, () => subscribePattern(st, B, nonMatchingPattern)]);
      subs.push([C, () => subscribePattern(st, C, { source: [{ prefix: baseEvent.source.slice(0, 3) }] })]);
    }
    expectNow.add(A).add(C);
    if (patternRoute) subs.push([H, () => subscribePattern(st, H, hostilePattern)]);
    for (const [id, fn] of subs) {
      const r = await fn();
      assert(r.run.status === 'SUCCEEDED', `subscribe ${id}: ${r.run.status} ${j(r.run.error)}`);
    }
    for (const [id] of subs) {
      const msgs = st.received(id);
      assert(msgs.length === 1 && !isError(msgs[0]), `${id}: expected one confirmation, got ${j(msgs)}`);
    }
    if (patternRoute) assert(st.items(H).some((i) => i.pattern?.S && deepEqual(JSON.parse(i.pattern.S), hostilePattern)), `H's pattern was not stored intact: ${j(st.items(H))}`);
  });

  test(T('an event put right after the subscriptions reaches nobody yet (the topic index lags); once it caught up, exactly the matching clients'), async () => {
    st.clearMessages();
    if (st.world.indexLagMs > 0) {
      succeeded(await st.deliver(freshEvent()));
      assert(st.world.deliveries.length === 0, `delivered before the index caught up: ${j(st.world.deliveries)}`);
    }
    st.wait();
    const ev = freshEvent();
    succeeded(await st.deliver(ev));
    for (const id of clients) {
      const got = st.received(id).filter((m) => deepEqual(eventOf(m), ev));
      const want = expectNow.has(id) ? 1 : 0;
      assert(got.length === want, `${id} received the event ${got.length} time(s), expected ${want}; all messages: ${j(st.received(id))}`);
    }
    assert(st.world.deliveries.length === expectNow.size, `${st.world.deliveries.length} deliveries for ${expectNow.size} matching clients`);
  });

  if (patternRoute) {
    test(T('a pattern holding quotes, backslashes, </script>, control chars and emoji matches its event'), async () => {
      st.clearMessages();
      const ev = freshEvent({ engineMsg: hostileText });
      await st.deliver(ev);
      const got = st.received(H).filter((m) => deepEqual(eventOf(m), ev));
      assert(got.length === 1, `H received ${got.length}, messages: ${j(st.received(H))}`);
      st.clearMessages();
      await st.deliver(freshEvent({ engineMsg: hostileText + 'x' }));
      assert(st.received(H).length === 0, `H received a non-matching event: ${j(st.received(H))}`);
    });

    test(T('invalid, missing and oversized patterns are refused with an error reply and not stored'), async () => {
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
    test(T('unknown, empty, malformed and too many topics are refused with an error reply'), async () => {
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

  test(T('a stale client (410) is deleted and the others still receive'), async () => {
    st.clearMessages();
    st.world.stale.add(A);
    const ev = freshEvent();
    succeeded(await st.deliver(ev));
    assert(st.items(A).length === 0, `stale client's records remain: ${j(st.items(A))}`);
    for (const id of [...expectNow].filter((x) => x !== A)) {
      const got = st.received(id).filter((m) => deepEqual(eventOf(m), ev));
      assert(got.length === 1, `${id} received ${got.length}`);
    }
    expectNow.delete(A);
  });

  if (roles.unsubscribe.length) {
    test(T('unsubscribe removes the subscriptions, keeps the connection, confirms'), async () => {
      st.clearMessages();
      const r = await st.message(C, { ...sel(roles.unsubscribe[0]) });
      assert(r.run.status === 'SUCCEEDED', `${r.run.status} ${j(r.run.error)}`);
      assert(st.items(C).length === 1, `records left: ${j(st.items(C))}`);
      const msgs = st.received(C);
      assert(msgs.length === 1 && !isError(msgs[0]), `reply: ${j(msgs)}`);
      if (st.world.indexLagMs > 0) {
        st.clearMessages();
        await st.deliver(freshEvent());
        assert(st.received(C).length === 1, `within the index lag an unsubscribed client still receives (once): ${j(st.received(C))}`);
      }
      st.wait();
      st.clearMessages();
      await st.deliver(freshEvent());
      assert(st.received(C).length === 0, `unsubscribed client still receives: ${j(st.received(C))}`);
      expectNow.delete(C);
    });
  }

  test(T('disconnect removes every record of the client'), async () => {
    const r = await st.disconnect(B);
    assert(r.run.status === 'SUCCEEDED', `${r.run.status} ${j(r.run.error)}`);
    assert(st.items(B).length === 0, `records left: ${j(st.items(B))}`);
    const r2 = await st.disconnect(B);
    assert(r2.run.status === 'SUCCEEDED', `second disconnect: ${r2.run.status} ${j(r2.run.error)}`);
  });

  for (const pub of roles.publish) {
    test(T(`publish route ${pub.routeKey}: the client's detail reaches EventBridge intact and the client gets a reply`), async () => {
      st.clearMessages();
      st.world.published.length = 0;
      const data = { text: hostileText, n: 1.5, list: [true, null, { k: "it's" }] };
      const r = await st.message(C, { ...sel(pub), detail: data });
      assert(r.response.FailedEntryCount === 0, `PutEvents failed: ${j(r.response)}`);
      assert(st.world.published.length === 1, `published ${st.world.published.length} events`);
      const detail = st.world.published[0].event.detail;
      assert(Object.values(detail).some((v) => deepEqual(v, data)), `detail does not carry the client's data: ${j(detail)}`);
      succeeded(r.runs);
      if (pub.responseTemplate) {
        const replies = st.replies.filter((x) => x.connectionId === C).map((x) => JSON.parse(x.data));
        assert(replies.length === 1 && replies[0].ok !== false, `reply: ${j(replies)}`);
      }
    });
  }

  const crowd = (prefix, n, subscribe) => crowdOf(model, iamLog, prefix, n, subscribe);

  // ------------------------------------------------------------------ pagination
  const limits = pageLimits(model);
  const firstKey = topicRoute ? firstTopic : '*';
  test(T('more subscribers than one DynamoDB page all receive the event exactly once'), async (t) => {
    const limit = limits[firstKey];
    assert(limit > 0, `no page size in the rule input of ${firstKey}: ${j(limits)}`);
    const n = limit * 2 + 3;
    const { s, ids } = await crowd('P', n, subscribeFirst);
    const runs = await s.deliver(freshEvent());
    succeeded(s.world.executions);
    const counts = new Map();
    for (const d of s.world.deliveries) counts.set(d.connectionId, (counts.get(d.connectionId) ?? 0) + 1);
    const missing = ids.filter((id) => counts.get(id) !== 1);
    assert(missing.length === 0, `${missing.length} of ${n} subscribers did not receive exactly once (e.g. ${missing.slice(0, 3).join(', ')}: ${missing.slice(0, 3).map((id) => counts.get(id) ?? 0).join(', ')})`);
    // subscriber queries per index key (a pattern-subscription rule may also run, for another key)
    const perKey = new Map();
    for (const c of s.world.calls.filter((x) => x.action === 'query' && x.input.IndexName)) {
      const k = JSON.stringify(c.input.ExpressionAttributeValues);
      perKey.set(k, (perKey.get(k) ?? 0) + 1);
    }
    const pages = Math.max(0, ...perKey.values());
    assert(pages === Math.ceil(n / limit), `${pages} subscriber queries for ${n} subscribers with Limit ${limit}`);
    const longest = Math.max(...s.world.executions.map((x) => historyEvents(x.events)));
    t.diagnostic(`note ${T('history')}: ${runs.length} rule execution(s) and ${s.world.executions.length - runs.length} deliverer(s) for ${n} subscribers in pages of ${limit}; the longest execution has ~${longest} history events`);
  });

  // ------------------------------------------------------------------ payload limits
  test(T('a full page of worst-case patterns (2,048 three-byte characters) and a 120 KB event stay within the 256 KiB state payload'), { skip: !patternRoute && 'no pattern route' }, async (t) => {
    let maxPattern = 2048;
    for (const m of Object.values(model.stateMachines)) {
      walkStates(loadDefinition(m.definitionText, m.substitutions), (name, x) => {
        for (const c of x.Choices ?? []) if (c.Variable === '$.patternSize' && Number.isInteger(c.NumericGreaterThan)) maxPattern = c.NumericGreaterThan;
      });
    }
    const head = { source: [baseEvent.source], 'detail-type': [baseEvent['detail-type'], ''] };
    const big = { ...head, 'detail-type': [baseEvent['detail-type'], '日'.repeat(maxPattern - JSON.stringify(head).length)] };
    assert(JSON.stringify(big).length === maxPattern, `pattern of ${JSON.stringify(big).length} characters`);
    const limit = limits['*'];
    const n = limit * 2 + 1;
    const { s, ids } = await crowd('Q', n, (x, id) => subscribePattern(x, id, big));
    await s.deliver(freshEvent({ blob: 'b'.repeat(120 * 1024) }));
    succeeded(s.world.executions);
    const got = new Set(s.world.deliveries.map((d) => d.connectionId));
    const missing = ids.filter((id) => !got.has(id));
    assert(missing.length === 0, `${missing.length} of ${n} subscribers got nothing`);
    let biggest = 0;
    for (const x of s.world.executions) for (const e of x.events) if (e.type === 'StateEntered' || e.type === 'StateExited') biggest = Math.max(biggest, Buffer.byteLength(JSON.stringify((e.type === 'StateEntered' ? e.state.input : e.state.output) ?? null)));
    assert(biggest <= PAYLOAD_LIMIT, `a state carried ${biggest} bytes`);
    t.diagnostic(`note ${T('payload')}: pages of ${limit} pattern subscribers with ${maxPattern}-character patterns of 3-byte characters and a 120 KB event: the largest state carries ${(biggest / 1024).toFixed(0)} KiB of the 256 KiB allowed`);
  });

  test(T('a large event (100 KB detail) is delivered to its subscribers'), async () => {
    const { s } = await crowd('L', 30, subscribeFirst);
    succeeded(await s.deliver(freshEvent({ blob: 'b'.repeat(100 * 1024) })));
    assert(new Set(s.world.deliveries.map((d) => d.connectionId)).size === 30, `${s.world.deliveries.length} deliveries for 30 subscribers`);
  });

  test(T('IAM roles allow every AWS call the scenarios made'), () => {
    const denied = new Set();
    for (const r of iamLog) {
      if (!iamAllows(model.roles[r.role], r.action, r.resource, r.context)) denied.add(`${r.who}: ${r.action} on ${r.resource.replace(/@connections\/[^/]+$/, '@connections/<id>')} (role ${r.role ?? 'none'})`);
    }
    assert(iamLog.length > 0, 'no calls recorded');
    assert(denied.size === 0, [...denied].slice(0, 6).join(' | '));
  });
}
