// The worst page the subscribe-time limits admit, evaluated by the matcher a built deliverer
// embeds, under Step Functions' own bounds (sfn/jsonata.mjs), in jsonata@2.0.6: 16 client
// patterns, each at every limit at once (the deepest nesting, the most $or branches, the most
// fields and alternatives, native wildcards and anything-but lists, all on the same paths so that
// every test scans the most values), against a 128 KB event with arrays of objects at every level
// of those paths. Prints the deepest evaluation and the page's time (the sum over its
// subscribers: Step Functions evaluates them in parallel Map iterations, the engines one after
// the other), and fails above the budget: depth 90 (of AWS's 100), 30 s.
//
//   node tests/engines/jsonata/worst-page.mjs --matcher FILE [--limits JSON] [--budget-seconds 30]
//
// A second page shows the other extreme of the event: one path holding as many scalar values as
// 128 KB allows (single digits), every test of every subscriber scanning it. There the budget
// holds for each subscriber (each is its own Map iteration, Step Functions runs them at once up
// to `delivery.concurrency`, and `check` counts an evaluation's time in a page's worst case:
// src/model/timing.rs), and the page's sum is printed.

import { readFileSync } from 'node:fs';
import { evaluateBounded } from '../sfn/jsonata.mjs';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const matcher = readFileSync(opt('--matcher'), 'utf8').trim();
// The limits subscribe enforces (src/pattern/complexity.rs); --limits overrides them.
const LIMITS = { nesting: 8, branches: 8, fields: 32, values: 64, ...JSON.parse(opt('--limits', '{}')) };
if (LIMITS.missing) throw new Error(`worst-page: no limits read from ${LIMITS.missing}`);
const BUDGET_SECONDS = Number(opt('--budget-seconds', 30));
const DEPTH_BUDGET = 90;
const SUBSCRIBERS = 16;
const EVENT_BYTES = 128 * 1024;
const expression = `(${matcher})($pattern, $event)`;

/** `levels` nested objects named l1, l2, ... around `leaf`. */
const nest = (levels, leaf, wrap = (x) => x) => {
  let x = leaf;
  for (let i = levels; i >= 1; i--) x = { [`l${i}`]: wrap(x) };
  return x;
};

// Levels: the root's fields are level 1, `detail` holds level 2, a $or branch adds one, and the
// branch's own nesting the rest: its fields sit at `nesting`.
const inner = LIMITS.nesting - 3;
const branches = LIMITS.branches;
const fieldsPerBranch = Math.max(1, Math.floor((LIMITS.fields - 1) / branches));
const valuesPerField = Math.max(1, Math.floor((LIMITS.values - 1) / (branches * fieldsPerBranch)));

/** The alternatives of field `f` of branch `b`: every kind the matcher tests natively. */
function alternatives(b, f) {
  const kinds = [
    { wildcard: `*k${b}*z${f}` },
    { 'anything-but': Array.from({ length: 12 }, (_, i) => `v${i}`) },
    { prefix: `p${b}${f}` },
    { suffix: { 'equals-ignore-case': `S${b}${f}` } },
    { numeric: ['>', 5e9 - b - 1, '<=', 5e9] },
    { 'anything-but': { prefix: [`n${b}`, `m${f}`] } },
    { cidr: `10.${b}.${f}.0/24` },
    `lit-${b}-${f}`,
  ];
  return Array.from({ length: valuesPerField }, (_, i) => kinds[(b + f + i) % kinds.length]);
}

/** A pattern at every limit, its fields (named f0.. in every branch) on the same paths. */
function pattern(seed) {
  const or = Array.from({ length: branches }, (_, b) =>
    nest(inner, Object.fromEntries(Array.from({ length: fieldsPerBranch }, (_, f) => [`f${f}`, alternatives(b, f)]))),
  );
  return { source: [`app.s${seed}`], detail: { $or: or } };
}

