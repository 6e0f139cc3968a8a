import fs from 'node:fs';
import { evaluateBounded } from './sfn/jsonata.mjs';
const m = fs.readFileSync(process.argv[2], 'utf8');
const text = `(${m})($pattern, $event)`;
async function depth(pattern, event) {
  const t = performance.now();
  const r = await evaluateBounded(text, { pattern, event }, { measureOnly: true });
  return `${r.depth} (${r.value}) ${(performance.now() - t).toFixed(0)}ms`;
}
for (const n of [1000, 5000]) {
  const items = Array.from({ length: n }, (_, i) => ({ sku: 's' + i, qty: i }));
  console.log('items', n, await depth({ detail: { items: { sku: ['nope'] } } }, { detail: { items } }),
    'or45', await depth({ detail: { $or: Array.from({ length: 45 }, (_, i) => ({ items: { sku: ['n' + i] } })) } }, { detail: { items } }),
    'wild', await depth({ detail: { items: { sku: [{ wildcard: '*x*y*' }], qty: [{ 'anything-but': [1, 2, 3] }] } } }, { detail: { items } }),
    'wild1', await depth({ detail: { items: { sku: [{ wildcard: '*x*y*' }] } } }, { detail: { items } }));
}
