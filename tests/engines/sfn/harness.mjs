// Runs ASL state machines in aws-local-stepfunctions with every Task state overridden by the
// in-memory service emulators of services.mjs, and validates definitions with asl-validator plus a
// walk over every nested payload-template path / intrinsic function (which asl-validator skips).
//
//   import { runMachine, validateAsl } from './harness.mjs';
//   const world = new AwsWorld({ tables: {...}, staleConnections: ['c2'] });
//   const r = await runMachine(definitionTextOrObject, input, { world, substitutions: {TableName: 'Conn'} });
//   // r = { status: 'SUCCEEDED'|'FAILED'|'TIMED_OUT', output, error: {Error, Cause}|null, calls, events }
//   const problems = validateAsl(definitionTextOrObject, { substitutions });  // [] when clean
//
// Notes on the engine (aws-local-stepfunctions 3.0.0):
//  * Task overrides are keyed by state name, so state names must be unique across the whole
//    definition (AWS requires that too); runMachine throws otherwise.
//  * Wait states and Retry intervals are overridden to 0 ms so scenarios run fast.
//  * A thrown Error's `name` is the ASL error name seen by Retry/Catch; errors named States.Runtime
//    are made non-catchable/non-retryable, like on AWS.
//  * The engine is loaded through engine.mjs, which polyfills Promise.withResolvers for Node 20 and
//    patches three documented deviations from AWS (intrinsic-function backslash handling, UTF-8
//    base64, Jayway-like JSONPath for definite paths).
//  * Payload limit: a Task result over 256 KB fails the state with States.DataLimitExceeded (not
//    catchable); a state input/output over 256 KB is detected from the event log after the run and
//    turns the result into FAILED / States.DataLimitExceeded (env.noDataLimit disables both checks).
//  * Context object: $$.Execution.{Id,Name,Input,StartTime,RoleArn}, $$.StateMachine.{Id,Name} and
//    $$.Map.Item.{Index,Value} are available; $$.State / $$.Task are not.

import aslValidator from 'asl-validator';
import { validatePath } from 'asl-path-validator';
import { AwsWorld, substitute } from './services.mjs';
import { StateMachine, ExecutionError, ExecutionTimeoutError } from './engine.mjs';

const clone = (v) => JSON.parse(JSON.stringify(v));

/** Parse a definition (text with ${Name} placeholders, or an object) after substitution. */
export function loadDefinition(definition, substitutions = {}) {
  const text = typeof definition === 'string' ? definition : JSON.stringify(definition);
  return JSON.parse(substitute(text, substitutions));
}

/** Visit every state: cb(name, state, path) for top level, Map ItemProcessor/Iterator, Parallel branches. */
export function walkStates(def, cb, path = []) {
  for (const [name, state] of Object.entries(def?.States ?? {})) {
    cb(name, state, [...path, name]);
    const sub = state.ItemProcessor ?? state.Iterator;
    if (sub) walkStates(sub, cb, [...path, name, state.ItemProcessor ? 'ItemProcessor' : 'Iterator']);
    (state.Branches ?? []).forEach((b, i) => walkStates(b, cb, [...path, name, `Branches[${i}]`]));
  }
}

let executionCounter = 0;
export const PAYLOAD_LIMIT = 256 * 1024;
const payloadBytes = (v) => (v === undefined ? 0 : Buffer.byteLength(JSON.stringify(v), 'utf8'));
const validatedDefinitions = new Set();

/**
 * @param definition ASL text (placeholders allowed) or object
 * @param input execution input (JSON value)
 * @param env {world?: AwsWorld, substitutions?: object, context?: object, noValidate?: boolean,
 *             timeoutMs?: number, stateMachineArn?: string, name?: string}
 */
