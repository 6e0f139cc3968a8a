// Runs ASL definitions in aws-local-stepfunctions (patched by engine.mjs) with every Task state
// handled by a caller-supplied emulator (services.mjs: AwsWorld), and validates definitions with
// asl-validator plus a walk over every nested payload-template path / intrinsic function (which
// asl-validator skips).
//
//   const r = await runMachine(definition, input, { substitutions, handlerFor, context });
//   // r = { status: 'SUCCEEDED'|'FAILED'|'TIMED_OUT'|'INVALID', output, error: {Error, Cause}|null, events }
//   const problems = validateAsl(definitionText, { substitutions });  // [] when clean
//
// Notes on the engine (aws-local-stepfunctions 3.0.0):
//  * Task overrides are keyed by state name, so state names must be unique across the whole
//    definition (AWS requires that too); runMachine throws otherwise.
//  * Wait states and Retry intervals are overridden to 0 ms so scenarios run fast.
//  * A thrown Error's `name` is the ASL error name seen by Retry/Catch. Errors named
//    States.Runtime, States.DataLimitExceeded (as on AWS) and NotEmulated (a request the emulators
//    do not handle) can be neither retried nor caught: the execution fails.
//  * Payload limit: a Task result over 256 KB fails the state with States.DataLimitExceeded; a state
//    input/output over 256 KB is detected from the event log after the run and turns the result
//    into FAILED / States.DataLimitExceeded.
//  * Context object: what the caller passes ($$.Execution, $$.StateMachine) and $$.Map.Item.

import aslValidator from 'asl-validator';
import { validatePath } from 'asl-path-validator';
import { StateMachine, ExecutionError, ExecutionTimeoutError } from './engine.mjs';

export const PAYLOAD_LIMIT = 256 * 1024;
const payloadBytes = (v) => (v === undefined ? 0 : Buffer.byteLength(JSON.stringify(v), 'utf8'));

/** A request the emulators do not handle: fails the execution whatever its Retry/Catch. */
export class NotEmulated extends Error {
  constructor(what) {
    super(`${what} is not emulated (tests/engines/sfn/)`);
    this.name = 'NotEmulated';
  }
}

const UNCATCHABLE = new Set(['States.Runtime', 'States.DataLimitExceeded', 'NotEmulated']);
function uncatchable(e) {
  if (UNCATCHABLE.has(e.name)) Object.defineProperties(e, { isCatchable: { value: false }, isRetryable: { value: false } });
  return e;
}

/** Replace ${Name} placeholders. Partition defaults to "aws". Throws on unresolved placeholders. */
export function substitute(text, substitutions = {}) {
  const subs = { Partition: 'aws', ...substitutions };
  const missing = new Set();
  const out = text.replace(/\$\{([A-Za-z0-9_.:-]+)\}/g, (m, name) => (name in subs ? String(subs[name]) : (missing.add(name), m)));
  if (missing.size) throw new Error(`unresolved placeholder(s): ${[...missing].map((n) => '${' + n + '}').join(', ')}`);
  return out;
}

