// Delivery at scale and under faults, on real `lambdaless-gen build` output (see stack.mjs): the
// pager hands each page to its own deliverer and continues in fresh executions, so no execution's
// history grows with the audience; every failure ends as a record in the queue of undelivered work,
// and replaying a record (the execution it names, with its input) delivers what was missed.
//
//   node --test tests/engines/delivery.test.mjs   (builds: ENGINES_BUILDS, as scenarios.test.mjs)
//
// Per build: faults (subscriber reads throttled past retries, posts answering 429/500 past retries,
// a deliverer that cannot be started, a 200 KB event), each with its record, the other subscribers
// served, and the replay; the cost of delivery (service calls and state transitions per subscriber).
// On builds with small pages (fanout.yaml): 50 and 5,000 subscribers, with the same longest execution.

import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { loadBuild } from './model.mjs';
import { historyEvents, walkStates, loadDefinition } from './sfn/harness.mjs';
import { TaskError } from './sfn/services.mjs';
import { REPO_ROOT } from './vtl/render.mjs';
import { vtl, j, eventMatching, pageLimits, routeRoles, topicsOf, crowd, nextEventId, iamAllows } from './stack.mjs';
import { receipts, exactlyOnce, allSucceeded, replay, records, buildsUnderTest } from './outcomes.mjs';

const builds = buildsUnderTest();
after(() => vtl.close());



// The README's cost table (the rows after its marker comment): each row is measured again by the
// cost test of every build it describes, and every row must be measured when every spec is built.
const COST_ROWS = (() => {
  const text = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const at = text.indexOf('<!-- cost table:');
  assert(at >= 0, 'README.md: no cost table marker');
  const lines = text.slice(at).split('\n').slice(1);
  const rows = [];
  for (const line of lines.slice(2)) {
    if (!line.startsWith('|')) break;
    const cells = line.split('|').slice(1, -1).map((c) => c.trim());
    const m = /^(topic|pattern) subscriber(?:, `pattern_matching: (workflow|eventbridge)`)? \(pages of (\d+)\)$/.exec(cells[0]);
    assert(m, `README cost table: cannot read the row ${cells[0]}`);
    const number = (cell) => {
      const x = /^(\d+(?:\.(\d+))?)/.exec(cell);
      assert(x, `README cost table, ${cells[0]}: no number in ${cell}`);
      return { value: Number(x[1]), decimals: x[2]?.length ?? 0 };
    };
    const [calls, reads, executions, transitions] = cells.slice(1).map(number);
    rows.push({ label: cells[0], kind: m[1], mode: m[2] ?? null, pageSize: Number(m[3]), values: { calls, reads, executions, transitions }, asserted: [] });
  }
  assert(rows.length > 0, 'README cost table: no rows');
  return rows;
})();
const everySpec = fs.readdirSync(path.join(REPO_ROOT, 'specs')).filter((f) => f.endsWith('.yaml')).every((f) => builds.some((d) => path.basename(d) === f.replace(/\.yaml$/, '')));
if (everySpec) {
  after(() => {
    const missed = COST_ROWS.filter((r) => r.asserted.length === 0).map((r) => r.label);
    assert(missed.length === 0, `README cost table rows no build of specs/ measured: ${missed.join('; ')}`);
  });
}

for (const dir of builds) describe(dir, () => delivery(loadBuild(dir)));