export async function runMachine(definition, input, env = {}) {
  const world = env.world ?? new AwsWorld(env);
  const def = loadDefinition(definition, env.substitutions);
  const handlers = {};
  const resources = {};
  const waits = {};
  const retries = {};
  walkStates(def, (name, state, path) => {
    if (name in resources || name in waits) {
      throw new Error(`state name "${name}" is used more than once (${path.join(' > ')}); Task overrides are keyed by name`);
    }
    if (state.Type === 'Task') {
      resources[name] = state.Resource;
      const h = world.handlerFor(name, state.Resource);
      handlers[name] = async (i) => {
        let out;
        try {
          out = await h(i);
        } catch (e) {
          if (e.name === 'States.Runtime') Object.defineProperties(e, { isCatchable: { value: false }, isRetryable: { value: false } });
          throw e;
        }
        const size = payloadBytes(out);
        if (size > PAYLOAD_LIMIT) {
          const e = new Error(`The state/task '${name}' returned a result with a size exceeding the maximum number of bytes service limit (${size} > ${PAYLOAD_LIMIT}).`);
          e.name = 'States.DataLimitExceeded';
          Object.defineProperties(e, { isCatchable: { value: false }, isRetryable: { value: false } });
          throw e;
        }
        return out;
      };
    } else {
      resources[name] = null;
    }
    if (state.Type === 'Wait') waits[name] = 0;
    if (state.Retry) retries[name] = 0;
  });

  let machine;
  const key = JSON.stringify(def);
  try {
    // the engine's own validation (asl-validator 3.x) is slow; run it once per distinct definition
    const skip = env.noValidate || validatedDefinitions.has(key);
    machine = new StateMachine(clone(def), { validationOptions: skip ? { noValidate: true } : { checkPaths: true, checkArn: true } });
    validatedDefinitions.add(key);
  } catch (e) {
    return { status: 'INVALID', output: null, error: { Error: 'InvalidDefinition', Cause: e.message }, calls: [], events: [], world };
  }
  const arn = env.stateMachineArn ?? 'arn:aws:states:us-east-1:123456789012:stateMachine:under-test';
  const name = env.name ?? `exec-${++executionCounter}`;
  const context = {
    Execution: { Id: `${arn.replace(':stateMachine:', ':execution:')}:${name}`, Name: name, RoleArn: 'arn:aws:iam::123456789012:role/sfn' },
    StateMachine: { Id: arn, Name: arn.split(':').pop() },
    ...(env.context ?? {}),
  };
  const firstCall = world.calls.length;
  const execution = machine.run(clone(input ?? {}), {
    overrides: { taskResourceLocalHandlers: handlers, waitTimeOverrides: waits, retryIntervalOverrides: retries },
    context,
  });
  const events = [];
  const drain = (async () => {
    for await (const ev of execution.eventLogs) events.push(ev);
  })();
  let timer;
  const timeout = new Promise((_, rej) => {
    timer = setTimeout(() => rej(new Error(`execution did not finish within ${env.timeoutMs ?? 20000} ms`)), env.timeoutMs ?? 20000);
  });
  let result;
  try {
    const output = await Promise.race([execution.result, timeout]);
    result = { status: 'SUCCEEDED', output, error: null };
  } catch (e) {
    if (e instanceof ExecutionError) {
      const c = e.cause ?? e;
      result = { status: 'FAILED', output: null, error: { Error: c.name, Cause: c.message } };
    } else if (e instanceof ExecutionTimeoutError) {
      result = { status: 'TIMED_OUT', output: null, error: { Error: 'States.Timeout', Cause: e.message } };
    } else {
      execution.abort();
      result = { status: 'FAILED', output: null, error: { Error: e.name, Cause: e.message } };
    }
  } finally {
    clearTimeout(timer);
  }
  await Promise.race([drain, new Promise((r) => setTimeout(r, 50))]);
  // Step Functions fails an execution whose state input/output exceeds 256 KB; the engine does not
  // check, so it is detected afterwards from the event log (effects after that point did happen here).
  if (!env.noDataLimit && result.status !== 'INVALID') {
    const sizeOf = payloadBytes(input ?? {});
    let violation = sizeOf > PAYLOAD_LIMIT ? `execution input is ${sizeOf} bytes` : null;
    for (const ev of events) {
      if (violation) break;
      if (ev.type === 'StateEntered' || ev.type === 'StateExited') {
        const v = ev.type === 'StateEntered' ? ev.state.input : ev.state.output;
        const n = payloadBytes(v);
        if (n > PAYLOAD_LIMIT) violation = `state ${ev.state.name} ${ev.type === 'StateEntered' ? 'input' : 'output'} is ${n} bytes`;
      }
    }
    if (violation) result = { status: 'FAILED', output: null, error: { Error: 'States.DataLimitExceeded', Cause: `${violation} (> ${PAYLOAD_LIMIT}, detected after the run)` } };
  }
  return { ...result, calls: world.calls.slice(firstCall), events, world };
}

// ---------------------------------------------------------------------------- validation

