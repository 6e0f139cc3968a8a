// Isolation, on real `lambdaless-gen build` output, with the engines' JSONata under AWS's own
// bounds (sfn/jsonata.mjs): whatever one pattern subscriber's pattern or the event's shape does,
// every other subscriber of its page is served, and that subscriber alone is recorded
// (`pattern-unevaluable`), with a replay that cannot fail for anyone else.
//
//   node --test tests/engines/isolation.test.mjs   (builds: ENGINES_BUILDS, as scenarios.test.mjs)
//
// Per build with a client-pattern route: a pattern AWS's depth bound stops (stored as if an older
// stack had accepted it) and an evaluation error, each sharing a page with five ordinary
// subscribers; then patterns at the edge of what subscribe admits, through the route itself: 11
// levels deep, a 20-branch `$or` on nested fields over arrays of objects, a 45-branch `$or`
// against a 1,000-item event (each refused at subscribe with `pattern-too-complex`, or served).

import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { loadBuild } from './model.mjs';
import { QueryEvaluationError } from './sfn/jsonata.mjs';
import { vtl, j, eventMatching, pageLimits, routeRoles, topicsOf, crowd, nextEventId } from './stack.mjs';
import { receipts, exactlyOnce, allSucceeded, replay, records, buildsUnderTest } from './outcomes.mjs';

after(() => vtl.close());

/** `{"l1": {"l2": ... {leaf}}}`, `levels` objects deep. */
const nested = (levels, leaf) => {
  let x = leaf;
  for (let i = levels; i >= 1; i--) x = { [`l${i}`]: x };
  return x;
};

/** The same path with every object inside an array of two: a decoy first, the real one second. */
const nestedArrays = (levels, leaf) => {
  let x = leaf;
  for (let i = levels; i >= 1; i--) x = { [`l${i}`]: [{ decoy: true }, x] };
  return x;
};

