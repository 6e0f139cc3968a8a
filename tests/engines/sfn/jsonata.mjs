// JSONata for the states the generated machines mark `"QueryLanguage": "JSONata"`, evaluated by
// the reference implementation jsonata@2.0.6 (what Step Functions implements). engine.mjs patches
// aws-local-stepfunctions (which has no JSONata support) to call these for JSONata Pass and Choice
// states; nothing else of JSONata mode is emulated, because the generated artifacts use nothing else.
//
// AWS behaviour reproduced (https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html):
//  * a string field whose whole (trimmed) value is `{% expr %}` is an expression; any other string
//    is a literal; objects and arrays are templates whose leaves are evaluated the same way;
//  * expressions see `$states.input` and `$states.context`;
//  * Step Functions adds `$parse` (JSON text to value) to the JSONata 2.0.6 built-ins (the others it
//    adds, $partition $range $hash $random $uuid, are not used by the generated machines and are
//    deliberately absent: using one fails the test);
//  * Step Functions offers every JSONata built-in except `$eval`: calling it fails the state with
//    `T1006: Attempted to invoke a non-function` (a TestState answer quoted in floci-io/floci issue
//    2737). Here `$eval` is replaced by a function that raises that same error;
//  * an evaluation error, and a Choice `Condition` that is not a boolean, raise
//    States.QueryEvaluationError (catchable).

import jsonata from 'jsonata';

// ---------------------------------------------------------------------------- AWS's bounds
//
// Step Functions bounds every JSONata evaluation, and neither jsonata itself nor the engine does.
// Measured against Step Functions with TestState and published in floci-io/floci issues 2667 and
// 2737 and pull requests 2697 and 2783 (the causes quoted there are AWS's answers):
//  * depth: "Stack overflow error: Check for non-terminating recursive function. Consider
//    rewriting as tail-recursive." past an evaluation depth of 100, counted as jsonata's own
//    test-suite counts it (test/run-test-suite.js `timeboxExpression`: the `__evaluate_entry` /
//    `__evaluate_exit` hooks, evaluations flagged `isParallelCall` not counted). `1+1+…+1` with
//    100 terms evaluates and with 101 fails; the non-tail recursion
//    `$f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }` evaluates $f(31) and fails at $f(32).
//    Tail calls are trampolined by jsonata and do not deepen.
//    That count skips "parallel calls" (the entries of an object or array constructor after the
//    first), and a flag once set on a frame is never reset: a constructor with two or more
//    entries stops the count for the rest of its frame and for the frames made from it (a
//    function defined there), while entries it counted are never taken back. Whether AWS's
//    implementation has that quirk is not known, so the engines keep a second count that skips
//    nothing (sibling entries evaluated at once add up, so it never counts less than the real
//    nesting) and fail when EITHER passes 100: at least as strict as AWS either way.
//  * memory: "Expression evaluation memory limit exceeded: Check for excessive memory usage" for a
//    value holding more than 6,990,256 bytes (`[1..873782]` accepted, one more element refused:
//    8 bytes a number; a 2^22-character string accepted, 2^23 refused). Sizes here: 8 bytes per
//    number, boolean or null, 1 per character of a string of Latin-1 characters and 2 per
//    character otherwise (as a JVM stores strings), an array or object the sum of its members
//    (keys included). Every value an evaluation step produces is checked.
// Both fail the state with States.QueryEvaluationError (catchable), as on AWS.
export const MAX_DEPTH = 100;
export const MAX_VALUE_BYTES = 6990256;

export class QueryEvaluationError extends Error {
  constructor(message) {
    super(message);
    this.name = 'States.QueryEvaluationError';
  }
}

const sizes = new WeakMap();
/** The bytes a value holds, by the model above (objects and arrays cached: values are not mutated). */
export function valueBytes(v) {
  if (v === null || v === undefined || typeof v === 'number' || typeof v === 'boolean') return v === undefined ? 0 : 8;
  if (typeof v === 'string') return /^[\x00-\xff]*$/.test(v) ? v.length : 2 * v.length;
  if (typeof v !== 'object') return 0; // functions
  const known = sizes.get(v);
  if (known !== undefined) return known;
  let n = 0;
  if (Array.isArray(v)) for (const x of v) n += valueBytes(x);
  else for (const [k, x] of Object.entries(v)) n += valueBytes(k) + valueBytes(x);
  sizes.set(v, n);
  return n;
}

