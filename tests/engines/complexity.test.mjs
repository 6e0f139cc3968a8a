// The complexity check of client patterns (`MeasurePattern` in the connections machine) on real
// `lambdaless-gen build` output, beyond what the scenario corpus shows (tests/scenarios/
// seed-pattern-complexity.yaml has every limit's exact reply on both executors):
//  * the deepest patterns EventBridge's grammar and 2,048 characters allow (nested objects,
//    dotted keys, nested $or) are measured, never failing the evaluation: refused with their
//    nesting figure;
//  * if the measure's evaluation fails anyway (a fault injected into the JSONata state), the
//    Parallel's Catch answers internal-error, stores nothing, and the execution succeeds.
//
//   node --test tests/engines/complexity.test.mjs   (builds: ENGINES_BUILDS, as scenarios.test.mjs)

import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { loadBuild } from './model.mjs';
import { REPO_ROOT } from './vtl/render.mjs';
import { vtl, j, Stack, routeRoles } from './stack.mjs';

const engines = path.join(REPO_ROOT, 'target/engines');
const builds = process.env.ENGINES_BUILDS?.split(/\s+/).filter(Boolean) ?? (fs.existsSync(engines) ? fs.readdirSync(engines).map((d) => path.join(engines, d)).filter((d) => fs.existsSync(path.join(d, 'template.yaml'))) : []);
after(() => vtl.close());

for (const dir of builds) describe(dir, () => checks(loadBuild(dir)));

/** {"a": {"a": ... {"x": [1]}}} with `levels` levels. */
const nested = (levels) => {
  let p = { x: [1] };
  for (let i = 1; i < levels; i++) p = { a: p };
  return p;
};
/** $or inside $or: each adds a level. */
const ors = (levels) => {
  let p = { x: [1] };
  for (let i = 1; i < levels; i++) p = { $or: [p, { y: [2] }] };
  return p;
};

function checks(model) {
  const T = (name) => `${model.name}: ${name}`;
  const route = routeRoles(model).subscribePattern[0];
  if (!route || !model.routes.some((r) => r.routeKey === '$connect')) {
    test(T('pattern complexity'), { skip: 'no pattern route' }, () => {});
    return;
  }
  const selector = /^\$request\.body\.([A-Za-z0-9_-]+)$/.exec(model.api?.routeSelectionExpression ?? '')?.[1];
  const body = (pattern) => ({ ...(selector ? { [selector]: route.routeKey } : {}), pattern });
  const connections = Object.values(model.stateMachines).find((m) => /"MeasurePattern"/.test(m.definitionText));

  test(T('the deepest patterns 2,048 characters allow are measured and refused with their nesting'), async (t) => {
    const st = new Stack(model, []);
    await st.connect('deep');
    for (const [pattern, nesting] of [
      [nested(60), 60],
      [{ [Array(62).fill('a').join('.')]: [1] }, 62],
      [ors(30), 30],
      [{ 'a.b.c': { $or: [{ 'd.e': { f: [1] } }, { g: [2] }] } }, 7],
    ]) {
      assert(JSON.stringify(pattern).length <= 2048, `${JSON.stringify(pattern).length} characters`);
      st.clearMessages();
      const r = await st.message('deep', body(pattern));
      assert.equal(r.run.status, 'SUCCEEDED', `${r.run.status} ${j(r.run.error)}`);
      const want = nesting > 8
        ? { type: 'error', route: route.routeKey, code: 'pattern-too-complex', message: `nesting ${nesting} (at most 8)` }
        : { type: 'subscribed', route: route.routeKey, pattern: true };
      assert.deepEqual(st.received('deep'), [want], j(pattern));
    }
    t.diagnostic(`note ${T('complexity')}: nested objects (60 levels), a 62-segment dotted key and 30 nested $or measured without an evaluation error`);
  });

  test(T('an evaluation error in the measure is caught: internal-error, nothing stored, the execution succeeds'), async () => {
    const st = new Stack(model, []);
    await st.connect('fault');
    st.world.failState(
      ({ machine, state }) => machine === connections.name && state === 'Measure',
      () => Object.assign(new Error('Stack overflow error (injected)'), { name: 'States.QueryEvaluationError' }),
      1,
    );
    const r = await st.message('fault', body({ source: ['shop'] }));
    assert.equal(r.run.status, 'SUCCEEDED', `${r.run.status} ${j(r.run.error)}`);
    assert.deepEqual(st.received('fault'), [
      { type: 'error', route: route.routeKey, code: 'internal-error', message: 'the request could not be completed; try again' },
    ]);
    assert(!st.items('fault').some((i) => i.pattern), `a pattern was stored: ${j(st.items('fault'))}`);
    st.clearMessages();
    const again = await st.message('fault', body({ source: ['shop'] }));
    assert.equal(again.run.status, 'SUCCEEDED');
    assert.deepEqual(st.received('fault'), [{ type: 'subscribed', route: route.routeKey, pattern: true }]);
    assert(st.items('fault').some((i) => i.pattern), 'the pattern was not stored once the fault was gone');
  });
}
