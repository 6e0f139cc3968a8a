// The scenario corpus (tests/scenarios/*.yaml, language in tests/scenarios/README.md): loading,
// validation of the step language (an unknown step or key fails loudly, before anything runs),
// and the value macros ($repeat, $concat, $connectionId).
//
//   const scenarios = loadCorpus();               // every tests/scenarios/*.yaml, sorted
//   const s = loadScenario('tests/scenarios/topics-subscribe.yaml');
//   // s = { file, name: 'topics/subscribe', spec, specPath, about, only, why, steps: [{ kind, arg, only, why, line }] }

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const CORPUS_DIR = path.join(REPO_ROOT, 'tests', 'scenarios');
export const EXECUTORS = ['engines', 'dev'];

const client = (v) => typeof v === 'string' && /^[A-Za-z][A-Za-z0-9_-]*(\.\d+)?$/.test(v); // P.3: a crowd member
const obj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

// step kind -> { short: a bare-string form's field (or null), keys: allowed keys, need: required keys }
const STEPS = {
  connect: { short: 'client', keys: ['client', 'refused', 'unsigned', 'no-api-key'], need: ['client'] },
  send: { keys: ['client', 'body', 'text', 'binary', 'publishes'], need: ['client'], one: ['body', 'text', 'binary'] },
  'expect-reply': { keys: ['client', 'message', 'match'], need: ['client'], one: ['message', 'match'] },
  'put-event': { keys: ['as', 'source', 'detail-type', 'detail', 'detail-text', 'resources', 'refused'], need: ['as', 'source', 'detail-type'], one: ['detail', 'detail-text'] },
  'expect-delivery': { keys: ['client', 'crowd', 'topic', 'event', 'summary', 'detail'], need: ['topic', 'event'], one: ['client', 'crowd'] },
  'expect-nothing': { short: 'client', keys: ['client', 'crowd'], one: ['client', 'crowd'] },
  'expect-closed': { keys: ['client', 'code'], need: ['client', 'code'] },
  'mark-stale': { short: 'client', keys: ['client'], need: ['client'] },
  disconnect: { short: 'client', keys: ['client'], need: ['client'] },
  'expect-forgotten': { short: 'client', keys: ['client'], need: ['client'] },
  'expect-undelivered': { keys: ['event', 'topic', 'reason', 'match'], need: ['event', 'topic', 'reason'] },
  crowd: { keys: ['as', 'count', 'body', 'reply'], need: ['as', 'count', 'body', 'reply'] },
  wait: { short: 'for', keys: ['for'], need: ['for'] },
};

/** Milliseconds of a `wait` duration: `500ms`, `1s`, `1.5s`. */
export function waitMs(text) {
  const m = /^(\d+(?:\.\d+)?)(ms|s)$/.exec(text ?? '');
  if (!m) throw new CorpusError(`wait: a duration such as 1s or 500ms, got ${JSON.stringify(text)}`);
  return Number(m[1]) * (m[2] === 's' ? 1000 : 1);
}

class CorpusError extends Error {}

function parseStep(raw, where) {
  if (!obj(raw)) throw new CorpusError(`${where}: a step is a one-key map, got ${JSON.stringify(raw)}`);
  const { only, why, ...rest } = raw;
  const kinds = Object.keys(rest);
  if (kinds.length !== 1 || !STEPS[kinds[0]]) throw new CorpusError(`${where}: unknown step ${JSON.stringify(kinds)} (known: ${Object.keys(STEPS).join(', ')}; besides the step only 'only' and 'why')`);
  checkOnly(only, why, where);
  const kind = kinds[0];
  const def = STEPS[kind];
  let arg = rest[kind];
  if (typeof arg === 'string' && def.short) arg = { [def.short]: arg };
  if (!obj(arg)) throw new CorpusError(`${where}: ${kind} takes a map${def.short ? ` or a client name` : ''}, got ${JSON.stringify(arg)}`);
  for (const k of Object.keys(arg)) if (!def.keys.includes(k)) throw new CorpusError(`${where}: ${kind}: unknown key '${k}' (allowed: ${def.keys.join(', ')})`);
  for (const k of def.need ?? []) if (!(k in arg)) throw new CorpusError(`${where}: ${kind}: '${k}' is required`);
  if (def.one && def.one.filter((k) => k in arg).length !== 1) throw new CorpusError(`${where}: ${kind}: exactly one of ${def.one.join(', ')}`);
  for (const k of ['client', 'crowd', 'as']) if (k in arg && !client(arg[k])) throw new CorpusError(`${where}: ${kind}: ${k} must be a name ([A-Za-z][A-Za-z0-9_-]*, or crowd member P.3), got ${JSON.stringify(arg[k])}`);
  if (kind === 'crowd' && !(Number.isInteger(arg.count) && arg.count >= 2 && arg.count <= 2000)) throw new CorpusError(`${where}: crowd: count must be an integer in 2..2000`);
  if (kind === 'send' && arg.publishes !== undefined && !(obj(arg.publishes) && client(arg.publishes.as))) throw new CorpusError(`${where}: send: publishes is {as: NAME, source?, detail-type?}`);
  if (kind === 'put-event' && arg.refused !== undefined && !(obj(arg.refused) && typeof arg.refused.code === 'string')) throw new CorpusError(`${where}: put-event: refused is {code, message?}`);
  if (kind === 'connect' && arg.refused !== undefined && !Number.isInteger(arg.refused)) throw new CorpusError(`${where}: connect: refused is an HTTP status`);
  if (kind === 'wait') waitMs(arg.for);
  return { kind, arg, only, why, where };
}