/** Parse a definition (text with ${Name} placeholders, or an object) after substitution. */
export function loadDefinition(definition, substitutions = {}) {
  return JSON.parse(substitute(typeof definition === 'string' ? definition : JSON.stringify(definition), substitutions));
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

/** AWS history events an execution would record, estimated from the engine's event log. */
export function historyEvents(events) {
  let n = 2; // ExecutionStarted, ExecutionSucceeded/Failed
  for (const e of events) {
    if (e.type === 'StateEntered') n += e.state.type === 'Task' ? 5 : e.state.type === 'Map' || e.state.type === 'Parallel' ? 4 : 2;
    else if (e.type.startsWith('MapIteration') || e.type.startsWith('ParallelBranch')) n += 1;
    else if (e.type === 'StateRetried') n += 3;
  }
  return n;
}

const validatedDefinitions = new Set();
const noEmulator = (state, resource) => () => {
  throw new NotEmulated(`Task resource ${resource} (state "${state}")`);
};

/**
 * @param definition ASL text (placeholders allowed) or object
 * @param env {substitutions?, handlerFor?(state, resource) -> async (input) => output, context?, timeoutMs?}
 */
export async function runMachine(definition, input, { substitutions, handlerFor = noEmulator, context = {}, timeoutMs = 20000 } = {}) {
  const def = loadDefinition(definition, substitutions);
  const handlers = {};
  const waits = {};
  const retries = {};
  const seen = new Set();
  walkStates(def, (name, state, path) => {
    if (seen.has(name)) throw new Error(`state name "${name}" is used more than once (${path.join(' > ')}); Task overrides are keyed by name`);
    seen.add(name);
    if (state.Type === 'Task') {
      const h = handlerFor(name, state.Resource);
      handlers[name] = async (i) => {
        let out;
        try {
          out = await h(i);
        } catch (e) {
          throw uncatchable(e);
        }
        const size = payloadBytes(out);
        if (size > PAYLOAD_LIMIT) {
          const e = new Error(`The state/task '${name}' returned a result with a size exceeding the maximum number of bytes service limit (${size} > ${PAYLOAD_LIMIT}).`);
          e.name = 'States.DataLimitExceeded';
          throw uncatchable(e);
        }
        return out;
      };
    }
    if (state.Type === 'Wait') waits[name] = 0;
    if (state.Retry) retries[name] = 0;
  });

  let machine;
  const key = JSON.stringify(def);
  try {
    // the engine's own validation (asl-validator 3.x) is slow: once per distinct definition; it
    // predates JSONata, so definitions with JSONata states rely on validateAsl (asl-validator 4)
    const skip = validatedDefinitions.has(key) || key.includes('"QueryLanguage":"JSONata"');
    machine = new StateMachine(structuredClone(def), { validationOptions: skip ? { noValidate: true } : { checkPaths: true, checkArn: true } });
    validatedDefinitions.add(key);
  } catch (e) {
    return { status: 'INVALID', output: null, error: { Error: 'InvalidDefinition', Cause: e.message }, events: [] };
  }
  const execution = machine.run(structuredClone(input ?? {}), { overrides: { taskResourceLocalHandlers: handlers, waitTimeOverrides: waits, retryIntervalOverrides: retries }, context });
  const events = [];
  const drain = (async () => {
    for await (const ev of execution.eventLogs) events.push(ev);
  })();
  let timer;
  const timeout = new Promise((_, rej) => {
    timer = setTimeout(() => rej(new Error(`execution did not finish within ${timeoutMs} ms`)), timeoutMs);
  });
  let result;
  try {
    result = { status: 'SUCCEEDED', output: await Promise.race([execution.result, timeout]), error: null };
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
  let violation = payloadBytes(input ?? {}) > PAYLOAD_LIMIT ? `execution input is ${payloadBytes(input)} bytes` : null;
  for (const ev of events) {
    if (violation) break;
    const inOut = { StateEntered: 'input', StateExited: 'output' }[ev.type];
    if (inOut && payloadBytes(ev.state[inOut]) > PAYLOAD_LIMIT) violation = `state ${ev.state.name} ${inOut} is ${payloadBytes(ev.state[inOut])} bytes`;
  }
  if (violation) result = { status: 'FAILED', output: null, error: { Error: 'States.DataLimitExceeded', Cause: `${violation} (> ${PAYLOAD_LIMIT}, detected after the run)` } };
  return { ...result, events };
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

/** Parse an intrinsic call into {fn, args:[{kind:'string'|'literal'|'path'|'call', ...}]}. */
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
    const fn = /^States\.[A-Za-z0-9]+/.exec(text.slice(i))?.[0] ?? fail('expected States.<Function>');
    i += fn.length;
    ws();
    if (text[i++] !== '(') fail('expected (');
    const args = [];
    ws();
    if (text[i] === ')') {
      i++;
      return { kind: 'call', fn, args };
    }
    for (;;) {
      args.push(arg());
      ws();
      const c = text[i++];
      if (c === ')') return { kind: 'call', fn, args };
      if (c !== ',') fail('expected , or )');
    }
  };
  const arg = () => {
    ws();
    if (text[i] === "'") {
      let raw = '';
      for (i++; i < text.length && text[i] !== "'"; i++) raw += text[i] === '\\' ? text[i] + (text[++i] ?? '') : text[i];
      if (text[i++] !== "'") fail('unterminated string literal');
      return { kind: 'string', raw };
    }
    if (text[i] === '$') {
      const start = i;
      let depth = 0;
      let q = null;
      for (; i < text.length; i++) {
        const ch = text[i];
        if (q) {
          if (ch === '\\') i++;
          else if (ch === q) q = null;
        } else if (ch === "'" || ch === '"') q = ch;
        else if (ch === '[' || ch === '(') depth++;
        else if (ch === ']' || (ch === ')' && depth > 0)) depth--;
        else if ((ch === ',' || ch === ')') && depth === 0) break;
      }
      return { kind: 'path', path: text.slice(start, i).trim() };
    }
    if (text.startsWith('States.', i)) return call();
    const m = /^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i)) ?? fail('unexpected argument');
    i += m[0].length;
    return { kind: 'literal', value: m[0] };
  };
  const r = call();
  ws();
  if (i !== text.length) fail('trailing text after intrinsic call');
  return r;
}

