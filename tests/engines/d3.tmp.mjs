import fs from 'node:fs';
import { evaluateBounded } from './sfn/jsonata.mjs';
const m = fs.readFileSync(process.argv[2], 'utf8');
const text = `(${m})($pattern, $event)`;
const d = async (p, e) => { const r = await evaluateBounded(text, { pattern: p, event: e }, { measureOnly: true }); return `${r.depth}/${r.value}`; };
const nest = (n, leaf, wrap = (x) => x) => { let p = leaf; for (let i = 0; i < n; i++) p = { [`l${n - i}`]: wrap(p) }; return p; };
console.log('simple', await d({ source: ['a'] }, { source: 'a' }));
console.log('two', await d({ source: ['a'], 'detail-type': ['b'] }, { source: 'a', 'detail-type': 'b' }));
for (const n of [0, 1, 3, 5, 8]) {
  console.log('chain', n, await d({ detail: nest(n, { x: ['a'] }) }, { detail: nest(n, { x: 'a' }) }), 'arr', await d({ detail: nest(n, { x: ['a'] }) }, { detail: nest(n, [{ x: 'a' }], (x) => [x]) }),
   'branch', await d({ detail: nest(n, { x: ['a'], y: ['b'] }) }, { detail: nest(n, { x: 'a', y: 'b' }) }), 'branch-arr', await d({ detail: nest(n, { x: ['a'], y: ['b'] }, (x) => ({ ...x, z: ['q'] })) }, { detail: nest(n, [{ x: 'a', y: 'b', z: 'q' }], (x) => [{ ...x, z: 'q' }]) }));
}
for (const b of [2, 5, 10, 20]) {
  const pattern = { detail: { $or: Array.from({ length: b }, (_, i) => ({ a: { b: [`v${i}`] } })) } };
  const event = { detail: { a: [{ b: 'zz' }, { b: 'v' + (b - 1) }] } };
  console.log('or', b, await d(pattern, event));
}
