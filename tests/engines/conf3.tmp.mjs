import fs from 'node:fs';
import { evaluateBounded } from './sfn/jsonata.mjs';
const m = fs.readFileSync(process.argv[2], 'utf8');
const text = `(${m})($pattern, $event)`;
const lines = fs.readFileSync(process.argv[3], 'utf8').trim().split('\n');
let bad = 0, deepest = 0, over = 0; const t0 = performance.now();
for (const [i, l] of lines.entries()) {
  const { pattern, event, match } = JSON.parse(l);
  try {
    const r = await evaluateBounded(text, { pattern, event }, { measureOnly: true });
    deepest = Math.max(deepest, r.depth); if (r.depth > 90) over++;
    if (r.value !== match) { bad++; if (bad <= 8) console.log('DISAGREE', i + 1, JSON.stringify(pattern).slice(0, 300), '|', JSON.stringify(event).slice(0, 300), 'want', match); }
  } catch (e) { bad++; if (bad <= 8) console.log('ERROR', i + 1, e.message, JSON.stringify(pattern).slice(0, 200)); }
}
console.log('pairs', lines.length, 'bad', bad, 'deepest', deepest, 'over90', over, ((performance.now() - t0) / 1000).toFixed(1), 's');
