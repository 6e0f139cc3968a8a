import fs from 'node:fs';
import { evaluateBounded } from './sfn/jsonata.mjs';
const file = process.argv[2];
const m = fs.readFileSync(file, 'utf8');
const text = `(${m})($pattern, $event)`;
const cases = fs.readFileSync('/work/main/tests/data/event-patterns.jsonl', 'utf8').trim().split('\n').map(JSON.parse).filter((c) => c.expect === 'match' || c.expect === 'no-match');
let bad = 0, deepest = 0;
for (const c of cases) {
  try {
    const r = await evaluateBounded(text, { pattern: c.pattern, event: c.event }, { measureOnly: true });
    deepest = Math.max(deepest, r.depth);
    if (r.value !== (c.expect === 'match')) { bad++; console.log('DISAGREE', c.name, r.value); }
  } catch (e) { bad++; console.log('ERROR', c.name, e.message); }
}
console.log('recorded', cases.length, 'bad', bad, 'deepest', deepest);
