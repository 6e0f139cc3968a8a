// Nothing lost, nothing silent, on real `lambdaless-gen build` output (see stack.mjs):
//   * a record of undelivered work that SQS refuses is kept in the connections table, with its
//     replay input; when DynamoDB refuses it too, the execution fails (the executions alarm);
//   * a Standard pager's continuation is named after the event, topic and cursor: a start retried
//     after it succeeded runs the rest of the audience once (an Express pager cannot promise it);
//   * a pager continues in a fresh execution after a time as well as after a number of pages, so
//     throttled pages never reach its time limit, which nothing can catch;
//   * a client pattern that TestEventPattern could not test is recorded with the pattern, and its
//     replay tests it again (a client whose pattern does not match never receives the event);
//   * records of a connection live as long as the connection can (2 h after $connect), whatever
//     the spec's `connections.ttl`.
//
//   node --test tests/engines/resilience.test.mjs   (builds: ENGINES_BUILDS, as scenarios.test.mjs)

import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { loadBuild } from './model.mjs';
import { TaskError } from './sfn/services.mjs';
import { walkStates, loadDefinition } from './sfn/harness.mjs';
import { REPO_ROOT } from './vtl/render.mjs';
import { vtl, j, eventMatching, pageLimits, routeRoles, topicsOf, crowd, nextEventId, Stack } from './stack.mjs';
import { receipts, exactlyOnce, allSucceeded, replay, records, buildsUnderTest } from './outcomes.mjs';

after(() => vtl.close());

const SQS_DOWN = () => new TaskError('SQS.AmazonSQSException', 'Service Unavailable (Service: AmazonSQS; Status Code: 503)');
const KEPT = 'undelivered';

function resilience(model) {
  const T = (name) => `${model.name}: ${name}`;
  const roles = routeRoles(model);
  const topics = topicsOf(model);
  const limits = pageLimits(model);
  const topicRoute = roles.subscribeTopics[0];
  const patternRoute = roles.subscribePattern[0];
  if (!model.routes.some((r) => r.routeKey === '$connect') || (!topicRoute && !patternRoute)) return;
  const selector = /^\$request\.body\.([A-Za-z0-9_-]+)$/.exec(model.api?.routeSelectionExpression ?? '')?.[1];
  const sel = (route) => (selector && !route.routeKey.startsWith('$') ? { [selector]: route.routeKey } : {});
  const topic = Object.keys(topics).find((t) => t !== '*') ?? '*';
  const key = topicRoute ? topic : '*';
  const base = eventMatching(topics[topic].pattern);
  const fresh = (extra = {}) => ({ ...structuredClone(base), id: nextEventId(3), detail: { ...base.detail, ...extra } });
  const subscribe = topicRoute ? (s, id) => s.message(id, { ...sel(topicRoute), topics: [topic] }) : (s, id) => s.message(id, { ...sel(patternRoute), pattern: { source: [base.source] } });
  const limit = limits[key];
  const machine = (suffix) => Object.values(model.stateMachines).find((m) => m.name.endsWith(`-${suffix}`));
  const pager = machine('delivery');
  const deliverer = machine('deliverer');
  const iamLog = [];
  const kept = (s) => s.items(KEPT).map((i) => JSON.parse(i.record.S));

  test(T('a record SQS refuses is kept in the connections table with its replay input; the replay delivers'), async () => {
    const n = limit + 2;
    const { s, ids } = await crowd(model, iamLog, 'Q', n, subscribe);
    const [x] = [ids[1]];
    s.world.fail((c) => c.action === 'invoke' && c.input.Path === `/@connections/${x}`, () => new TaskError('ApiGateway.500', '{"message":"Internal server error"}'));
    s.world.fail((c) => c.action === 'sendMessage', SQS_DOWN);
    const ev = fresh();
    await s.deliver(ev);
    allSucceeded(s);
    assert.deepEqual(records(s), [], 'SQS took a record');
    const [rec, ...more] = kept(s);
    assert(rec && more.length === 0, `kept: ${j(kept(s))}`);
    assert.equal(rec.reason, 'post-failed');
    assert.equal(rec.eventId, ev.id);
    assert.deepEqual(rec.failures.map((f) => f.connectionId), [x]);
    assert.equal(s.items(KEPT)[0].queueError.S, 'SQS.AmazonSQSException');
    s.world.faults.length = 0;
    await replay(s, rec);
    exactlyOnce(s, ev.id, ids);
  });

  test(T('when DynamoDB refuses the record too, the execution fails (RecordLost), which the executions alarm reports'), async () => {
    const { s } = await crowd(model, iamLog, 'L', 2, subscribe);
    s.world.fail((c) => c.action === 'invoke', () => new TaskError('ApiGateway.500', '{"message":"Internal server error"}'));
    s.world.fail((c) => c.action === 'sendMessage', SQS_DOWN);
    s.world.fail((c) => c.action === 'putItem' && c.input.Item?.connectionId?.S === KEPT, () => new TaskError('DynamoDB.AmazonDynamoDBException', 'Service Unavailable'));
    await s.deliver(fresh());
    const failed = s.world.executions.filter((x) => x.status === 'FAILED');
    assert(failed.length === 1 && failed[0].machine === deliverer.name && failed[0].error.Error === 'RecordLost', j(failed.map((x) => [x.machine, x.error])));
  });

  const standard = pager.type === 'STANDARD';
  test(T(standard ? 'a Standard continuation whose start is retried after it succeeded runs the rest of the audience once' : 'an Express continuation whose start is retried after it succeeded reaches everyone at least once (Express cannot deduplicate)'), async () => {
    let pages = 0;
    walkStates(loadDefinition(pager.definitionText, pager.substitutions), (name, st) => {
      for (const c of st.Choices ?? []) if (c.Variable === '$.progress.pages' && c.Next === 'ContinueLater') pages = c.NumericGreaterThanEquals + 1;
    });
    assert(pages > 0, 'no ContinueLater rule in the pager');
    const n = limit * pages + limit + 1;
    const { s, ids } = await crowd(model, iamLog, 'C', n, subscribe);
    const continuation = (c) => c.action === 'startExecution' && c.input.StateMachineArn === pager.arn;
    s.world.fail(continuation, () => new TaskError('StepFunctions.SdkClientException', 'Unable to execute HTTP request: connection reset'), 1, { after: true });
    const ev = fresh();
    await s.deliver(ev);
    allSucceeded(s);
    assert.deepEqual(records(s), []);
    const starts = s.world.calls.filter(continuation);
    assert.equal(starts.length, 2, 'the start was not retried');
    const runs = s.world.executions.filter((x) => x.machine === pager.name && x.input?.progress?.cursor);
    if (standard) {
      assert.equal(starts[1].deduplicated, true, 'the retried start was not deduplicated');
      assert.equal(runs.length, 1, `${runs.length} continuations ran`);
      exactlyOnce(s, ev.id, ids);
    } else {
      assert.equal(runs.length, 2);
      const counts = receipts(s, ev.id);
      assert(ids.every((id) => (counts.get(id) ?? 0) >= 1), 'someone was missed');
    }
  });

  test(T('a pager continues in a fresh execution after a time as well as after a number of pages (throttled reads)'), async () => {
    const n = limit * 8 + 1;
    const { s, ids } = await crowd(model, iamLog, 'P', n, subscribe);
    const slow = standard ? 600_000 : 15_000; // each subscriber read takes this long (throttled)
    s.world.latency = (c) => (c.action === 'query' && c.input.IndexName ? slow : 0);
    const ev = fresh();
    await s.deliver(ev);
    allSucceeded(s);
    exactlyOnce(s, ev.id, ids);
    const runs = s.world.executions.filter((x) => x.machine === pager.name && x.input?.event?.id === ev.id);
    assert(runs.length > 1, 'the pager never continued');
    for (const x of runs) {
      const elapsed = x.clock - x.startDate;
      assert(elapsed < (standard ? 3600 : 300) * 1000, `a pager execution ran ${elapsed} ms`);
    }
  });

  if (patternRoute && deliverer.definitionText.includes('TestOwnPattern')) {
    test(T('a client pattern TestEventPattern could not test is recorded with its pattern; the replay tests it again'), async () => {
      const { s, ids } = await crowd(model, iamLog, 'B', 3, (x, id) => x.message(id, { ...sel(patternRoute), pattern: { source: [base.source] } }));
      const [odd] = ids;
      // odd's pattern does not match the event; its test fails, so it is neither posted nor skipped
      const item = s.items(odd).find((i) => i.pattern?.S);
      s.world.ddb.putItem({ TableName: s.table, Item: { ...item, pattern: { S: JSON.stringify({ source: [`${base.source}-not`], detail: { 'a.b': [1] } }) } } });
      s.wait();
      const ev = fresh({ 'a.b': 1 }); // a dotted key: the JSONata matcher leaves it to EventBridge
      s.world.fail((c) => c.action === 'testEventPattern' && c.input.EventPattern.includes('-not'), () => new TaskError('EventBridge.EventBridgeException', 'Rate exceeded'));
      await s.deliver(ev);
      allSucceeded(s);
      exactlyOnce(s, ev.id, ids, [odd]);
      const [rec] = records(s);
      assert.equal(rec?.reason, 'post-failed', j(records(s)));
      const sub = rec.replay.input.subscribers.find((x) => x.connectionId.S === odd);
      assert(sub?.pattern?.S, `the record dropped the pattern: ${j(rec.replay.input)}`);
      s.world.faults.length = 0;
      await replay(s, rec);
      allSucceeded(s);
      exactlyOnce(s, ev.id, ids, [odd]);
    });
  }
}

