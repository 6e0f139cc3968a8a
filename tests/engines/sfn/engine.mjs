// Loads aws-local-stepfunctions 3.0.0 with a few small, documented source patches that make it
// behave like AWS Step Functions where it demonstrably does not. The patched copy is written next
// to the original (node_modules/aws-local-stepfunctions/build/main.node.esm.engines-patched.mjs) so
// that its imports resolve exactly like the original's; every patch asserts that the original
// snippet is present exactly once, so a version bump fails loudly instead of silently.
//
// Patches (AWS behaviour -> engine behaviour before the patch):
//  1. Intrinsic functions: AWS unescapes \' \{ \} \\ only inside string literals of the expression.
//     The engine instead removed EVERY backslash from the result of every string-returning
//     intrinsic (States.Format, States.JsonToString, States.Base64Decode, ...), corrupting data that
//     contains backslashes (e.g. JsonToString of {"a":"x\"y"} gave invalid JSON).
//  2. States.Base64Encode/Decode: AWS works on UTF-8 (assumed; AWS documents no charset and its
//     examples are ASCII). The engine used btoa/atob (Latin-1: btoa throws above U+00FF).
//  3. JSONPath: AWS uses Jayway JsonPath, where an index [n] applies only to arrays and a name only to
//     objects (otherwise the path does not exist). The engine's jsonpath-plus indexes into strings
//     ($.s[0] on "abc" gave "a") and reads object keys "0" for [0]. Definite paths ($, .name,
//     ['name'], [n]) are now evaluated the Jayway way; other (indefinite) paths still go to
//     jsonpath-plus but, as in Jayway, always yield an array of the matches (possibly empty;
//     jsonpath-plus gave undefined for no match, which the engine turned into an error).
//  4. JSONata: the engine has no JSONata support at all. Pass and Choice states marked
//     "QueryLanguage": "JSONata" (the only JSONata states the generator emits) evaluate their
//     Output / Condition with the reference jsonata@2.0.6 through sfn/jsonata.mjs, which documents
//     the Step Functions semantics it follows; any other state keeps the engine's JSONPath code.
//  5. Choice rules: AWS's "IsPresent": false matches when the path is absent. The engine
//     returned `IsPresent && present`, so IsPresent: false never matched.
//  6. Promise.withResolvers (used by the engine, Node >= 22) is polyfilled for Node 20.
//  7. Fault injection (not AWS behaviour; for the tests' own faults): every state calls
//     sfn/faults.mjs `beforeState` first, inside its error handling, so an injected error is the
//     state's own (its Retry and Catch see it).
//  8. Context object: AWS gives every state `$$.State.Name` and `$$.State.EnteredTime`; the engine
//     gave neither, and overwrote `$$.Execution.StartTime` with the wall clock. Both now come
//     from the execution's clock (sfn/faults.mjs `enteredTime`), which the caller sets.

import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