function addFunctions(expr) {
  expr.registerFunction('parse', (s) => {
    try {
      return JSON.parse(s);
    } catch (e) {
      throw new QueryEvaluationError(`$parse: ${e.message}`);
    }
  }, '<s:j>');
  // Step Functions has no $eval (see the top of this file).
  expr.registerFunction('eval', () => {
    throw new QueryEvaluationError('T1006: Attempted to invoke a non-function ($eval does not exist in Step Functions)');
  });
}

/**
 * A compiled expression with its own depth counter (hooks are bound to the expression, so
 * evaluations running at the same time each need their own copy: a pool per text).
 */
function instance(text) {
  let expr;
  try {
    expr = jsonata(text);
  } catch (e) {
    throw new QueryEvaluationError(`JSONata syntax error: ${e.message} (${e.code ?? ''} at ${e.position ?? '?'})`);
  }
  addFunctions(expr);
  // depth: jsonata's timebox count; all: the count that skips nothing (see the top of the file)
  const run = { depth: 0, all: 0, deepest: 0, maxDepth: MAX_DEPTH };
  const checkDepth = () => {
    if (run.depth > run.maxDepth || run.all > run.maxDepth) {
      throw new QueryEvaluationError('Stack overflow error: Check for non-terminating recursive function. Consider rewriting as tail-recursive.');
    }
  };
  expr.assign(Symbol.for('jsonata.__evaluate_entry'), (node, input, env) => {
    run.all++;
    if (!env.isParallelCall) run.depth++;
    run.deepest = Math.max(run.deepest, run.depth, run.all);
    checkDepth();
  });
  expr.assign(Symbol.for('jsonata.__evaluate_exit'), (node, input, env, result) => {
    if (valueBytes(result) > MAX_VALUE_BYTES) {
      throw new QueryEvaluationError('Expression evaluation memory limit exceeded: Check for excessive memory usage');
    }
    run.all--;
    if (!env.isParallelCall) run.depth--;
    checkDepth();
  });
  return { expr, run };
}

const pools = new Map(); // text -> [instances not in use]

/**
 * Evaluates JSONata `text` under AWS's bounds, with Step Functions' functions; `bindings` are
 * variables ({states: {input, context}} for a state). Resolves { value, depth } (the deepest
 * evaluation depth reached, by the larger of the two counts) or throws QueryEvaluationError. `maxDepth` lowers the depth bound;
 * `measureOnly` lifts it (for benchmarks that report how deep an evaluation goes, never for a
 * state).
 */
export async function evaluateBounded(text, bindings = {}, { maxDepth = MAX_DEPTH, measureOnly = false } = {}) {
  let pool = pools.get(text);
  if (!pool) pools.set(text, (pool = []));
  const it = pool.pop() ?? instance(text);
  it.run.depth = 0;
  it.run.all = 0;
  it.run.deepest = 0;
  it.run.maxDepth = measureOnly ? Infinity : Math.min(maxDepth, MAX_DEPTH);
  try {
    const value = await it.expr.evaluate({}, bindings);
    return { value, depth: it.run.deepest };
  } catch (e) {
    if (e instanceof QueryEvaluationError) throw e;
    throw new QueryEvaluationError(`${e.code ? `${e.code}: ` : ''}${e.message ?? e}`);
  } finally {
    pool.push(it);
  }
}

const EXPRESSION = /^\s*\{%([\s\S]*)%\}\s*$/;

/** Evaluates one `{% %}` string, or a template of them, against a state's input and context. */
export async function evaluate(template, input, context) {
  if (typeof template === 'string') {
    const m = EXPRESSION.exec(template);
    if (!m) return template;
    return (await evaluateBounded(m[1], { states: { input, context } })).value;
  }
  if (Array.isArray(template)) return Promise.all(template.map((t) => evaluate(t, input, context)));
  if (template && typeof template === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(template)) {
      const value = await evaluate(v, input, context);
      if (value !== undefined) out[k] = value;
    }
    return out;
  }
  return template;
}

/** A Pass state's `Output` (the whole input when absent). */
export async function passOutput(state, input, context) {
  if (!('Output' in state)) return input;
  const out = await evaluate(state.Output, input, context);
  if (out === undefined) throw new QueryEvaluationError('The Output expression evaluated to nothing (undefined)');
  // jsonata returns arrays with a hidden `sequence` flag; the state's output is plain JSON.
  return JSON.parse(JSON.stringify(out));
}

/** A Choice rule's `Condition`. */
export async function condition(rule, input, context) {
  const value = await evaluate(rule.Condition, input, context);
  if (typeof value !== 'boolean') {
    throw new QueryEvaluationError(`The Condition of a Choice rule evaluated to ${JSON.stringify(value)}, not a boolean`);
  }
  return value;
}
