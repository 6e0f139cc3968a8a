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

export class QueryEvaluationError extends Error {
  constructor(message) {
    super(message);
    this.name = 'States.QueryEvaluationError';
  }
}

const compiled = new Map();

function compile(text) {
  let expr = compiled.get(text);
  if (!expr) {
    try {
      expr = jsonata(text);
    } catch (e) {
      throw new QueryEvaluationError(`JSONata syntax error: ${e.message} (${e.code ?? ''} at ${e.position ?? '?'})`);
    }
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
    compiled.set(text, expr);
  }
  return expr;
}

const EXPRESSION = /^\s*\{%([\s\S]*)%\}\s*$/;

/** Evaluates one `{% %}` string, or a template of them, against a state's input and context. */
export async function evaluate(template, input, context) {
  if (typeof template === 'string') {
    const m = EXPRESSION.exec(template);
    if (!m) return template;
    try {
      return await compile(m[1]).evaluate({}, { states: { input, context } });
    } catch (e) {
      if (e instanceof QueryEvaluationError) throw e;
      throw new QueryEvaluationError(`${e.message ?? e} (${e.code ?? ''})`);
    }
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
