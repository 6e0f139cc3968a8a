// Self-tests of the JSONata of the engines (sfn/jsonata.mjs): Step Functions' functions, and only
// those, with AWS's errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate, QueryEvaluationError } from '../jsonata.mjs';

const run = (expr, input = {}) => evaluate(`{% ${expr} %}`, input, {});

test('$parse is there (a Step Functions addition); $eval is not (T1006, as AWS answers)', async () => {
  assert.deepEqual(await run('$parse("[1, {\\"a\\": 2}]")'), [1, { a: 2 }]);
  await assert.rejects(run('$eval("1+1")'), (e) => e instanceof QueryEvaluationError && /^T1006: Attempted to invoke a non-function/.test(e.message));
});

test('an expression that is not JSONata, and an error at run time, are States.QueryEvaluationError', async () => {
  await assert.rejects(run('1 +'), (e) => e.name === 'States.QueryEvaluationError');
  await assert.rejects(run('$number("x") + $error("boom")'), (e) => e.name === 'States.QueryEvaluationError');
  assert.equal(await evaluate('not an expression', {}, {}), 'not an expression');
});

// AWS's answers, measured with TestState (see the top of sfn/jsonata.mjs for the sources).
test('depth is bounded as on AWS: 1+1+…+1 with 100 terms evaluates, 101 fail; $f(31) evaluates, $f(32) fails', async () => {
  const sum = (n) => Array(n).fill('1').join('+');
  assert.equal(await run(sum(100)), 100);
  await assert.rejects(run(sum(101)), (e) => e instanceof QueryEvaluationError && /^Stack overflow error: Check for non-terminating recursive function/.test(e.message));
  const f = (n) => `($f := function($n) { $n = 0 ? 0 : 1 + $f($n - 1) }; $f(${n}))`;
  assert.equal(await run(f(31)), 31);
  await assert.rejects(run(f(32)), /Stack overflow error/);
  // a tail call is trampolined: it does not deepen
  assert.equal(await run('($f := function($n, $a) { $n = 0 ? $a : $f($n - 1, $a + 1) }; $f(5000, 0))'), 5000);
});

test('memory is bounded as on AWS: [1..873782] is accepted, one more element refused; a 2^22-character string accepted, 2^23 refused', async () => {
  assert.equal(await run('$count([1..873782])'), 873782);
  await assert.rejects(run('$count([1..873783])'), (e) => e instanceof QueryEvaluationError && /^Expression evaluation memory limit exceeded/.test(e.message));
  assert.equal(await run('$length($pad("", 4194304, "x"))'), 4194304);
  await assert.rejects(run('$length($pad("", 8388608, "x"))'), /memory limit exceeded/);
});

test('the bounds hold in every state: a Pass state of a running machine fails with States.QueryEvaluationError, which its Catch sees', async () => {
  const { runMachine } = await import('../harness.mjs');
  const deep = Array(150).fill('1').join('+');
  const def = { StartAt: 'P', States: { P: { Type: 'Pass', QueryLanguage: 'JSONata', Output: `{% ${deep} %}`, Catch: [{ ErrorEquals: ['States.QueryEvaluationError'], Next: 'Caught' }], End: true }, Caught: { Type: 'Pass', End: true } } };
  const r = await runMachine(def, {});
  assert.equal(r.status, 'SUCCEEDED');
  assert(r.events.some((e) => e.type === 'StateEntered' && e.state.name === 'Caught'), 'the Catch did not run');
});