function isolation(model) {
  const T = (name) => `${model.name}: ${name}`;
  const route = routeRoles(model).subscribePattern[0];
  const limit = pageLimits(model)['*'];
  const deliverer = Object.values(model.stateMachines).find((m) => m.name.endsWith('-deliverer'));
  const inWorkflow = deliverer && /EvaluatePattern/.test(deliverer.definitionText);
  if (!route || !inWorkflow) return;
  const selector = /^\$request\.body\.([A-Za-z0-9_-]+)$/.exec(model.api?.routeSelectionExpression ?? '')?.[1];
  const sel = selector ? { [selector]: route.routeKey } : {};
  const base = eventMatching(topicsOf(model)['*'].pattern);
  const ordinary = { source: [base.source] };
  const eventWith = (detail) => ({ ...structuredClone(base), id: nextEventId(5), detail: { ...base.detail, ...detail } });
  const iamLog = [];
  const six = async (prefix) => {
    assert(limit >= 6, `pattern pages of ${limit}: six subscribers must share one`);
    return crowd(model, iamLog, prefix, 6, (s, id) => s.message(id, { ...sel, pattern: ordinary }));
  };
  /** Stores `pattern` for `id` as the subscribe route would have (the index catches up at once). */
  const store = (s, id, pattern) => {
    const item = s.items(id).find((i) => i.pattern?.S);
    s.world.ddb.putItem({ TableName: s.table, Item: { ...item, pattern: { S: JSON.stringify(pattern) } } });
    s.wait();
  };

  /** The page: the five others once each, `odd` never; one pattern-unevaluable record, for it alone. */
  const checkIsolated = (s, ev, ids, odd, error) => {
    allSucceeded(s);
    exactlyOnce(s, ev.id, ids, [odd]);
    const [rec, ...more] = records(s);
    assert(rec && more.length === 0, `expected one record, got ${j(records(s))}`);
    assert.equal(rec.reason, 'pattern-unevaluable', j(rec));
    assert.equal(rec.eventId, ev.id);
    assert.equal(rec.topic, '*');
    assert.deepEqual(rec.connections, [odd]);
    assert.deepEqual(rec.errors, [error]);
    assert(typeof rec.causes?.[0] === 'string' && rec.causes[0].length > 0, `causes: ${j(rec)}`);
    assert.match(rec.execution, new RegExp(`:execution:${deliverer.name}:`));
    assert.equal(rec.replay.stateMachineArn, deliverer.arn);
    const again = rec.replay.input.subscribers;
    assert.deepEqual(again.map((x) => x.connectionId.S), [odd], 'the replay holds that subscriber alone');
    assert.equal(typeof again[0].pattern?.S, 'string', 'the replay carries its pattern');
    return rec;
  };

  test(T('a pattern that AWS\'s depth bound stops (40 levels, stored by an older stack) is recorded once as pattern-unevaluable; its five page-mates are served once each; its replay fails for nobody else'), async () => {
    const { s, ids } = await six('I');
    const odd = ids[2];
    store(s, odd, { source: [base.source], detail: nested(40, { x: ['a'] }) });
    const ev = eventWith(nested(40, { x: 'a' }));
    await s.deliver(ev);
    const rec = checkIsolated(s, ev, ids, odd, 'States.QueryEvaluationError');
    assert.match(rec.causes[0], /Stack overflow error|memory limit/, rec.causes[0]);
    const before = s.world.deliveries.length;
    await replay(s, rec);
    allSucceeded(s);
    assert.equal(s.world.deliveries.length, before, 'the replay delivered to someone');
    const again = records(s).slice(1);
    assert(again.length === 1 && again[0].reason === 'pattern-unevaluable' && j(again[0].connections) === j([odd]), `the replay recorded ${j(again)}`);
  });

  test(T('an evaluation error of one subscriber\'s pattern (injected) is recorded for it alone; its page-mates are served'), async () => {
    const { s, ids } = await six('E');
    const odd = ids[4];
    s.world.failState(({ machine, state, input }) => machine === deliverer.name && state === 'EvaluatePattern' && input?.connectionId === odd, () => new QueryEvaluationError('injected: the expression failed'));
    const ev = eventWith({});
    await s.deliver(ev);
    const rec = checkIsolated(s, ev, ids, odd, 'States.QueryEvaluationError');
    assert.equal(rec.causes[0], 'injected: the expression failed');
    s.world.stateFaults.length = 0;
    await replay(s, rec);
    allSucceeded(s);
    exactlyOnce(s, ev.id, ids);
  });

  // Patterns at the edge of what subscribe admits, sent through the route: refused there, or
  // evaluated within AWS's bounds and delivered exactly like the Rust matcher says.
  const edge = [
    ['an 11-level pattern', { source: [base.source], detail: nested(11, { x: ['a'] }) }, eventWith(nestedArrays(11, { x: 'a' }))],
    [
      'a 20-branch $or on nested fields over arrays of objects',
      { source: [base.source], detail: { $or: Array.from({ length: 20 }, (_, i) => ({ items: { tags: { name: [`t${i}`] } } })) } },
      eventWith({ items: Array.from({ length: 50 }, (_, i) => ({ tags: [{ name: 'other' }, { name: i === 49 ? 't19' : `x${i}` }] })) }),
    ],
    [
      'a 45-branch $or against a 1,000-item event',
      { source: [base.source], detail: { $or: Array.from({ length: 45 }, (_, i) => ({ items: { sku: [`sku-${i}`] } })) } },
      eventWith({ items: Array.from({ length: 1000 }, (_, i) => ({ sku: i === 999 ? 'sku-44' : `other-${i}`, qty: i })) }),
    ],
  ];
  for (const [what, pattern, ev] of edge) {
    test(T(`${what}, sharing a page with five ordinary subscribers: refused at subscribe, or served; the five are served once each`), async (t) => {
      const { s, ids } = await six('W');
      const odd = 'WWWWedge-sub=';
      await s.connect(odd);
      s.clearMessages();
      await s.message(odd, { ...sel, pattern });
      const [reply] = s.received(odd);
      s.wait();
      const started = performance.now();
      await s.deliver(ev);
      const seconds = ((performance.now() - started) / 1000).toFixed(2);
      allSucceeded(s);
      exactlyOnce(s, ev.id, ids);
      const got = receipts(s, ev.id).get(odd) ?? 0;
      if (reply?.type === 'error') {
        assert.equal(reply.code, 'pattern-too-complex', j(reply));
        assert.equal(got, 0);
        t.diagnostic(`note ${T('edge')}: ${what}: refused at subscribe (${reply.message})`);
      } else {
        assert.equal(reply?.type, 'subscribed', j(reply));
        assert.equal(got, 1, `${what}: received ${got} times`);
        assert.deepEqual(records(s), []);
        t.diagnostic(`note ${T('edge')}: ${what}: admitted and served; the page took ${seconds} s in the engines`);
      }
    });
  }
}

for (const dir of buildsUnderTest()) describe(dir, () => isolation(loadBuild(dir)));
