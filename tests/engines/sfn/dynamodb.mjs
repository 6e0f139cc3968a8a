// In-memory DynamoDB for the engine tests: the operations and parameters the generated state
// machines use, emulated like DynamoDB. Any other parameter, operation or attribute type throws
// NotEmulated (the execution fails whatever its Catch), so a generator change cannot pass untested.
//
// Tables: { name: { hashKey, rangeKey?, keyTypes?: {attr: 'S'|'N'},
//   gsis?: { indexName: { hashKey, rangeKey?, projection?: 'ALL'|'KEYS_ONLY'|[attrs...] } } } }.
// Items in DynamoDB JSON: {"S": ..}, {"N": ".."}, {"BOOL": ..}, {"NULL": true}, {"L": ..}, {"M": ..}.
//
// Emulated like DynamoDB:
//  * PutItem {TableName, Item}, GetItem {TableName, Key, ProjectionExpression,
//    ExpressionAttributeNames, ConsistentRead}, DeleteItem {TableName, Key}, Query {TableName,
//    IndexName, KeyConditionExpression, ExpressionAttributeNames/Values, ProjectionExpression, Limit,
//    ExclusiveStartKey, ConsistentRead}, with DynamoDB's response shapes.
//  * KeyConditionExpression: hashKey = :v [AND rangeKey (= < <= > >= :v | BETWEEN :a AND :b |
//    begins_with(rangeKey, :v))]; ProjectionExpression: top-level attributes.
//    ExpressionAttributeNames/Values must all be used and all be defined; bare reserved words are
//    rejected (list in dynamodb-reserved-words.txt).
//  * Limit counts items evaluated. LastEvaluatedKey is returned whenever the page stopped at Limit
//    (or at the 1 MB read limit) - even if nothing follows, exactly like DynamoDB (so 200 items with
//    Limit 100 take 3 calls, the last one empty). ExclusiveStartKey resumes after that key's position
//    even if the item has since been deleted.
//  * Order within a partition by sort key (N numerically, S by UTF-8 bytes); GSI entries with equal
//    index keys are ordered by table key.
//  * GSIs are sparse (items without the index keys are not in the index); ConsistentRead on a GSI
//    is a ValidationException; projections ALL / KEYS_ONLY / INCLUDE.
//  * Validation: key schema (missing key, wrong key type, empty-string key or GSI-key value),
//    AttributeValue shape (one type key, N is a number string), item size <= 400 KB.
//  * GSIs are eventually consistent: a write reaches a GSI `indexLagMs` after it was made (by the
//    clock `now()`; AWS: "typically within a second", so the engines' scenarios use 1,000 ms,
//    https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html#GSI.Reads), and
//    until then a GSI query sees the item as it was (or not at all). Default 0: immediate.
// Deviations: no capacity, TTL, streams; base-table reads are always consistent; item sizes are
// approximated (UTF-8 length of names + values); numbers are compared as JS doubles; a GSI applies
// the writes due by the latest `now()` it was asked at (a clock that goes back sees no older state).

import fs from 'node:fs';
import { NotEmulated } from './harness.mjs';

export class DynamoError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
    this.name = code;
  }
}
const validation = (msg) => new DynamoError('ValidationException', msg);

const RESERVED = new Set(
  fs
    .readFileSync(new URL('./dynamodb-reserved-words.txt', import.meta.url), 'utf8')
    .split('\n')
    .map((l) => l.trim().toUpperCase())
    .filter((l) => l && !l.startsWith('#')),
);
const NUM_RE = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;
const utf8len = (s) => Buffer.byteLength(s, 'utf8');
const typeOf = (av) => Object.keys(av)[0];

// The request parameters emulated, per operation.
const PARAMETERS = {
  putItem: ['TableName', 'Item'],
  getItem: ['TableName', 'Key', 'ProjectionExpression', 'ExpressionAttributeNames', 'ConsistentRead'],
  deleteItem: ['TableName', 'Key'],
  query: ['TableName', 'IndexName', 'KeyConditionExpression', 'ExpressionAttributeNames', 'ExpressionAttributeValues', 'ProjectionExpression', 'Limit', 'ExclusiveStartKey', 'ConsistentRead'],
};