function checkIntrinsicCall(node, where, problems) {
  const arity = INTRINSIC_ARITY[node.fn];
  const error = (message) => problems.push({ severity: 'error', where, message });
  if (!arity) return error(`unknown intrinsic function ${node.fn}`);
  if (node.args.length < arity[0] || node.args.length > arity[1]) {
    error(`${node.fn} takes ${arity[0] === arity[1] ? arity[0] : `${arity[0]}..${arity[1]}`} argument(s), got ${node.args.length}`);
  }
  if (node.fn === 'States.Format' && node.args[0]?.kind === 'string') {
    const n = node.args[0].raw.replace(/\\./g, '_').split('{}').length - 1;
    if (n !== node.args.length - 1) error(`States.Format template has ${n} {} placeholder(s) but ${node.args.length - 1} argument(s)`);
  }
  for (const a of node.args) {
    if (a.kind === 'path') {
      const r = validatePath(a.path, 'path');
      if (!r.isValid) error(`invalid path argument ${a.path} of ${node.fn}: ${r.code}`);
    } else if (a.kind === 'call') checkIntrinsicCall(a, where, problems);
  }
}

function walkPayload(value, where, problems) {
  if (Array.isArray(value)) return value.forEach((v, i) => walkPayload(v, `${where}[${i}]`, problems));
  if (!value || typeof value !== 'object') return;
  const seen = new Map();
  for (const [key, v] of Object.entries(value)) {
    const here = `${where}.${key}`;
    const error = (message) => problems.push({ severity: 'error', where: here, message });
    const effective = key.endsWith('.$') ? key.slice(0, -2) : key;
    if (seen.has(effective)) error(`field "${effective}" appears twice after evaluation (${seen.get(effective)} and ${key})`);
    seen.set(effective, key);
    if (!key.endsWith('.$')) {
      if (typeof v === 'string' && /^\$\$?\./.test(v)) problems.push({ severity: 'warning', where: here, message: `literal string "${v.slice(0, 60)}" looks like a path but the key "${key}" does not end in ".$"` });
      else walkPayload(v, here, problems);
    } else if (typeof v !== 'string') {
      error(`a field ending in ".$" must hold a path or intrinsic function string, got ${JSON.stringify(v)?.slice(0, 60)}`);
    } else if (v.startsWith('$')) {
      const r = validatePath(v, 'payload_template');
      if (!r.isValid) error(`invalid path ${v}: ${r.code}`);
    } else if (v.startsWith('States.')) {
      const r = validatePath(v, 'payload_template');
      if (!r.isValid) error(`intrinsic function rejected by asl-path-validator: ${v.slice(0, 120)} (${r.code})`);
      try {
        checkIntrinsicCall(parseIntrinsic(v), here, problems);
      } catch (e) {
        error(`cannot parse intrinsic function: ${e.message.slice(0, 200)}`);
      }
    } else {
      error(`value of "${key}" is neither a path ($...) nor an intrinsic function (States....): ${v.slice(0, 80)}`);
    }
  }
}

/**
 * Validate a definition: asl-validator 4 (JSON schema, transitions, paths, ARNs) plus every nested
 * `*.$` in Parameters / ItemSelector / ResultSelector (any depth) through asl-path-validator, and
 * intrinsic functions (known name, arity, States.Format placeholder count, each $ argument a valid
 * Path). Every placeholder must be substituted. Returns [{severity: 'error'|'warning', where, message}].
 */
export function validateAsl(definition, { substitutions = {} } = {}) {
  let def;
  try {
    def = loadDefinition(definition, substitutions);
  } catch (e) {
    return [{ severity: 'error', where: '$', message: `definition cannot be loaded: ${e.message}` }];
  }
  const problems = [];
  const r = aslValidator(structuredClone(def), { checkPaths: true, checkArn: true });
  for (const e of r.isValid ? [] : r.errors) {
    problems.push({ severity: 'error', where: e.instancePath ?? e.path ?? '$', message: `asl-validator: ${e.message ?? JSON.stringify(e)}${e.params ? ' ' + JSON.stringify(e.params) : ''}` });
  }
  walkStates(def, (name, state, path) => {
    for (const field of ['Parameters', 'ItemSelector', 'ResultSelector']) {
      if (state[field] !== undefined) walkPayload(state[field], `${path.join('.')}.${field}`, problems);
    }
  });
  return problems;
}
