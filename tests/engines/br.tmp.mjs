import fs from 'node:fs';
import { evaluateBounded } from './sfn/jsonata.mjs';
const m = fs.readFileSync(process.argv[2], 'utf8');
const text = `(${m})($pattern, $event)`;
const N = 16000;
const items = Array.from({ length: N }, (_, i) => ({ x: i % 10, y: 'a' }));
for (const [name, pattern] of [['2lits', { detail: { x: [11], y: ['b'] } }], ['4lits', { detail: { x: [11], y: ['b'], z: ['q'], w: [1] } }], ['1lit', { detail: { x: [11] } }]]) {
  const t = performance.now();
  const r = await evaluateBounded(text, { pattern, event: { detail: items } }, { measureOnly: true });
  const ms = performance.now() - t;
  console.log(name, r.value, r.depth, ms.toFixed(0), 'ms', (1000 * ms / N).toFixed(1), 'µs/element');
}
