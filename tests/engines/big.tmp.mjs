import fs from 'node:fs';
import { evaluateBounded } from './sfn/jsonata.mjs';
import jsonata from 'jsonata';
const m = fs.readFileSync(process.argv[2], 'utf8');
const text = `(${m})($pattern, $event)`;
const arr = Array.from({ length: 64000 }, (_, i) => i % 10);
const event = { detail: { x: arr } };
console.log('bytes', JSON.stringify(event).length);
for (const [name, pattern] of [['lit', { detail: { x: [11] } }], ['or4', { detail: { $or: [{ x: [11] }, { x: [12] }, { x: [{ numeric: ['>', 100] }] }, { x: [{ prefix: 'a' }] }] } }], ['match', { detail: { x: [5] } }]]) {
  let t = performance.now();
  const r = await evaluateBounded(text, { pattern, event }, { measureOnly: true });
  const b = performance.now() - t;
  t = performance.now();
  await jsonata(text).evaluate({}, { pattern, event });
  console.log(name, r.value, 'bounded', b.toFixed(0), 'ms; plain', (performance.now() - t).toFixed(0), 'ms');
}