/** 128 KB: arrays of objects at every level of the branches' path, leaves with every field. */
function deepEvent() {
  const leaf = (i) => Object.fromEntries(Array.from({ length: fieldsPerBranch }, (_, f) => [`f${f}`, i % 3 ? `kx-${i}-z` : `v${i % 12}`]));
  const fan = 3;
  const leaves = [];
  let i = 0;
  const build = (depth) => (depth === inner ? [leaf(i++), leaf(i++)] : Array.from({ length: fan }, () => ({ [`l${depth + 1}`]: build(depth + 1) })));
  // grow the fan-out of the first level until the event is about 128 KB
  const event = (width) => ({ version: '0', id: 'worst', source: 'app.s0', 'detail-type': 'Worst', account: '123456789012', time: '2024-01-01T00:00:00Z', region: 'us-east-1', resources: [], detail: { l1: Array.from({ length: width }, () => ({ l2: build(1) })) } });
  let width = 1;
  while (JSON.stringify(event(width + 1)).length <= EVENT_BYTES) width++;
  leaves.length = 0;
  i = 0;
  return event(width);
}

/** 128 KB of single digits at the path the patterns name first. */
function flatEvent() {
  const digits = Math.floor((EVENT_BYTES - 400) / 2);
  return { version: '0', id: 'flat', source: 'app.s0', 'detail-type': 'Worst', account: '123456789012', time: '2024-01-01T00:00:00Z', region: 'us-east-1', resources: [], detail: nest(inner, { f0: Array.from({ length: digits }, (_, i) => i % 10) }) };
}

async function page(event, evaluated = SUBSCRIBERS) {
  let deepest = 0;
  let matched = 0;
  let slowest = 0;
  const started = performance.now();
  for (let s = 0; s < evaluated; s++) {
    const p = pattern(s);
    const t = performance.now();
    const { value, depth } = await evaluateBounded(expression, { pattern: p, event });
    slowest = Math.max(slowest, (performance.now() - t) / 1000);
    if (value === 'eventbridge') throw new Error('the worst page must be decided by the matcher, not left to EventBridge');
    deepest = Math.max(deepest, depth);
    if (value) matched++;
  }
  // the page's time for all its subscribers (each pattern costs the same: measured on `evaluated`)
  return { seconds: ((performance.now() - started) / 1000) * (SUBSCRIBERS / evaluated), slowest, deepest, matched, evaluated };
}

const limits = `nesting ${LIMITS.nesting}, ${branches} $or branches, ${branches * fieldsPerBranch} fields, ${branches * fieldsPerBranch * valuesPerField} alternatives`;
let failed = 0;
for (const [name, event, measure, evaluated] of [
  ['arrays of objects at every level', deepEvent(), 'page', SUBSCRIBERS],
  // every subscriber's evaluation costs the same here: two measure it (CI's time)
  ['one path of single digits', flatEvent(), 'subscriber', 2],
]) {
  const bytes = JSON.stringify(event).length;
  const r = await page(event, evaluated);
  const time = measure === 'page' ? r.seconds : r.slowest;
  const ok = r.deepest <= DEPTH_BUDGET && time <= BUDGET_SECONDS;
  if (!ok) failed++;
  console.log(
    `${ok ? 'ok  ' : 'FAIL'} worst page, ${name}: ${SUBSCRIBERS} subscribers (${limits}), a ${(bytes / 1024).toFixed(0)} KB event: ` +
      `deepest evaluation ${r.deepest} (budget ${DEPTH_BUDGET}, AWS 100); the page ${r.seconds.toFixed(1)} s${r.evaluated < SUBSCRIBERS ? ` (${r.evaluated} of ${SUBSCRIBERS} evaluated)` : ''}, the slowest subscriber ${r.slowest.toFixed(1)} s ` +
      `(budget ${BUDGET_SECONDS} s for the ${measure}); ${r.matched} matched`,
  );
}
console.log(`worst page: ${2 - failed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