if (typeof Promise.withResolvers !== 'function') {
  Promise.withResolvers = function withResolvers() {
    let resolve;
    let reject;
    const promise = new this((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}

const PATCH_VERSION = 5;

const HELPERS = `
// ---- lambdaless-gen tests/engines/sfn/engine.mjs patches (version ${PATCH_VERSION}) ----
const __LBRACE = "\\uE000", __RBRACE = "\\uE001";
function __unescapeLiteral(s) {
  return s.replace(/\\\\([\\\\'{}])/g, (m, c) => (c === "{" ? __LBRACE : c === "}" ? __RBRACE : c));
}
function __restoreBraces(v) {
  return typeof v === "string" ? v.replaceAll(__LBRACE, "{").replaceAll(__RBRACE, "}") : v;
}
const __MISSING = Symbol("missing");
function __definitePath(expr) {
  if (typeof expr !== "string" || expr[0] !== "$") return null;
  const re = /\\.([^.[\\]'"()*?@,:\\s]+)|\\['((?:[^'\\\\]|\\\\.)*)'\\]|\\["((?:[^"\\\\]|\\\\.)*)"\\]|\\[\\s*(-?\\d+)\\s*\\]/y;
  const steps = [];
  let i = 1;
  while (i < expr.length) {
    re.lastIndex = i;
    const m = re.exec(expr);
    if (!m) return null;
    if (m[4] !== undefined) steps.push(Number(m[4]));
    else steps.push(m[1] ?? (m[2] ?? m[3]).replace(/\\\\(.)/g, "$1"));
    i = re.lastIndex;
  }
  return steps;
}
function __jp(opts) {
  const steps = __definitePath(opts.path);
  if (!steps) return jp({ ...opts, wrap: true });
  let v = opts.json;
  for (const s of steps) {
    if (typeof s === "number") {
      if (!Array.isArray(v)) return undefined;
      v = v[s < 0 ? v.length + s : s];
    } else {
      if (v === null || typeof v !== "object" || Array.isArray(v) || !Object.prototype.hasOwnProperty.call(v, s)) return undefined;
      v = v[s];
    }
    if (v === undefined) return undefined;
  }
  return v;
}
`;

const REPLACEMENTS = [
  // 1. literal unescaping + no blanket backslash removal
  [
    `    if (arg[0] === "'") {
      const lastSingleQuote = arg.lastIndexOf("'");
      return arg.slice(1, lastSingleQuote);
    }`,
    `    if (arg[0] === "'") {
      const lastSingleQuote = arg.lastIndexOf("'");
      return __unescapeLiteral(arg.slice(1, lastSingleQuote));
    }`,
  ],
  [
    `    const parsedArgs = parseArguments(input, context, ...args);
    validateArguments(this.funcDefinition, ...parsedArgs);
    let result = this.execute(...parsedArgs);
    if (typeof result === "string") {
      result = result.replaceAll("\\\\", "");
    }
    return result;`,
    `    let parsedArgs = parseArguments(input, context, ...args);
    if (this.funcDefinition.name !== "States.Format") parsedArgs = parsedArgs.map(__restoreBraces);
    validateArguments(this.funcDefinition, ...parsedArgs);
    return __restoreBraces(this.execute(...parsedArgs));`,
  ],
  // 2. UTF-8 base64
  ['    return btoa(str);', '    return Buffer.from(str, "utf8").toString("base64");'],
  ['    return atob(str);', '    return Buffer.from(atob(str), "latin1").toString("utf8");'],
  // 3. Jayway-like definite paths
  ['    evaluation = jp({ path: pathExpression.slice(1), json: context ?? null, wrap: false });', '    evaluation = __jp({ path: pathExpression.slice(1), json: context ?? null, wrap: false });'],
  ['    evaluation = jp({ path: pathExpression, json, wrap: false });', '    evaluation = __jp({ path: pathExpression, json, wrap: false });'],
  // 5. IsPresent: false
  ['      return IsPresentTrue && varValue !== void 0;', '      return IsPresentTrue === (varValue !== void 0);'],
  // 7. fault injection before every state
  [
    `    const rawInput = cloneJSON(input);
    try {
      const processedInput = this.processInput(input, context);`,
    `    const rawInput = cloneJSON(input);
    try {
      __faults.beforeState(this.stateName, this.stateDefinition, context, input);
      const processedInput = this.processInput(input, context);`,
  ],
  // 8. $$.State and the caller's $$.Execution.StartTime
  [
    `        Input: input,
        StartTime: (/* @__PURE__ */ new Date()).toISOString()`,
    `        Input: input,
        StartTime: options.runOptions?.context?.Execution?.StartTime ?? (/* @__PURE__ */ new Date()).toISOString()`,
  ],
  [
    `        options.eventLogger.dispatchStateEnteredEvent(currStateName, currState.Type, currInput);
        const stateExecutor = new StateExecutor(currStateName, currState);`,
    `        options.eventLogger.dispatchStateEnteredEvent(currStateName, currState.Type, currInput);
        context.State = { Name: currStateName, EnteredTime: __faults.enteredTime(context) };
        const stateExecutor = new StateExecutor(currStateName, currState);`,
  ],
  // 4. JSONata Pass and Choice states
  [
    `  async execute(input, context, options) {
    if (this.stateDefinition.Result) {`,
    `  async execute(input, context, options) {
    if (this.stateDefinition.QueryLanguage === "JSONata") {
      return this.buildExecutionResult(await __jsonata.passOutput(this.stateDefinition, input, context));
    }
    if (this.stateDefinition.Result) {`,
  ],
  [
    '      const choiceIsMatch = this.testChoiceRule(choice, input, context);',
    '      const choiceIsMatch = state.QueryLanguage === "JSONata" ? await __jsonata.condition(choice, input, context) : this.testChoiceRule(choice, input, context);',
  ],
];

function patchedSource(src) {
  let out = src;
  for (const [from, to] of REPLACEMENTS) {
    const n = out.split(from).length - 1;
    if (n !== 1) throw new Error(`tests/engines/sfn/engine.mjs: expected exactly one occurrence of a patched snippet in aws-local-stepfunctions, found ${n}:\n${from}`);
    out = out.replace(from, () => to);
  }
  const anchor = 'import { JSONPath as jp } from "jsonpath-plus";\n';
  if (!out.includes(anchor)) throw new Error('tests/engines/sfn/engine.mjs: jsonpath-plus import not found in aws-local-stepfunctions');
  const here = path.dirname(fileURLToPath(import.meta.url));
  const jsonataModule = `import * as __jsonata from ${JSON.stringify(pathToFileURL(path.join(here, 'jsonata.mjs')).href)};\nimport * as __faults from ${JSON.stringify(pathToFileURL(path.join(here, 'faults.mjs')).href)};\n`;
  return out.replace(anchor, () => anchor + jsonataModule + HELPERS);
}

const require = createRequire(import.meta.url);
const buildDir = path.dirname(require.resolve('aws-local-stepfunctions'));
const original = path.join(buildDir, 'main.node.esm.js');
const patched = path.join(buildDir, 'main.node.esm.engines-patched.mjs');
const text = patchedSource(fs.readFileSync(original, 'utf8'));
if (!fs.existsSync(patched) || fs.readFileSync(patched, 'utf8') !== text) {
  const tmp = `${patched}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, patched);
}

export const { StateMachine, ExecutionError, ExecutionTimeoutError, ExecutionAbortedError } = await import(pathToFileURL(patched).href);
