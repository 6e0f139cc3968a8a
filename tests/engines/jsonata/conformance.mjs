// Conformance of the generated JSONata pattern matcher, run by the reference `jsonata@2.0.6`
// (the JSONata that AWS Step Functions implements).
//
//   node tests/engines/jsonata/conformance.mjs [--matcher FILE] [PAIRS.jsonl ...]
//
// * Every valid recorded AWS case in tests/data/event-patterns.jsonl must give the recorded
//   result (`match` / `no-match`).
// * Every line `{"pattern", "event", "match"}` of each PAIRS file (written by
//   `cargo run --release --example pattern_pairs`) must give the Rust matcher's answer.
//
// The matcher text is exactly what the compiler embeds: FILE, or else the output of
// `cargo run --release --example pattern_pairs -- --matcher`. It is applied the way a state
// applies it, `(<matcher>)($pattern, $event)`, under Step Functions' own bounds (evaluation
// depth 100, about 7 MB per value: tests/engines/sfn/jsonata.mjs), so a pair that passes here
// evaluates on AWS too. Disagreements, and pairs the bounds stop, are printed with their pair;
// the last line is a summary (with the deepest evaluation seen); the exit status is non-zero on
// any disagreement or error.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createReadStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { evaluateBounded } from '../sfn/jsonata.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const SHOWN = 20; // disagreements printed in full per source

function parseArgs(argv) {
  const options = { matcher: null, pairs: [] };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--matcher') options.matcher = argv[++i];
    else options.pairs.push(argv[i]);
  }
  return options;
}

function loadMatcher(file) {
  if (file) return readFileSync(file, 'utf8').trim();
  return execFileSync(
    'cargo',
    ['run', '--quiet', '--release', '--example', 'pattern_pairs', '--', '--matcher'],
    { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  ).trim();
}

const options = parseArgs(process.argv.slice(2));
const matcherText = loadMatcher(options.matcher);
const expression = '(' + matcherText + ')($pattern, $event)';
let deepest = 0;
/** The matcher's answer for what it leaves to EventBridge's TestEventPattern (see its header). */
const DELEGATED = Symbol('eventbridge');

/** The matcher's verdict, or an Error when evaluation fails or does not give a boolean. */
async function verdict(pattern, event) {
  try {
    const { value, depth } = await evaluateBounded(expression, { pattern, event });
    deepest = Math.max(deepest, depth);
    if (value === 'eventbridge') return DELEGATED;
    return typeof value === 'boolean' ? value : new Error(`not a boolean: ${JSON.stringify(value)}`);
  } catch (err) {
    return new Error(`${err.code ?? ''} ${err.message ?? err}`.trim());
  }
}

function report(kind, label, pattern, event, want, got) {
  const what = got instanceof Error ? `error ${got.message}` : `jsonata ${got}`;
  console.log(`DISAGREE ${kind} ${label}: expected ${want}, ${what}`);
  console.log(`  pattern: ${JSON.stringify(pattern)}`);
  console.log(`  event:   ${JSON.stringify(event)}`);
}

// Everything is evaluated here, at the top level: inside a `node:test` test body, promise
// tracking makes jsonata (which is promise-based throughout) about 3.5 times slower.

async function recordedCases() {
  const cases = readFileSync(resolve(ROOT, 'tests/data/event-patterns.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line))
    .filter((c) => c.expect === 'match' || c.expect === 'no-match');
  let bad = 0;
  let delegated = 0;
  for (const c of cases) {
    const want = c.expect === 'match';
    const got = await verdict(c.pattern, c.event);
    if (got === DELEGATED) {
      delegated++;
      continue;
    }
    if (got !== want) {
      bad++;
      report('recorded', c.name, c.pattern, c.event, want, got);
    }
  }
  return { total: cases.length, bad, line: `recorded ${cases.length - bad - delegated}/${cases.length - delegated} agree (${delegated} left to EventBridge)` };
}

async function pairsFile(file) {
  const started = process.hrtime.bigint();
  let total = 0;
  let matching = 0;
  let bad = 0;
  let delegated = 0;
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    const { pattern, event, match } = JSON.parse(line);
    total++;
    if (match) matching++;
    const got = await verdict(pattern, event);
    if (got === DELEGATED) {
      delegated++;
      continue;
    }
    if (got !== match) {
      bad++;
      if (bad <= SHOWN) report('pair', `${file}:${total}`, pattern, event, match, got);
    }
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const share = total ? ((100 * matching) / total).toFixed(1) : '0.0';
  const line = `${file}: ${total} pairs (${share}% matching), ${total - delegated} decided by the matcher, ${delegated} left to EventBridge, ${bad} disagreements, ${seconds.toFixed(1)} s`;
  return { total, bad, line };
}

const recorded = await recordedCases();
const files = [];
for (const file of options.pairs) files.push({ file, ...(await pairsFile(file)) });
console.log(
  `jsonata matcher (${matcherText.length} bytes): ` +
    [recorded.line, ...files.map((f) => f.line)].join('; ') +
    `; deepest evaluation ${deepest} of the 100 AWS allows`,
);

test('recorded EventBridge cases (tests/data/event-patterns.jsonl)', () => {
  assert.ok(recorded.total > 0, 'no recorded case read');
  assert.equal(recorded.bad, 0, `${recorded.bad} recorded case(s) disagree`);
});

for (const f of files) {
  test(`Rust matcher agreement on ${f.file}`, () => {
    assert.ok(f.total > 0, 'no pairs read');
    assert.equal(f.bad, 0, `${f.bad} of ${f.total} pairs disagree`);
  });
}
