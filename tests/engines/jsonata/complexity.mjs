// Agreement of the connections machine's JSONata complexity measure with the Rust one
// (src/pattern/complexity.rs), run by the reference `jsonata@2.0.6` under Step Functions' bounds.
//
//   node tests/engines/jsonata/complexity.mjs CONNECTIONS.asl.json RECORDS.jsonl...
//
// RECORDS are written by `pattern_pairs --complexity` / `--measure` (examples/pattern_pairs):
// a pattern with the five figures the Rust measure gives, whether it is admitted and the
// `pattern-too-complex` message. For every valid record, the measuring state the built
// definition embeds (`Measure`, inside `MeasurePattern`) is evaluated as Step Functions would
// (its whole `Output`, on a state input carrying the pattern base64-encoded as the route's VTL
// sends it): the reply must be the Rust one, exactly. Then the embedded measure is applied to
// the pattern once per figure, with only that figure's limit below zero, so that each of the
// five figures is compared on its own. The summary line gives the deepest evaluation seen (the
// larger of the two depth counts of tests/engines/sfn/jsonata.mjs), overall and for the admitted
// patterns; the exit status is non-zero on any disagreement.

import { existsSync, readFileSync } from 'node:fs';
import { evaluateBounded } from '../sfn/jsonata.mjs';

const FIGURES = ['nesting', 'branches', 'fields', 'values', 'costly'];
const SHOWN = 20;

function fail(message) {
  console.log(`FAIL ${message}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}

const [aslFile, ...recordFiles] = process.argv.slice(2);
if (!aslFile || recordFiles.length === 0) fail('usage: complexity.mjs CONNECTIONS.asl.json RECORDS.jsonl...');

/** The `Output` expression of the measuring state, wherever it is nested. */
function measuringOutput(definition) {
  const found = [];
  const walk = (states) =>
    Object.entries(states ?? {}).forEach(([name, s]) => {
      if (name === 'Measure' && s.QueryLanguage === 'JSONata') found.push(s.Output);
      (s.Branches ?? []).forEach((b) => walk(b.States));
      if (s.ItemProcessor) walk(s.ItemProcessor.States);
    });
  walk(definition.States);
  if (found.length !== 1) fail(`expected one Measure state in ${aslFile}, found ${found.length}`);
  const m = /^\{%([\s\S]*)%\}$/.exec(found[0].trim());
  if (!m) fail(`the Measure state's Output is not one {% %} expression: ${found[0].slice(0, 80)}`);
  return m[1];
}

if (!existsSync(aslFile)) fail(`no connections definition to check: ${aslFile} (build a spec with a pattern route)`);
const output = measuringOutput(JSON.parse(readFileSync(aslFile, 'utf8')));
const call = /\$m:=(\(.+\))\(\$parse\(\$base64decode\(\$s\.pattern\)\),(\[[^\]]*\]),(\[[^\]]*\])\);/s.exec(output);
if (!call) fail('cannot find the measure call ($m:=(...)($parse($base64decode($s.pattern)),[limits],[names]);) in the Output');
const measure = call[1];
const limits = JSON.parse(call[2]);
const names = JSON.parse(call[3]);
const probe = `${measure}($pattern, $limits, $names)`;

let passed = 0;
let failed = 0;
let deepest = 0;
let deepestAdmitted = 0;
const shown = [];

function disagree(what, record, want, got) {
  failed++;
  if (shown.length < SHOWN) shown.push(`DISAGREE ${what}: expected ${JSON.stringify(want)}, got ${got instanceof Error ? `error ${got.message}` : JSON.stringify(got)}\n  pattern: ${JSON.stringify(record.pattern)}`);
}

async function run(text, bindings) {
  try {
    const { value, depth } = await evaluateBounded(text, bindings);
    return { value: JSON.parse(JSON.stringify(value ?? null)), depth };
  } catch (e) {
    return { value: e instanceof Error ? e : new Error(String(e)), depth: 0 };
  }
}

async function check(record) {
  const input = {
    action: 'subscribe',
    route: 'pattern',
    connectionId: 'c1',
    pattern: Buffer.from(JSON.stringify(record.pattern), 'utf8').toString('base64'),
  };
  const reply = record.admitted
    ? { type: 'subscribed', route: 'pattern', pattern: true }
    : { type: 'error', route: 'pattern', code: 'pattern-too-complex', message: record.message };
  const state = await run(output, { states: { input, context: {} } });
  deepest = Math.max(deepest, state.depth);
  if (record.admitted) deepestAdmitted = Math.max(deepestAdmitted, state.depth);
  const want = { ...input, reply };
  if (JSON.stringify(state.value) === JSON.stringify(want)) passed++;
  else disagree('reply', record, reply, state.value instanceof Error ? state.value : state.value?.reply);
  for (let i = 0; i < FIGURES.length; i++) {
    const only = FIGURES.map((_, j) => (j === i ? -1 : 1e9));
    const got = await run(probe, { pattern: record.pattern, limits: only, names });
    deepest = Math.max(deepest, got.depth);
    const m = typeof got.value === 'string' ? /^(.*) (\d+) \(at most -1\)$/.exec(got.value) : null;
    const figure = m && m[1] === names[i] ? Number(m[2]) : got.value;
    if (figure === record[FIGURES[i]]) passed++;
    else disagree(FIGURES[i], record, record[FIGURES[i]], figure);
  }
}

let records = 0;
for (const file of recordFiles) {
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const record = JSON.parse(line);
    if (record.valid !== true) continue;
    records++;
    await check(record);
  }
}
for (const s of shown) console.log(s);
if (records === 0) fail('no valid records to check');
console.log(
  `jsonata complexity measure: ${records} patterns (limits ${JSON.stringify(limits)}), the reply and each figure ` +
    `compared with the Rust measure; deepest evaluation ${deepest} (admitted patterns: ${deepestAdmitted})`,
);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