function checkValue(av, where) {
  if (av === null || typeof av !== 'object' || Array.isArray(av)) throw validation(`Supplied AttributeValue is not an object (${where})`);
  const keys = Object.keys(av);
  if (keys.length !== 1) throw validation(`Supplied AttributeValue ${keys.length ? 'has more than one datatypes set' : 'is empty'}, must contain exactly one of the supported datatypes (${where})`);
  const [t] = keys;
  const v = av[t];
  const bad = (what) => {
    throw new DynamoError('SerializationException', `${where}: ${t} must be ${what}, got ${JSON.stringify(v)?.slice(0, 60)}`);
  };
  if (t === 'S' && typeof v !== 'string') bad('a string');
  else if (t === 'N' && (typeof v !== 'string' || !NUM_RE.test(v))) {
    if (typeof v !== 'string') bad('a string holding a number');
    throw validation(`The parameter cannot be converted to a numeric value: ${v}`);
  } else if (t === 'BOOL' && typeof v !== 'boolean') bad('a boolean');
  else if (t === 'NULL' && v !== true) bad('true');
  else if (t === 'L') (Array.isArray(v) ? v : bad('an array')).forEach((x, i) => checkValue(x, `${where}[${i}]`));
  else if (t === 'M') for (const [k, x] of Object.entries(v && typeof v === 'object' && !Array.isArray(v) ? v : bad('an object'))) checkValue(x, `${where}.${k}`);
  else if (!['S', 'N', 'BOOL', 'NULL'].includes(t)) throw new NotEmulated(`DynamoDB attribute type ${t} (${where})`);
}

function avSize(av) {
  const t = typeOf(av);
  const v = av[t];
  if (t === 'S') return utf8len(v);
  if (t === 'N') return Math.ceil(v.replace(/^[+-]|\.|e.*$/gi, '').length / 2) + 1;
  if (t === 'L') return 3 + v.reduce((a, x) => a + 1 + avSize(x), 0);
  if (t === 'M') return 3 + Object.entries(v).reduce((a, [k, x]) => a + 1 + utf8len(k) + avSize(x), 0);
  return 1; // BOOL, NULL
}
export const itemSize = (item) => Object.entries(item).reduce((a, [k, v]) => a + utf8len(k) + avSize(v), 0);

/** Order of two key values of the same type (S or N). */
const compare = (a, b) => (a.N !== undefined ? Math.sign(Number(a.N) - Number(b.N)) : Buffer.compare(Buffer.from(a.S), Buffer.from(b.S)));

// ---------------------------------------------------------------------------- expressions

