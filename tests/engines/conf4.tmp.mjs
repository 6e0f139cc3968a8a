import fs from 'node:fs';
import { evaluateBounded } from './sfn/jsonata.mjs';
const m = fs.readFileSync(process.argv[2], 'utf8');
const text = `(${m})($pattern, $event)`;
const lines = fs.readFileSync(process.argv[3], 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const recorded = fs.readFileSync('/work/main/tests/data/event-patterns.jsonl', 'utf8').trim().split('\n').map(JSON.parse).filter((c) => c.expect !== 'invalid').map((c) => ({ pattern: c.pattern, event: c.event, match: c.expect === 'match', name: c.name }));
let bad = 0, deepest = 0, delegated = 0; const t0 = performance.now();
for (const [i, { pattern, event, match, name }] of [...recorded, ...lines].entries()) {
  try {
    const r = await evaluateBounded(text, { pattern, event });
    deepest = Math.max(deepest, r.depth);
    if (r.value === 'eventbridge') { delegated++; continue; }
    if (r.value !== match) { bad++; if (bad <= 5) console.log('DISAGREE', name ?? i, JSON.stringify(pattern).slice(0, 200), '|', JSON.stringify(event).slice(0, 200), 'want', match); }
  } catch (e) { bad++; if (bad <= 5) console.log('ERROR', name ?? i, e.message); }
}
console.log('total', recorded.length + lines.length, 'bad', bad, 'delegated', delegated, 'deepest', deepest, ((performance.now() - t0) / 1000).toFixed(1), 's');
