import fs from 'node:fs';
import { evaluateBounded } from './sfn/jsonata.mjs';
const m = fs.readFileSync(process.argv[2], 'utf8');
const text = `(${m})($pattern, $event)`;
const d = async (p, e) => { const r = await evaluateBounded(text, { pattern: p, event: e }, { measureOnly: true }); return `${r.depth}/${r.value}`; };
const pat = (n, leaf) => n === 0 ? { a: ['x'], b: leaf } : { a: ['x'], b: leaf, n: pat(n - 1, leaf) };
const ev = (n, v) => n === 0 ? [{ a: 'q', b: 'q' }, { a: 'x', b: v }] : [{ a: 'q', b: 'q', n: ev(n - 1, v) }, { a: 'x', b: v, n: ev(n - 1, v) }];
const leaves = {
  literal: [['y'], 'y'],
  ipLiteral: [['2001:db8::1'], '2001:0db8:0:0:0:0:0:1'],
  cidr6: [[{ cidr: '2001:db8::/32' }], '2001:db8:ffff::1'],
  cidr4: [[{ cidr: '10.0.0.0/8' }], '10.1.2.3'],
  wildcard: [[{ wildcard: 'a*b*c*\\*d' }], 'a1b2c3*d'],
  eic: [[{ 'equals-ignore-case': 'ÄßÉ' }], 'äSSé'],
  prefixEic: [[{ prefix: { 'equals-ignore-case': 'ÄßÉ' } }], 'äSSéxx'],
  suffixEic: [[{ suffix: { 'equals-ignore-case': 'ÄßÉ' } }], 'xxäSSé'],
  abWild: [[{ 'anything-but': { wildcard: ['x*y', 'z*'] } }], 'qq'],
  abEic: [[{ 'anything-but': { 'equals-ignore-case': ['ÄßÉ', 'q'] } }], 'zz'],
  numeric: [[{ numeric: ['>', 0, '<=', 5] }], 3],
  abNum: [[{ 'anything-but': [1, 2, 3] }], 4],
};
for (const n of [4]) for (const [k, [leaf, v]] of Object.entries(leaves)) console.log(n, k, await d({ detail: pat(n, leaf) }, { detail: ev(n, v)[1] }));