const INTRINSIC_ARITY = {
  'States.Format': [1, Infinity],
  'States.StringToJson': [1, 1],
  'States.JsonToString': [1, 1],
  'States.Array': [0, Infinity],
  'States.ArrayPartition': [2, 2],
  'States.ArrayContains': [2, 2],
  'States.ArrayRange': [3, 3],
  'States.ArrayGetItem': [2, 2],
  'States.ArrayLength': [1, 1],
  'States.ArrayUnique': [1, 1],
  'States.Base64Encode': [1, 1],
  'States.Base64Decode': [1, 1],
  'States.Hash': [2, 2],
  'States.JsonMerge': [3, 3],
  'States.MathRandom': [2, 3],
  'States.MathAdd': [2, 2],
  'States.StringSplit': [2, 2],
  'States.UUID': [0, 0],
};

/** Parse an intrinsic call into {fn, args:[{kind:'string'|'number'|'literal'|'path'|'call', ...}]}. */
export function parseIntrinsic(text) {
  let i = 0;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  const fail = (msg) => {
    throw new Error(`${msg} at offset ${i} in ${text}`);
  };
  const call = () => {
    ws();
    const m = /^States\.[A-Za-z0-9]+/.exec(text.slice(i));
    if (!m) fail('expected States.<Function>');
    const fn = m[0];
    i += fn.length;
    ws();
    if (text[i] !== '(') fail('expected (');
    i++;
    const args = [];
    ws();
    if (text[i] === ')') {
      i++;
      return { kind: 'call', fn, args };
    }
    for (;;) {
      args.push(arg());
      ws();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === ')') {
        i++;
        return { kind: 'call', fn, args };
      }
      fail('expected , or )');
    }
  };
  const arg = () => {
    ws();
    const c = text[i];
    if (c === "'") {
      i++;
      let raw = '';
      while (i < text.length && text[i] !== "'") {
        if (text[i] === '\\') {
          raw += text[i] + (text[i + 1] ?? '');
          i += 2;
        } else raw += text[i++];
      }
      if (text[i] !== "'") fail('unterminated string literal');
      i++;
      return { kind: 'string', raw };
    }
    if (c === '$') {
      const start = i;
      let depth = 0;
      let q = null;
      while (i < text.length) {
        const ch = text[i];
        if (q) {
          if (ch === '\\') i++;
          else if (ch === q) q = null;
        } else if (ch === "'" || ch === '"') q = ch;
        else if (ch === '[' || ch === '(') depth++;
        else if (ch === ']' || (ch === ')' && depth > 0)) depth--;
        else if ((ch === ',' || ch === ')') && depth === 0) break;
        i++;
      }
      return { kind: 'path', path: text.slice(start, i).trim() };
    }
    if (text.startsWith('States.', i)) return call();
    const m = /^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i));
    if (m) {
      i += m[0].length;
      return { kind: 'literal', value: m[0] };
    }
    return fail('unexpected argument');
  };
  const r = call();
  ws();
  if (i !== text.length) fail('trailing text after intrinsic call');
  return r;
}

function countFormatPlaceholders(raw) {
  let n = 0;
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === '\\') i++;
    else if (raw[i] === '{' && raw[i + 1] === '}') n++;
  }
  return n;
}

function checkIntrinsicCall(node, where, problems) {
  const arity = INTRINSIC_ARITY[node.fn];
  if (!arity) {
    problems.push({ severity: 'error', where, message: `unknown intrinsic function ${node.fn}` });
    return;
  }
  if (node.args.length < arity[0] || node.args.length > arity[1]) {
    problems.push({ severity: 'error', where, message: `${node.fn} takes ${arity[0] === arity[1] ? arity[0] : `${arity[0]}..${arity[1]}`} argument(s), got ${node.args.length}` });
  }
  if (node.fn === 'States.Format' && node.args[0]?.kind === 'string') {
    const n = countFormatPlaceholders(node.args[0].raw);
    if (n !== node.args.length - 1) {
      problems.push({ severity: 'error', where, message: `States.Format template has ${n} {} placeholder(s) but ${node.args.length - 1} argument(s)` });
    }
  }
  for (const a of node.args) {
    if (a.kind === 'path') {
      const r = validatePath(a.path, 'path');
      if (!r.isValid) problems.push({ severity: 'error', where, message: `invalid path argument ${a.path} of ${node.fn}: ${r.code}` });
    } else if (a.kind === 'call') checkIntrinsicCall(a, where, problems);
  }
}