const TOKEN_RE = /\s*(?:(#[A-Za-z0-9_]+)|(:[A-Za-z0-9_]+)|([A-Za-z_][A-Za-z0-9_]*)|(<>|<=|>=|[=<>(),.[\]]))/y;

/** Names and values of one request: resolves #name / :value and checks that all are used. */
class Expressions {
  constructor(req) {
    for (const f of ['ExpressionAttributeNames', 'ExpressionAttributeValues']) {
      if (req[f] !== undefined && (!req[f] || typeof req[f] !== 'object' || Object.keys(req[f]).length === 0)) throw validation(`${f} must not be empty`);
    }
    this.names = req.ExpressionAttributeNames ?? {};
    this.values = req.ExpressionAttributeValues ?? {};
    for (const [k, v] of Object.entries(this.values)) checkValue(v, `ExpressionAttributeValues.${k}`);
    this.used = new Set();
  }

  parse(text, what) {
    if (typeof text !== 'string' || !text.trim()) throw validation(`Invalid ${what}: The expression can not be empty;`);
    const tokens = [];
    for (let pos = 0; !/^\s*$/.test(text.slice(pos)); pos = TOKEN_RE.lastIndex) {
      TOKEN_RE.lastIndex = pos;
      const m = TOKEN_RE.exec(text);
      if (!m) throw validation(`Invalid ${what}: Syntax error; token: "${text.slice(pos).trim().slice(0, 10)}"`);
      tokens.push(m[1] ? { t: 'name', v: m[1] } : m[2] ? { t: 'value', v: m[2] } : m[3] ? { t: 'ident', v: m[3] } : { t: 'op', v: m[4] });
    }
    let i = 0;
    const fail = (msg) => {
      throw validation(`Invalid ${what}: ${msg}${tokens[i] ? `; token: "${tokens[i].v}"` : ' at end of expression'}`);
    };
    const p = {
      peek: (v) => tokens[i] && (tokens[i].v === v || (tokens[i].t === 'ident' && tokens[i].v.toUpperCase() === v)),
      take: (v) => (p.peek(v) ? (i++, true) : false),
      expect: (v) => p.take(v) || fail(`Syntax error, expected "${v}"`),
      end: () => i === tokens.length || fail('Syntax error'),
      attr: () => {
        const tok = tokens[i++];
        let name;
        if (tok?.t === 'name') {
          this.used.add(tok.v);
          if (!(tok.v in this.names)) throw validation(`Invalid ${what}: An expression attribute name used in the document path is not defined; attribute name: ${tok.v}`);
          name = this.names[tok.v];
        } else if (tok?.t === 'ident') {
          if (RESERVED.has(tok.v.toUpperCase())) throw validation(`Invalid ${what}: Attribute name is a reserved keyword; reserved keyword: ${tok.v}`);
          name = tok.v;
        } else fail('Syntax error; expected attribute name');
        if (p.peek('.') || p.peek('[')) throw new NotEmulated(`DynamoDB nested document path in ${what}`);
        return name;
      },
      value: () => {
        const tok = tokens[i++];
        if (tok?.t !== 'value') fail('Syntax error; expected a value');
        this.used.add(tok.v);
        if (!(tok.v in this.values)) throw validation(`Invalid ${what}: An expression attribute value used in expression is not defined; attribute value: ${tok.v}`);
        return this.values[tok.v];
      },
    };
    return p;
  }

  /** [{attr, op, v, hi?}] of a key condition. */
  keyCondition(text) {
    const p = this.parse(text, 'KeyConditionExpression');
    const term = () => {
      if (p.take('begins_with')) {
        p.expect('(');
        const attr = p.attr();
        p.expect(',');
        const c = { attr, op: 'begins_with', v: p.value() };
        p.expect(')');
        return c;
      }
      const attr = p.attr();
      const op = ['=', '<', '<=', '>', '>=', 'BETWEEN'].find((o) => p.take(o));
      if (!op) throw validation('Invalid KeyConditionExpression: Syntax error; expected a key comparison');
      const c = { attr, op, v: p.value() };
      if (op === 'BETWEEN') {
        p.expect('AND');
        c.hi = p.value();
      }
      return c;
    };
    const terms = [term()];
    if (p.take('AND')) terms.push(term());
    p.end();
    return terms;
  }

  /** Attribute names of a projection, or null. */
  projection(text) {
    if (text === undefined) return null;
    const p = this.parse(text, 'ProjectionExpression');
    const names = [p.attr()];
    while (p.take(',')) names.push(p.attr());
    p.end();
    return names;
  }

  checkAllUsed() {
    for (const [f, map] of [['ExpressionAttributeNames', this.names], ['ExpressionAttributeValues', this.values]]) {
      const unused = Object.keys(map).filter((k) => !this.used.has(k));
      if (unused.length) throw validation(`Value provided in ${f} unused in expressions: keys: {${unused.join(', ')}}`);
    }
  }
}

const matches = (c, av) =>
  av !== undefined &&
  typeOf(av) === typeOf(c.v) &&
  { '=': () => compare(av, c.v) === 0, '<': () => compare(av, c.v) < 0, '<=': () => compare(av, c.v) <= 0, '>': () => compare(av, c.v) > 0, '>=': () => compare(av, c.v) >= 0, BETWEEN: () => compare(av, c.v) >= 0 && compare(av, c.hi) <= 0, begins_with: () => av.S?.startsWith(c.v.S) }[c.op]();

const pick = (item, names) => Object.fromEntries(Object.entries(item).filter(([k]) => names.includes(k)));

// ---------------------------------------------------------------------------- tables

/**
 * What one index (a GSI, or the table's own key) shows: items by partition, in read order, built
 * lazily per partition and kept until a write reaches it. A GSI receives writes `lag` ms late.
 */
class IndexView {
  constructor(table, gsi, lag) {
    this.hashKey = (gsi ?? table).hashKey;
    this.rangeKey = (gsi ?? table).rangeKey;
    this.lag = gsi ? lag : 0;
    this.gsi = gsi;
    this.pending = []; // writes not yet visible: {at, keyId, item|null}, in order of `at`
    this.items = new Map(); // keyId -> item, as this index sees it
    this.members = new Map(); // partition (JSON of the hash key value) -> Set of keyIds
    this.sorted = new Map(); // partition -> [items] in read order (a cache)
    // read order: by range key, then (GSI) by table key
    this.order = (a, b) => (this.rangeKey ? compare(a[this.rangeKey], b[this.rangeKey]) : 0) || (gsi ? compare(a[table.hashKey], b[table.hashKey]) || (table.rangeKey ? compare(a[table.rangeKey], b[table.rangeKey]) : 0) : 0);
  }

  /** An item written (or deleted: null) at time `now`. */
  write(keyId, item, now) {
    const w = { at: now + this.lag, keyId, item };
    if (!this.lag) return this.apply(w);
    let i = this.pending.length;
    while (i > 0 && this.pending[i - 1].at > w.at) i--;
    this.pending.splice(i, 0, w);
  }

  apply({ keyId, item }) {
    const indexed = (x) => x && x[this.hashKey] !== undefined && (!this.rangeKey || x[this.rangeKey] !== undefined); // sparse
    const old = this.items.get(keyId);
    if (indexed(old)) {
      const part = JSON.stringify(old[this.hashKey]);
      this.members.get(part)?.delete(keyId);
      this.sorted.delete(part);
    }
    if (indexed(item)) {
      this.items.set(keyId, item);
      const part = JSON.stringify(item[this.hashKey]);
      if (!this.members.has(part)) this.members.set(part, new Set());
      this.members.get(part).add(keyId);
      this.sorted.delete(part);
    } else this.items.delete(keyId);
  }

  /** The partition's items at time `now`, in read order. */
  partition(hashValue, now) {
    while (this.pending.length && this.pending[0].at <= now) this.apply(this.pending.shift());
    const part = JSON.stringify(hashValue);
    let list = this.sorted.get(part);
    if (!list) {
      list = [...(this.members.get(part) ?? [])].map((k) => this.items.get(k)).sort(this.order);
      this.sorted.set(part, list);
    }
    return list;
  }
}

export class DynamoDB {
  /** `indexLagMs`: how late writes reach GSIs, by the clock `now()` (ms). */
  constructor(tables = {}, { indexLagMs = 0, now = () => 0 } = {}) {
    this.now = now;
    this.tables = new Map(
      Object.entries(tables).map(([name, def]) => {
        const t = { name, keyTypes: {}, gsis: {}, ...def, items: new Map() };
        t.views = { '': new IndexView(t, null, 0), ...Object.fromEntries(Object.entries(t.gsis).map(([n, g]) => [n, new IndexView(t, g, indexLagMs)])) };
        return [name, t];
      }),
    );
  }

  /** Stores (or, with null, deletes) an item and tells every index. */
  store(table, keyId, item) {
    if (item) table.items.set(keyId, item);
    else table.items.delete(keyId);
    const now = this.now();
    for (const v of Object.values(table.views)) v.write(keyId, item, now);
  }

  /** All items of a table (copies). */
  items(tableName) {
    return [...this.table(tableName).items.values()].map((i) => structuredClone(i));
  }

  table(name) {
    if (typeof name !== 'string' || !name) throw validation("1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null");
    const t = this.tables.get(name);
    if (!t) throw new DynamoError('ResourceNotFoundException', `Requested resource not found: Table: ${name} not found`);
    return t;
  }

  /** Checks the parameters of an operation; returns the table. */
  request(op, req) {
    for (const k of Object.keys(req)) if (!PARAMETERS[op].includes(k)) throw new NotEmulated(`DynamoDB ${op} parameter ${k}`);
    return this.table(req.TableName);
  }

  keyAttrs(table, gsi) {
    return [table.hashKey, table.rangeKey, gsi?.hashKey, gsi?.rangeKey].filter((a, i, all) => a && all.indexOf(a) === i);
  }

  keyId(table, key) {
    return JSON.stringify([key[table.hashKey], key[table.rangeKey]]);
  }

  checkKeyValue(table, attr, av, where, indexName) {
    checkValue(av, where);
    const t = typeOf(av);
    const expected = table.keyTypes[attr] ?? 'S';
    if (t !== expected) {
      throw validation(`One or more parameter values were invalid: Type mismatch for ${indexName ? 'Index Key' : 'key'} ${attr} Expected: ${expected} Actual: ${t}${indexName ? ` IndexName: ${indexName}` : ''}`);
    }
    if (t === 'S' && av.S === '') {
      throw validation(
        indexName
          ? `One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty string value. IndexName: ${indexName}, IndexKey: ${attr}`
          : `One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: ${attr}`,
      );
    }
  }

  checkKey(table, key) {
    const attrs = this.keyAttrs(table);
    if (!key || typeof key !== 'object' || Object.keys(key).length !== attrs.length || !attrs.every((a) => a in key)) {
      throw validation('The provided key element does not match the schema');
    }
    for (const a of attrs) this.checkKeyValue(table, a, key[a], `Key.${a}`);
  }

  putItem(req) {
    const table = this.request('putItem', req);
    const item = req.Item;
    if (!item || typeof item !== 'object' || Array.isArray(item)) throw validation('Item must be a map');
    for (const [k, v] of Object.entries(item)) checkValue(v, `Item.${k}`);
    for (const a of this.keyAttrs(table)) {
      if (!(a in item)) throw validation(`One or more parameter values were invalid: Missing the key ${a} in the item`);
      this.checkKeyValue(table, a, item[a], `Item.${a}`);
    }
    for (const [indexName, gsi] of Object.entries(table.gsis)) {
      for (const a of [gsi.hashKey, gsi.rangeKey]) if (a && a in item) this.checkKeyValue(table, a, item[a], `Item.${a}`, indexName);
    }
    if (itemSize(item) > 400 * 1024) throw validation('Item size has exceeded the maximum allowed size');
    this.store(table, this.keyId(table, item), structuredClone(item));
    return {};
  }

  getItem(req) {
    const table = this.request('getItem', req);
    this.checkKey(table, req.Key);
    const x = new Expressions(req);
    const proj = x.projection(req.ProjectionExpression);
    x.checkAllUsed();
    const item = table.items.get(this.keyId(table, req.Key));
    return item ? { Item: structuredClone(proj ? pick(item, proj) : item) } : {};
  }

  deleteItem(req) {
    const table = this.request('deleteItem', req);
    this.checkKey(table, req.Key);
    if (table.items.has(this.keyId(table, req.Key))) this.store(table, this.keyId(table, req.Key), null);
    return {};
  }

  query(req) {
    const table = this.request('query', req);
    let gsi = null;
    if (req.IndexName !== undefined) {
      gsi = table.gsis[req.IndexName];
      if (!gsi) throw validation(`The table does not have the specified index: ${req.IndexName}`);
      if (req.ConsistentRead) throw validation('Consistent reads are not supported on global secondary indexes');
    }
    if (req.KeyConditionExpression === undefined) throw validation('Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.');
    const x = new Expressions(req);
    const terms = x.keyCondition(req.KeyConditionExpression);
    const proj = x.projection(req.ProjectionExpression);
    x.checkAllUsed();
    const { hashKey, rangeKey } = gsi ?? table;
    const hash = terms.filter((c) => c.attr === hashKey);
    if (hash.length !== 1 || hash[0].op !== '=') throw validation(`Query condition missed key schema element: ${hashKey}`);
    if (terms.some((c) => c.attr !== hashKey && c.attr !== rangeKey)) throw validation('Query key condition not supported');
    this.checkKeyValue(table, hashKey, hash[0].v, `KeyConditionExpression ${hashKey}`, req.IndexName);
    if (req.Limit !== undefined && (!Number.isInteger(req.Limit) || req.Limit < 1)) {
      throw validation(`1 validation error detected: Value '${req.Limit}' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1`);
    }

    const view = table.views[req.IndexName ?? ''];
    const { order } = view;
    const partition = view.partition(hash[0].v, this.now());
    const others = terms.filter((c) => c !== hash[0]);
    let start = 0;
    const keyAttrs = this.keyAttrs(table, gsi);
    if (req.ExclusiveStartKey !== undefined) {
      const esk = req.ExclusiveStartKey;
      if (!esk || typeof esk !== 'object' || Object.keys(esk).length !== keyAttrs.length || !keyAttrs.every((a) => a in esk)) {
        throw validation('The provided starting key is invalid: The provided key element does not match the schema');
      }
      // the first entry after the key's position (binary search: the partition is in read order)
      let lo = 0;
      let hi = partition.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (order(partition[mid], esk) > 0) hi = mid;
        else lo = mid + 1;
      }
      start = lo;
    }
    const limit = req.Limit ?? Infinity;
    const page = [];
    let bytes = 0;
    for (let i = start; i < partition.length && page.length < limit && bytes < 1024 * 1024; i++) {
      if (!others.every((c) => matches(c, partition[i][c.attr]))) continue;
      page.push(partition[i]);
      bytes += itemSize(partition[i]);
    }
    const stoppedEarly = page.length === limit || bytes >= 1024 * 1024; // DynamoDB: a full page always carries LastEvaluatedKey
    const projected = page.map((item) => {
      const p = gsi?.projection ?? 'ALL';
      const visible = p === 'ALL' ? item : pick(item, [...keyAttrs, ...(Array.isArray(p) ? p : [])]);
      return structuredClone(proj ? pick(visible, proj) : visible);
    });
    const out = { Items: projected, Count: page.length, ScannedCount: page.length };
    if (stoppedEarly && page.length) out.LastEvaluatedKey = structuredClone(pick(page[page.length - 1], keyAttrs));
    return out;
  }
}