for (const dir of buildsUnderTest()) describe(dir, () => resilience(loadBuild(dir)));

// ---- the lifetime of a connection's records, on a spec whose ttl is shorter than a connection
describe('records live as long as the connection can', () => {
  test('a subscription made an hour after $connect, with connections.ttl 30m, lives until 2 h after $connect', async () => {
    const dir = path.join(REPO_ROOT, 'target', 'engines-extra', 'short-ttl');
    const spec = path.join(REPO_ROOT, 'target', 'engines-extra', 'short-ttl.yaml');
    fs.mkdirSync(path.dirname(spec), { recursive: true });
    fs.writeFileSync(spec, 'version: 1\nname: short-ttl\nconnections: { ttl: 30m }\ntopics:\n  news: { pattern: { source: [app.news] } }\n');
    fs.rmSync(dir, { recursive: true, force: true });
    execFileSync(path.join(REPO_ROOT, 'target', 'release', 'lambdaless-gen'), ['build', spec, '-o', dir], { stdio: 'pipe' });
    const s = new Stack(loadBuild(dir), []);
    const id = 'TTLconn-A=';
    await s.connect(id);
    const connectedAt = s.world.clock;
    s.wait(3600 * 1000);
    await s.message(id, { action: 'subscribe', topics: ['news'] });
    const sub = s.items(id).find((i) => i.topic?.S === 'news');
    assert(sub, j(s.items(id)));
    const expiresAt = Number(sub.expiresAt.N);
    assert.equal(expiresAt, Math.floor(connectedAt / 1000) + 7200, `expiresAt ${expiresAt}: not the connection's end`);
    const conn = s.items(id).find((i) => i.sk.S === 'connection');
    assert(Number(conn.expiresAt.N) >= Math.floor(connectedAt / 1000) + 7200);
  });
});