function delivery(model) {
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
  const base = eventMatching(topics[topic].pattern);
  const fresh = (extra = {}) => ({ ...structuredClone(base), id: nextEventId(7), detail: { ...base.detail, ...extra } });
  const subscribeTopic = (s, id) => s.message(id, { ...sel(topicRoute), topics: [topic] });
  const subscribePattern = (s, id) => s.message(id, { ...sel(patternRoute), pattern: { source: [base.source] } });
  const subscribe = topicRoute ? subscribeTopic : subscribePattern;
  const limit = limits[topicRoute ? topic : '*'];
  const deliverer = Object.values(model.stateMachines).find((m) => m.name.endsWith('-deliverer'));
  const iamLog = [];

  test(T('a subscriber read throttled past its retries is recorded with its cursor; the replay serves the rest'), async () => {
    const n = limit * 3 + 1;
    const { s, ids } = await crowd(model, iamLog, 'R', n, subscribe);
    let reads = 0;
    const key = topicRoute ? topic : '*';
    const throttled = (c) => c.action === 'query' && c.input.IndexName && c.input.ExpressionAttributeValues?.[':t']?.S === key && ++reads >= 2;
    s.world.fail(throttled, () => new TaskError('DynamoDb.ProvisionedThroughputExceededException', 'Rate of requests exceeds the allowed throughput.'), 7);
    const ev = fresh();
    await s.deliver(ev);
    allSucceeded(s);
    const [rec, ...more] = records(s);
    assert(rec && more.length === 0, `expected one record, got ${j(records(s))}`);
    assert(rec.reason === 'subscribers-unreadable' && rec.eventId === ev.id && rec.cursor && rec.error === 'DynamoDb.ProvisionedThroughputExceededException', `record: ${j(rec)}`);
    const served = new Set(receipts(s, ev.id).keys());
    assert(served.size === limit, `${served.size} served before the unreadable page (page size ${limit})`);
    await replay(s, rec);
    exactlyOnce(s, ev.id, ids);
  });

  test(T('posts answering 429 and 500 past their retries are recorded per subscriber; the others receive; the replay delivers'), async () => {
    const n = limit + 2;
    const { s, ids } = await crowd(model, iamLog, 'F', n, subscribe);
    const [x, y] = [ids[1], ids[n - 1]];
    const to = (id) => (c) => c.action === 'invoke' && c.input.Path === `/@connections/${id}`;
    s.world.fail(to(x), () => new TaskError('ApiGateway.429', '{"message":"Too Many Requests"}'));
    s.world.fail(to(y), () => new TaskError('ApiGateway.500', '{"message":"Internal server error"}'));
    const ev = fresh();
    await s.deliver(ev);
    allSucceeded(s);
    exactlyOnce(s, ev.id, ids, [x, y]);
    const recs = records(s);
    const failures = recs.flatMap((r) => r.failures ?? []);
    assert(recs.every((r) => r.reason === 'post-failed' && r.eventId === ev.id), `records: ${j(recs)}`);
    assert(failures.length === 2 && failures.some((f) => f.connectionId === x && f.error === 'ApiGateway.429') && failures.some((f) => f.connectionId === y && f.error === 'ApiGateway.500'), `failures: ${j(failures)}`);
    const attempts = s.world.calls.filter((c) => to(x)(c)).length;
    assert(attempts === 4, `${attempts} posts to the throttled client (1 + 3 retries expected)`);
    s.world.faults.length = 0;
    for (const r of recs) await replay(s, r);
    exactlyOnce(s, ev.id, ids);
  });

  test(T('a deliverer that cannot be started is recorded with its page; the other pages are served; the replay delivers'), async () => {
    const n = limit * 2 + 1;
    const { s, ids } = await crowd(model, iamLog, 'D', n, subscribe);
    let starts = 0;
    const firstPage = (c) => c.action === 'startExecution' && c.input.StateMachineArn === deliverer.arn && starts++ < 4;
    s.world.fail(firstPage, () => new TaskError('StepFunctions.ExecutionLimitExceeded', 'Maximum number of running executions reached'), 4);
    const ev = fresh();
    await s.deliver(ev);
    allSucceeded(s);
    const [rec, ...more] = records(s);
    assert(rec && more.length === 0 && rec.reason === 'deliverer-not-started', `records: ${j(records(s))}`);
    const page = rec.replay.input.subscribers.map((i) => i.connectionId.S);
    assert(page.length === limit, `the record holds ${page.length} subscribers, the page ${limit}`);
    exactlyOnce(s, ev.id, ids, page);
    await replay(s, rec);
    exactlyOnce(s, ev.id, ids);
  });

  // Pages one pager execution reads before it continues in a fresh one (its MorePages rule).
  const pager = Object.values(model.stateMachines).find((m) => m.name.endsWith('-delivery'));
  const pagesPerExecution = (() => {
    let n = null;
    walkStates(loadDefinition(pager.definitionText, pager.substitutions), (name, st) => {
      for (const c of st.Choices ?? []) if (c.Variable === '$.progress.pages' && c.Next === 'ContinueLater') n = c.NumericGreaterThanEquals + 1;
    });
    return n;
  })();

  test(T('a continuation that cannot be started is recorded with its cursor; the pages before it are served; the replay serves the rest, once'), async () => {
    assert(pagesPerExecution > 0, 'no ContinueLater rule in the pager');
    const n = limit * pagesPerExecution + limit + 1;
    const { s, ids } = await crowd(model, iamLog, 'K', n, subscribe);
    const continuation = (c) => c.action === 'startExecution' && c.input.StateMachineArn === pager.arn;
    s.world.fail(continuation, () => new TaskError('StepFunctions.ExecutionLimitExceeded', 'Maximum number of running executions reached'));
    const ev = fresh();
    await s.deliver(ev);
    allSucceeded(s);
    const [rec, ...more] = records(s);
    assert(rec && more.length === 0, `expected one record, got ${j(records(s))}`);
    assert.equal(rec.reason, 'continuation-not-started', j(rec));
    assert.equal(rec.eventId, ev.id);
    assert.equal(rec.topic, topicRoute ? topic : '*');
    assert.equal(rec.error, 'StepFunctions.ExecutionLimitExceeded');
    assert.match(rec.cause ?? '', /Maximum number of running executions/);
    assert.match(rec.execution, new RegExp(`:execution:${pager.name}:`), 'the record names the pager execution that gave up');
    assert(rec.cursor && typeof rec.cursor === 'object', `cursor: ${j(rec.cursor)}`);
    assert.equal(rec.replay.stateMachineArn, pager.arn);
    assert.deepEqual(rec.replay.input.progress.cursor, rec.cursor);
    assert.deepEqual(rec.replay.input.event, ev);
    const served = receipts(s, ev.id);
    assert.equal(served.size, limit * pagesPerExecution, `served before the continuation (${pagesPerExecution} pages of ${limit})`);
    assert([...served.values()].every((c) => c === 1), 'someone was served twice');
    const attempts = s.world.calls.filter(continuation).length;
    assert(attempts > 1, `the start was not retried (${attempts} attempt)`);
    s.world.faults.length = 0;
    await replay(s, rec);
    allSucceeded(s);
    exactlyOnce(s, ev.id, ids);
  });

  test(T('a page that fails as a whole inside its deliverer is recorded with the page; the other pages are served; the replay delivers'), async () => {
    const n = limit * 2 + 1;
    const { s, ids } = await crowd(model, iamLog, 'G', n, subscribe);
    // The first deliverer's fan-out (its Map state) fails as it starts: a failure of the whole page.
    let first = null;
    s.world.failState(({ machine, execution, state }) => machine === deliverer.name && state === 'Deliver' && (first ??= execution) === execution, () => Object.assign(new Error('the page failed (injected)'), { name: 'States.Runtime.Injected' }));
    const ev = fresh();
    await s.deliver(ev);
    allSucceeded(s);
    const [rec, ...more] = records(s);
    assert(rec && more.length === 0, `expected one record, got ${j(records(s))}`);
    assert.equal(rec.reason, 'page-failed', j(rec));
    assert.equal(rec.eventId, ev.id);
    assert.equal(rec.topic, topicRoute ? topic : '*');
    assert.equal(rec.error, 'States.Runtime.Injected');
    assert.equal(rec.cause, 'the page failed (injected)');
    assert.equal(rec.execution, first);
    assert.equal(rec.replay.stateMachineArn, deliverer.arn);
    assert.deepEqual(rec.replay.input.event, ev);
    const page = rec.replay.input.subscribers.map((i) => i.connectionId.S);
    assert(page.length === limit || page.length === n % limit, `the record holds ${page.length} subscribers: not a whole page (${limit}, or the last ${n % limit})`);
    exactlyOnce(s, ev.id, ids, page);
    s.world.stateFaults.length = 0;
    await replay(s, rec);
    allSucceeded(s);
    exactlyOnce(s, ev.id, ids);
  });

  test(T('an event over 128 KB is recorded once per topic rule it matches, and posted to nobody'), async () => {
    const { s } = await crowd(model, iamLog, 'B', limit * 2, subscribe);
    const ev = fresh({ blob: 'b'.repeat(200 * 1024) });
    const runs = await s.deliver(ev);
    allSucceeded(s);
    assert(s.world.deliveries.length === 0, `${s.world.deliveries.length} posts of a 200 KB event`);
    const recs = records(s);
    assert(recs.length === runs.length && recs.every((r) => r.reason === 'event-too-large' && r.eventId === ev.id && !r.replay), `${runs.length} rule(s) matched; records: ${j(recs)}`);
    assert(!s.world.executions.some((x) => x.machine === deliverer.name), 'a deliverer was started for it');
  });

  const summarised = model.rules.filter((r) => Object.keys(r.targets[0]?.inputTransformer?.inputPathsMap ?? {}).length);
  test(T('a topic delivering a summary sends id, source, detail-type, time and detail only'), { skip: (!summarised.length || !topicRoute) && 'no topic delivers a summary' }, async () => {
    for (const rule of summarised) {
      const name = /"topic"\s*:\s*"([^"]*)"/.exec(rule.targets[0].inputTransformer.inputTemplate)[1];
      const { s, ids } = await crowd(model, iamLog, 'Y', 3, (x, id) => x.message(id, { ...sel(topicRoute), topics: [name] }));
      const ev = { ...eventMatching(rule.pattern), id: nextEventId(6), account: '123456789012', resources: ['arn:aws:secret:thing'] };
      await s.deliver(ev);
      allSucceeded(s);
      for (const id of ids) {
        const got = s.received(id).map((m) => m.event);
        assert(got.length === 1, `${id} received ${got.length}`);
        assert.deepEqual(Object.keys(got[0]).sort(), ['detail', 'detail-type', 'id', 'source', 'time'], j(got[0]));
        assert.deepEqual(got[0].detail, ev.detail);
      }
    }
  });

  test(T('cost: service calls, reads, executions and state transitions per subscriber of one event, as the README states'), async (t) => {
    for (const [kind, route, sub] of [['topic', topicRoute, subscribeTopic], ['pattern', patternRoute, subscribePattern]]) {
      if (!route) continue;
      const pageSize = limits[kind === 'topic' ? topic : '*'];
      const n = pageSize * 4;
      const { s } = await crowd(model, iamLog, kind === 'topic' ? 'CT' : 'CP', n, sub);
      const ev = fresh();
      await s.deliver(ev);
      allSucceeded(s);
      const mine = s.world.executions.filter((x) => x.input?.topic === (kind === 'topic' ? topic : '*'));
      const calls = mine.flatMap((x) => x.calls);
      const per = (count) => count / n;
      const measured = {
        calls: per(calls.filter((c) => c.action !== 'startExecution' && !c.service.endsWith('dynamodb')).length),
        reads: per(calls.filter((c) => c.service.endsWith('dynamodb')).length),
        executions: per(mine.length),
        transitions: per(mine.flatMap((x) => x.events).filter((e) => e.type === 'StateEntered').length),
      };
      const posts = per(calls.filter((c) => c.action === 'invoke').length);
      const tests = per(calls.filter((c) => c.action === 'testEventPattern').length);
      t.diagnostic(`note ${T('cost')}: a ${kind} subscriber (pages of ${pageSize}, ${n} subscribers): ${measured.calls.toFixed(2)} service calls per subscriber (${posts.toFixed(2)} POST, ${tests.toFixed(2)} TestEventPattern), ${measured.reads.toFixed(2)} DynamoDB reads and ${measured.executions.toFixed(2)} executions per subscriber (one Query and one deliverer per page), ${measured.transitions.toFixed(2)} state transitions per subscriber`);
      assert(receipts(s, ev.id).size === n, `${receipts(s, ev.id).size} of ${n} received`);
      const mode = tests > 0 ? 'eventbridge' : 'workflow';
      const row = COST_ROWS.find((r) => r.kind === kind && r.pageSize === pageSize && (kind === 'topic' || r.mode === mode));
      if (!row) continue;
      row.asserted.push(model.name);
      for (const [column, stated] of Object.entries(row.values)) {
        const tolerance = Math.max(0.6 * 10 ** -stated.decimals, 0.03 * stated.value);
        assert(Math.abs(measured[column] - stated.value) <= tolerance, `README cost table, ${row.label}: ${column} ${stated.value} stated, ${measured[column].toFixed(3)} measured on ${model.name}`);
      }
    }
  });

  // The pager hands over pages of `limit`; a fresh execution continues every 20 pages. With pages
  // of 2, 50 subscribers already fill a pager execution: the longest execution is the same at 5,000.
  const small = limit <= 2;
  test(T('50 and 5,000 subscribers: each receives every matching event exactly once, and the longest execution is the same'), { skip: !small && `pages of ${limit}: the scale scenario runs on specs with pages of 2 (specs/fanout.yaml)` }, async (t) => {
    const longest = {};
    for (const n of [50, 5000]) {
      const { s, ids } = await crowd(model, iamLog, `S${n}-`, n, subscribe);
      const events = [fresh(), fresh()];
      for (const ev of events) await s.deliver(ev);
      allSucceeded(s);
      for (const ev of events) exactlyOnce(s, ev.id, ids);
      const byMachine = {};
      for (const x of s.world.executions.filter((e) => e.startedBy !== null && !e.startedBy.startsWith('route'))) {
        byMachine[x.machine] = Math.max(byMachine[x.machine] ?? 0, historyEvents(x.events));
      }
      longest[n] = byMachine;
      const executions = s.world.executions.filter((x) => x.input?.event).length;
      t.diagnostic(`note ${T('scale')}: ${n} subscribers, 2 events: ${executions} delivery executions; the longest, in history events: ${Object.entries(byMachine).map(([m, h]) => `${m} ${h}`).join(', ')}`);
      assert(records(s).length === 0, `records: ${j(records(s))}`);
    }
    assert.deepEqual(longest[5000], longest[50], 'the longest execution grew with the audience');
  });

  test(T('IAM roles allow every AWS call the delivery scenarios made (records, hand-offs, continuations)'), () => {
    const denied = new Set();
    for (const r of iamLog.filter((x) => x.who !== 'operator replay')) {
      if (!iamAllows(model.roles[r.role], r.action, r.resource, r.context)) denied.add(`${r.who}: ${r.action} on ${r.resource.replace(/@connections\/[^/]+$/, '@connections/<id>')} (role ${r.role ?? 'none'})`);
    }
    assert(iamLog.some((x) => x.action === 'sqs:SendMessage'), 'no record was sent');
    assert(denied.size === 0, [...denied].slice(0, 6).join(' | '));
  });
}