function walkPayload(value, where, problems) {
  if (Array.isArray(value)) {
    value.forEach((v, i) => walkPayload(v, `${where}[${i}]`, problems));
    return;
  }
  if (!value || typeof value !== 'object') return;
  const seen = new Map();
  for (const [key, v] of Object.entries(value)) {
    const here = `${where}.${key}`;
    const effective = key.endsWith('.$') ? key.slice(0, -2) : key;
    if (seen.has(effective)) problems.push({ severity: 'error', where: here, message: `field "${effective}" appears twice after evaluation (${seen.get(effective)} and ${key})` });
    seen.set(effective, key);
    if (key.endsWith('.$')) {
      if (typeof v !== 'string') {
        problems.push({ severity: 'error', where: here, message: `a field ending in ".$" must hold a path or intrinsic function string, got ${JSON.stringify(v)?.slice(0, 60)}` });
      } else if (v.startsWith('$')) {
        const r = validatePath(v, 'payload_template');
        if (!r.isValid) problems.push({ severity: 'error', where: here, message: `invalid path ${v}: ${r.code}` });
      } else if (v.startsWith('States.')) {
        const r = validatePath(v, 'payload_template');
        if (!r.isValid) problems.push({ severity: 'error', where: here, message: `intrinsic function rejected by asl-path-validator: ${v.slice(0, 120)} (${r.code})` });
        try {
          checkIntrinsicCall(parseIntrinsic(v), here, problems);
        } catch (e) {
          problems.push({ severity: 'error', where: here, message: `cannot parse intrinsic function: ${e.message.slice(0, 200)}` });
        }
      } else {
        problems.push({ severity: 'error', where: here, message: `value of "${key}" is neither a path ($...) nor an intrinsic function (States....): ${v.slice(0, 80)}` });
      }
    } else if (typeof v === 'string' && /^\$\$?\./.test(v)) {
      problems.push({ severity: 'warning', where: here, message: `literal string "${v.slice(0, 60)}" looks like a path but the key "${key}" does not end in ".$"` });
    } else {
      walkPayload(v, here, problems);
    }
  }
}

function placeholderSafe(text) {
  // Replace unresolved ${X}: inside a JSON string by a word, outside (bare) by the number 1.
  let out = '';
  let inStr = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inStr) {
      if (ch === '\\') {
        out += ch + text[++i];
        continue;
      }
      if (ch === '"') inStr = false;
    } else if (ch === '"') inStr = true;
    if (ch === '$' && text[i + 1] === '{') {
      const end = text.indexOf('}', i);
      const name = text.slice(i + 2, end);
      out += inStr ? `placeholder-${name}` : '1';
      i = end;
      continue;
    }
    out += ch;
  }
  return out;
}

/**
 * Validate a definition: asl-validator 4 (JSON schema, transitions, paths, ARNs) plus every nested
 * `*.$` in Parameters / ItemSelector / ResultSelector (any depth) through asl-path-validator, and
 * intrinsic functions (known name, arity, States.Format placeholder count, each $ argument a valid
 * Path). Returns [{severity: 'error'|'warning', where, message}].
 */
export function validateAsl(definition, { substitutions = { Partition: 'aws' } } = {}) {
  const subs = { Partition: 'aws', ...substitutions };
  let text = typeof definition === 'string' ? definition : JSON.stringify(definition);
  text = text.replace(/\$\{([A-Za-z0-9_.:-]+)\}/g, (m, n) => (n in subs ? String(subs[n]) : m));
  const problems = [];
  let def;
  try {
    def = JSON.parse(placeholderSafe(text));
  } catch (e) {
    return [{ severity: 'error', where: '$', message: `definition is not JSON: ${e.message}` }];
  }
  const r = aslValidator(clone(def), { checkPaths: true, checkArn: true });
  if (!r.isValid) {
    for (const e of r.errors) {
      problems.push({ severity: 'error', where: e.instancePath ?? e.path ?? '$', message: `asl-validator: ${e.message ?? JSON.stringify(e)}${e.params ? ' ' + JSON.stringify(e.params) : ''}` });
    }
  }
  walkStates(def, (name, state, path) => {
    for (const field of ['Parameters', 'ItemSelector', 'ResultSelector']) {
      if (state[field] !== undefined) walkPayload(state[field], `${path.join('.')}.${field}`, problems);
    }
  });
  return problems;
}
