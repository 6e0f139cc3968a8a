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
