import fs from 'node:fs';
import { evaluateBounded } from './sfn/jsonata.mjs';
const m = fs.readFileSync(process.argv[2], 'utf8');
const text = `(${m})($pattern, $event)`;
const lines = fs.readFileSync(process.argv[3], 'utf8').trim().split('\n');
for (const [i, l] of lines.entries()) {
  const { pattern, event } = JSON.parse(l);
  const r = await evaluateBounded(text, { pattern, event }, { measureOnly: true });
  if (r.depth > 74) console.log(i + 1, r.depth, JSON.stringify(pattern).slice(0, 150), '|', JSON.stringify(event).slice(0, 200));
}