function checkOnly(only, why, where) {
  if (only === undefined && why === undefined) return;
  if (!EXECUTORS.includes(only)) throw new CorpusError(`${where}: only must be one of ${EXECUTORS.join(', ')}, got ${JSON.stringify(only)}`);
  if (typeof why !== 'string' || why.trim().length < 10) throw new CorpusError(`${where}: only: ${only} needs a why (a sentence)`);
}

export function loadScenario(file) {
  const rel = path.relative(REPO_ROOT, file);
  const doc = YAML.parse(fs.readFileSync(file, 'utf8'));
  if (!obj(doc)) throw new CorpusError(`${rel}: not a map`);
  for (const k of Object.keys(doc)) if (!['spec', 'about', 'only', 'why', 'steps'].includes(k)) throw new CorpusError(`${rel}: unknown key '${k}'`);
  if (typeof doc.spec !== 'string') throw new CorpusError(`${rel}: spec: the spec file (e.g. specs/topics.yaml) is required`);
  const specPath = path.resolve(REPO_ROOT, doc.spec);
  if (!fs.existsSync(specPath)) throw new CorpusError(`${rel}: spec ${doc.spec} does not exist`);
  if (typeof doc.about !== 'string') throw new CorpusError(`${rel}: about: one sentence on what the scenario shows`);
  checkOnly(doc.only, doc.why, rel);
  if (!Array.isArray(doc.steps) || !doc.steps.length) throw new CorpusError(`${rel}: steps: a non-empty list`);
  const stem = path.basename(doc.spec).replace(/\.ya?ml$/, '');
  const base = path.basename(file).replace(/\.ya?ml$/, '');
  if (!base.startsWith(`${stem}-`)) throw new CorpusError(`${rel}: the file name must start with the spec's stem '${stem}-'`);
  const steps = doc.steps.map((raw, i) => parseStep(raw, `${rel} step ${i + 1}`));
  return { file: rel, name: `${stem}/${base.slice(stem.length + 1)}`, spec: doc.spec, specPath, stem, about: doc.about, only: doc.only, why: doc.why, steps };
}

export function loadCorpus(dir = CORPUS_DIR) {
  return fs
    .readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => loadScenario(path.join(dir, f)));
}

/** Expands the macros of a value: {$repeat: [TEXT, N]} -> TEXT N times; {$concat: [TEXT...]} -> the texts
 * joined; {$connectionId: NAME} -> that client's id. */
export function expand(value, idOf) {
  if (Array.isArray(value)) return value.map((v) => expand(v, idOf));
  if (!obj(value)) return value;
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === '$repeat') {
    const [text, n] = value.$repeat;
    if (typeof text !== 'string' || !Number.isInteger(n) || n < 0) throw new CorpusError(`$repeat takes [TEXT, COUNT], got ${JSON.stringify(value.$repeat)}`);
    return text.repeat(n);
  }
  if (keys.length === 1 && keys[0] === '$concat') {
    const parts = expand(value.$concat, idOf);
    if (!Array.isArray(parts) || !parts.every((p) => typeof p === 'string')) throw new CorpusError(`$concat takes a list of texts, got ${JSON.stringify(value.$concat)}`);
    return parts.join('');
  }
  if (keys.length === 1 && keys[0] === '$connectionId') return idOf(value.$connectionId);
  return Object.fromEntries(keys.map((k) => [k, expand(value[k], idOf)]));
}
