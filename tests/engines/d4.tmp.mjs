import fs from 'node:fs';
import { evaluateBounded } from './sfn/jsonata.mjs';
const m = fs.readFileSync(process.argv[2], 'utf8');
const text = `(${m})($pattern, $event)`;
const d = async (p, e) => { const r = await evaluateBounded(text, { pattern: p, event: e }, { measureOnly: true }); return `${r.depth}/${r.value}`; };
// pattern: n levels, each {a: [..], b: [{prefix..}], n: {...}}; leaf level {a, b}
const pat = (n) => n === 0 ? { a: ['x'], b: [{ prefix: 'y' }] } : { a: ['x'], b: [{ prefix: 'y' }], n: pat(n - 1) };
const ev = (n) => n === 0 ? [{ a: 'q', b: 'q' }, { a: 'x', b: 'yy' }] : [{ a: 'q', b: 'q', n: ev(n - 1) }, { a: 'x', b: 'yy', n: ev(n - 1) }];
for (const n of [0, 1, 2, 3, 4, 5, 6]) console.log('branching+arrays', n, await d({ detail: pat(n) }, { detail: ev(n)[1] }), 'compile-only', await d({ detail: pat(n) }, {}));
