// In-memory DynamoDB emulator for the engine tests (used by services.mjs).
//
// Items are kept in DynamoDB JSON ({"S": ..}, {"N": ".."}, {"SS": [..]}, {"L": ..}, {"M": ..},
// {"BOOL": ..}, {"NULL": true}, {"B": base64}, {"NS"/"BS": [..]}).
// Tables are declared by the caller: { name: { hashKey, rangeKey?, keyTypes?: {attr: 'S'|'N'|'B'},
//   gsis?: { indexName: { hashKey, rangeKey?, projection?: 'ALL'|'KEYS_ONLY'|[attrs...] } } } }.
//
// Emulated like DynamoDB:
//  * PutItem/GetItem/DeleteItem/UpdateItem/Query/Scan/BatchWriteItem/BatchGetItem request shapes and
//    response shapes (Item, Attributes, Items, Count, ScannedCount, LastEvaluatedKey).
//  * Expressions: ConditionExpression, FilterExpression, KeyConditionExpression, UpdateExpression
//    (SET with + / -, if_not_exists, list_append; REMOVE; ADD; DELETE), ProjectionExpression;
//    functions attribute_exists, attribute_not_exists, attribute_type, begins_with, contains, size;
//    comparators = <> < <= > >= BETWEEN IN, AND/OR/NOT, parentheses, nested paths a.b[0].
//    ExpressionAttributeNames/Values must all be used and all be defined; bare reserved words are
//    rejected (list in dynamodb-reserved-words.txt).
//  * Limit counts items *evaluated* (before FilterExpression). LastEvaluatedKey is returned whenever
//    the page stopped at Limit (or at the 1 MB read limit) - even if nothing follows, exactly like
//    DynamoDB (so 200 items with Limit 100 take 3 calls, the last one empty). ExclusiveStartKey
//    resumes after that key's position even if the item has since been deleted.
//  * Ordering: within a partition by sort key (N numerically, S/B by UTF-8/byte order), partitions in
//    first-insertion order (real DynamoDB orders partitions by hash: arbitrary but stable). GSI
//    entries with equal index keys are ordered by table key.
//  * GSIs are sparse (items without the index keys are not in the index); ConsistentRead on a GSI
//    is a ValidationException; projections ALL / KEYS_ONLY / INCLUDE.
//  * Validation: key schema (missing key, wrong key type, empty-string key or GSI-key value),
//    AttributeValue shape (one type key, N is a number string, no empty sets, no duplicate set
//    members), item size <= 400 KB, BatchWriteItem <= 25 requests and no duplicate keys.
// Deviations: GSIs are updated synchronously (real GSIs are eventually consistent); no capacity,
// TTL, streams, transactions, LSIs; Segment/TotalSegments scans are not supported; item sizes are
// approximated (UTF-8 length of names + values); numbers are compared as JS doubles.

import fs from 'node:fs';

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
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#')),
);

const clone = (v) => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));
const TYPES = ['S', 'N', 'B', 'SS', 'NS', 'BS', 'M', 'L', 'NULL', 'BOOL'];
const NUM_RE = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;
const utf8len = (s) => Buffer.byteLength(s, 'utf8');

// ---------------------------------------------------------------------------- attribute values

function typeOf(av) {
  return Object.keys(av)[0];
}

function validateAttributeValue(av, where) {
  if (av === null || typeof av !== 'object' || Array.isArray(av)) {
    throw validation(`Supplied AttributeValue is not an object (${where})`);
  }
  const keys = Object.keys(av);
  if (keys.length !== 1 || !TYPES.includes(keys[0])) {
    throw validation(
      keys.length === 0
        ? `Supplied AttributeValue is empty, must contain exactly one of the supported datatypes (${where})`
        : `Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes (${where}: ${keys.join(',')})`,
    );
  }
  const t = keys[0];
  const v = av[t];
  const bad = (what) => {
    throw new DynamoError('SerializationException', `${where}: ${t} must be ${what}, got ${JSON.stringify(v)?.slice(0, 60)}`);
  };
  switch (t) {
    case 'S':
    case 'B':
      if (typeof v !== 'string') bad('a string');
      break;
    case 'N':
      if (typeof v !== 'string') bad('a string holding a number');
      if (!NUM_RE.test(v)) throw validation(`The parameter cannot be converted to a numeric value: ${v}`);
      break;
    case 'BOOL':
      if (typeof v !== 'boolean') bad('a boolean');
      break;
    case 'NULL':
      if (v !== true) bad('true');
      break;
    case 'SS':
    case 'NS':
    case 'BS':
      if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) bad('an array of strings');
      if (v.length === 0) throw validation(`One or more parameter values were invalid: An string set  may not be empty (${where})`);
      if (new Set(t === 'NS' ? v.map(Number) : v).size !== v.length) {
        throw validation(`One or more parameter values were invalid: Input collection ${JSON.stringify(v)} contains duplicates.`);
      }
      if (t === 'NS' && v.some((x) => !NUM_RE.test(x))) throw validation('The parameter cannot be converted to a numeric value');
      break;
    case 'L':
      if (!Array.isArray(v)) bad('an array');
      v.forEach((x, i) => validateAttributeValue(x, `${where}[${i}]`));
      break;
    case 'M':
      if (v === null || typeof v !== 'object' || Array.isArray(v)) bad('an object');
      for (const [k, x] of Object.entries(v)) validateAttributeValue(x, `${where}.${k}`);
      break;
  }
}

function avSize(av) {
  const t = typeOf(av);
  const v = av[t];
  switch (t) {
    case 'S':
      return utf8len(v);
    case 'B':
      return Buffer.from(v, 'base64').length;
    case 'N':
      return Math.ceil(v.replace(/^[+-]|\.|e.*$/gi, '').length / 2) + 1;
    case 'BOOL':
    case 'NULL':
      return 1;
    case 'SS':
      return v.reduce((a, x) => a + utf8len(x), 0);
    case 'NS':
      return v.reduce((a, x) => a + Math.ceil(x.length / 2) + 1, 0);
    case 'BS':
      return v.reduce((a, x) => a + Buffer.from(x, 'base64').length, 0);
    case 'L':
      return 3 + v.reduce((a, x) => a + 1 + avSize(x), 0);
    case 'M':
      return 3 + Object.entries(v).reduce((a, [k, x]) => a + 1 + utf8len(k) + avSize(x), 0);
    default:
      return 0;
  }
}

export function itemSize(item) {
  return Object.entries(item).reduce((a, [k, v]) => a + utf8len(k) + avSize(v), 0);
}

function compareBytes(a, b) {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

// Ordering of scalar AttributeValues of the same type (S, N, B). Returns null if not comparable.
function compareScalar(a, b) {
  if (!a || !b) return null;
  const ta = typeOf(a);
  if (ta !== typeOf(b)) return null;
  if (ta === 'N') return Math.sign(Number(a.N) - Number(b.N));
  if (ta === 'S') return Math.sign(compareBytes(Buffer.from(a.S, 'utf8'), Buffer.from(b.S, 'utf8')));
  if (ta === 'B') return Math.sign(compareBytes(Buffer.from(a.B, 'base64'), Buffer.from(b.B, 'base64')));
  return null;
}

function avEquals(a, b) {
  if (!a || !b) return false;
  const t = typeOf(a);
  if (t !== typeOf(b)) return false;
  switch (t) {
    case 'N':
      return Number(a.N) === Number(b.N);
    case 'SS':
    case 'BS':
      return a[t].length === b[t].length && a[t].every((x) => b[t].includes(x));
    case 'NS':
      return a.NS.length === b.NS.length && a.NS.every((x) => b.NS.some((y) => Number(y) === Number(x)));
    case 'L':
      return a.L.length === b.L.length && a.L.every((x, i) => avEquals(x, b.L[i]));
    case 'M': {
      const ka = Object.keys(a.M);
      return ka.length === Object.keys(b.M).length && ka.every((k) => avEquals(a.M[k], b.M[k]));
    }
    default:
      return a[t] === b[t];
  }
}

// ---------------------------------------------------------------------------- expressions

const TOKEN_RE = /\s*(?:(#[A-Za-z0-9_]+)|(:[A-Za-z0-9_]+)|([A-Za-z_][A-Za-z0-9_]*)|(\d+)|(<>|<=|>=|[=<>(),.\[\]+-]))/y;

function tokenize(expr, what) {
  const tokens = [];
  TOKEN_RE.lastIndex = 0;
  let pos = 0;
  while (pos < expr.length) {
    if (/^\s*$/.test(expr.slice(pos))) break;
    TOKEN_RE.lastIndex = pos;
    const m = TOKEN_RE.exec(expr);
    if (!m) throw validation(`Invalid ${what}: Syntax error; token: "${expr.slice(pos).trim().slice(0, 10)}", near: "${expr.slice(Math.max(0, pos - 5), pos + 5)}"`);
    pos = TOKEN_RE.lastIndex;
    if (m[1]) tokens.push({ t: 'name', v: m[1] });
    else if (m[2]) tokens.push({ t: 'value', v: m[2] });
    else if (m[3]) tokens.push({ t: 'ident', v: m[3] });
    else if (m[4]) tokens.push({ t: 'num', v: m[4] });
    else tokens.push({ t: 'op', v: m[5] });
  }
  return tokens;
}

class ExprParser {
  constructor(expr, what, ctx) {
    this.expr = expr;
    this.what = what;
    this.tokens = tokenize(expr, what);
    this.i = 0;
    this.ctx = ctx; // {names, values, usedNames:Set, usedValues:Set}
  }
  peek(k = 0) {
    return this.tokens[this.i + k];
  }
  isOp(v, k = 0) {
    const t = this.peek(k);
    return t && t.t === 'op' && t.v === v;
  }
  isKw(v, k = 0) {
    const t = this.peek(k);
    return t && t.t === 'ident' && t.v.toUpperCase() === v;
  }
  next() {
    return this.tokens[this.i++];
  }
  fail(msg) {
    const t = this.peek();
    throw validation(`Invalid ${this.what}: ${msg}${t ? `; token: "${t.v}"` : ' at end of expression'}`);
  }
  expectOp(v) {
    if (!this.isOp(v)) this.fail(`Syntax error, expected "${v}"`);
    this.next();
  }
  done() {
    if (this.i < this.tokens.length) this.fail('Syntax error');
  }

  // path := element ('.' element | '[' n ']')*
  path() {
    const parts = [this.pathElement()];
    for (;;) {
      if (this.isOp('.')) {
        this.next();
        parts.push(this.pathElement());
      } else if (this.isOp('[')) {
        this.next();
        const n = this.next();
        if (!n || n.t !== 'num') this.fail('Syntax error in list index');
        this.expectOp(']');
        parts.push(Number(n.v));
      } else break;
    }
    return { kind: 'path', parts };
  }
  pathElement() {
    const t = this.next();
    if (!t) this.fail('Syntax error; expected attribute name');
    if (t.t === 'name') {
      this.ctx.usedNames.add(t.v);
      if (!this.ctx.names || !(t.v in this.ctx.names)) {
        throw validation(`Invalid ${this.what}: An expression attribute name used in the document path is not defined; attribute name: ${t.v}`);
      }
      return this.ctx.names[t.v];
    }
    if (t.t === 'ident') {
      if (RESERVED.has(t.v.toUpperCase())) {
        throw validation(`Invalid ${this.what}: Attribute name is a reserved keyword; reserved keyword: ${t.v}`);
      }
      return t.v;
    }
    this.i--;
    return this.fail('Syntax error; expected attribute name');
  }
  valueRef() {
    const t = this.next();
    this.ctx.usedValues.add(t.v);
    if (!this.ctx.values || !(t.v in this.ctx.values)) {
      throw validation(`Invalid ${this.what}: An expression attribute value used in expression is not defined; attribute value: ${t.v}`);
    }
    return { kind: 'value', av: this.ctx.values[t.v] };
  }
  // operand := path | :value | size(path)
  operand() {
    const t = this.peek();
    if (!t) this.fail('Syntax error; expected operand');
    if (t.t === 'value') return this.valueRef();
    if (t.t === 'ident' && t.v === 'size' && this.isOp('(', 1)) {
      this.next();
      this.next();
      const p = this.path();
      this.expectOp(')');
      return { kind: 'size', path: p };
    }
    return this.path();
  }

  // ---- conditions
  condition() {
    let left = this.andCond();
    while (this.isKw('OR')) {
      this.next();
      left = { kind: 'or', a: left, b: this.andCond() };
    }
    return left;
  }
  andCond() {
    let left = this.notCond();
    while (this.isKw('AND')) {
      this.next();
      left = { kind: 'and', a: left, b: this.notCond() };
    }
    return left;
  }
  notCond() {
    if (this.isKw('NOT')) {
      this.next();
      return { kind: 'not', a: this.notCond() };
    }
    return this.primaryCond();
  }
  primaryCond() {
    if (this.isOp('(')) {
      this.next();
      const c = this.condition();
      this.expectOp(')');
      return c;
    }
    const t = this.peek();
    const fns = ['attribute_exists', 'attribute_not_exists', 'attribute_type', 'begins_with', 'contains'];
    if (t && t.t === 'ident' && fns.includes(t.v) && this.isOp('(', 1)) {
      this.next();
      this.next();
      const args = [this.operand()];
      while (this.isOp(',')) {
        this.next();
        args.push(this.operand());
      }
      this.expectOp(')');
      const arity = { attribute_exists: 1, attribute_not_exists: 1, attribute_type: 2, begins_with: 2, contains: 2 }[t.v];
      if (args.length !== arity) throw validation(`Invalid ${this.what}: Incorrect number of operands for operator or function; operator or function: ${t.v}, number of operands: ${args.length}`);
      if (args[0].kind !== 'path') throw validation(`Invalid ${this.what}: Operator or function requires a document path; operator or function: ${t.v}`);
      return { kind: 'fn', fn: t.v, args };
    }
    const left = this.operand();
    const op = this.peek();
    if (op && op.t === 'op' && ['=', '<>', '<', '<=', '>', '>='].includes(op.v)) {
      this.next();
      return { kind: 'cmp', op: op.v, a: left, b: this.operand() };
    }
    if (this.isKw('BETWEEN')) {
      this.next();
      const lo = this.operand();
      if (!this.isKw('AND')) this.fail('Syntax error; BETWEEN requires AND');
      this.next();
      return { kind: 'between', a: left, lo, hi: this.operand() };
    }
    if (this.isKw('IN')) {
      this.next();
      this.expectOp('(');
      const list = [this.operand()];
      while (this.isOp(',')) {
        this.next();
        list.push(this.operand());
      }
      this.expectOp(')');
      return { kind: 'in', a: left, list };
    }
    return this.fail('Syntax error; expected a comparison or function');
  }

  // ---- update expressions
  update() {
    const clauses = {};
    while (this.i < this.tokens.length) {
      const kw = this.next();
      const K = kw && kw.t === 'ident' ? kw.v.toUpperCase() : null;
      if (!['SET', 'REMOVE', 'ADD', 'DELETE'].includes(K)) {
        this.i--;
        this.fail('Syntax error; expected SET, REMOVE, ADD or DELETE');
      }
      if (clauses[K]) throw validation(`Invalid UpdateExpression: The "${K}" section can only be used once in an update expression;`);
      const actions = [];
      do {
        if (actions.length) this.next(); // the comma
        const p = this.path();
        if (K === 'SET') {
          this.expectOp('=');
          actions.push({ path: p, value: this.setValue() });
        } else if (K === 'REMOVE') {
          actions.push({ path: p });
        } else {
          if (this.peek()?.t !== 'value') this.fail(`Syntax error; ${K} requires a value`);
          actions.push({ path: p, value: this.valueRef() });
        }
      } while (this.isOp(','));
      clauses[K] = actions;
    }
    return clauses;
  }
  setValue() {
    const a = this.setOperand();
    if (this.isOp('+') || this.isOp('-')) {
      const op = this.next().v;
      return { kind: 'arith', op, a, b: this.setOperand() };
    }
    return a;
  }
  setOperand() {
    const t = this.peek();
    if (t && t.t === 'ident' && (t.v === 'if_not_exists' || t.v === 'list_append') && this.isOp('(', 1)) {
      this.next();
      this.next();
      const a = t.v === 'if_not_exists' ? this.path() : this.setOperand();
      this.expectOp(',');
      const b = this.setOperand();
      this.expectOp(')');
      return { kind: t.v, a, b };
    }
    if (t && t.t === 'value') return this.valueRef();
    return this.path();
  }

  projection() {
    const paths = [this.path()];
    while (this.isOp(',')) {
      this.next();
      paths.push(this.path());
    }
    return paths;
  }
}

function resolvePath(item, path) {
  let cur = { M: item };
  for (const part of path.parts) {
    if (typeof part === 'number') {
      if (!cur || !cur.L || part >= cur.L.length) return undefined;
      cur = cur.L[part];
    } else {
      if (!cur || !cur.M || !(part in cur.M)) return undefined;
      cur = cur.M[part];
    }
  }
  return cur;
}

function evalOperand(op, item) {
  if (op.kind === 'value') return op.av;
  if (op.kind === 'path') return resolvePath(item, op);
  if (op.kind === 'size') {
    const v = resolvePath(item, op.path);
    if (!v) return undefined;
    const t = typeOf(v);
    const n = { S: () => utf8len(v.S), B: () => Buffer.from(v.B, 'base64').length, SS: () => v.SS.length, NS: () => v.NS.length, BS: () => v.BS.length, L: () => v.L.length, M: () => Object.keys(v.M).length }[t];
    return n ? { N: String(n()) } : undefined;
  }
  throw new Error(`bad operand ${op.kind}`);
}

function evalCond(c, item) {
  switch (c.kind) {
    case 'or':
      return evalCond(c.a, item) || evalCond(c.b, item);
    case 'and':
      return evalCond(c.a, item) && evalCond(c.b, item);
    case 'not':
      return !evalCond(c.a, item);
    case 'cmp': {
      const a = evalOperand(c.a, item);
      const b = evalOperand(c.b, item);
      if (c.op === '=') return avEquals(a, b);
      if (c.op === '<>') return !avEquals(a, b);
      const r = compareScalar(a, b);
      if (r === null) return false;
      return { '<': r < 0, '<=': r <= 0, '>': r > 0, '>=': r >= 0 }[c.op];
    }
    case 'between': {
      const a = evalOperand(c.a, item);
      const lo = compareScalar(a, evalOperand(c.lo, item));
      const hi = compareScalar(a, evalOperand(c.hi, item));
      return lo !== null && hi !== null && lo >= 0 && hi <= 0;
    }
    case 'in': {
      const a = evalOperand(c.a, item);
      return c.list.some((x) => avEquals(a, evalOperand(x, item)));
    }
    case 'fn': {
      const a = evalOperand(c.args[0], item);
      switch (c.fn) {
        case 'attribute_exists':
          return a !== undefined;
        case 'attribute_not_exists':
          return a === undefined;
        case 'attribute_type':
          return a !== undefined && typeOf(a) === evalOperand(c.args[1], item)?.S;
        case 'begins_with': {
          const b = evalOperand(c.args[1], item);
          if (!a || !b) return false;
          if (a.S !== undefined && b.S !== undefined) return a.S.startsWith(b.S);
          if (a.B !== undefined && b.B !== undefined) return Buffer.from(a.B, 'base64').subarray(0, Buffer.from(b.B, 'base64').length).equals(Buffer.from(b.B, 'base64'));
          return false;
        }
        case 'contains': {
          const b = evalOperand(c.args[1], item);
          if (!a || !b) return false;
          if (a.S !== undefined) return b.S !== undefined && a.S.includes(b.S);
          if (a.SS) return b.S !== undefined && a.SS.includes(b.S);
          if (a.NS) return b.N !== undefined && a.NS.some((x) => Number(x) === Number(b.N));
          if (a.BS) return b.B !== undefined && a.BS.includes(b.B);
          if (a.L) return a.L.some((x) => avEquals(x, b));
          return false;
        }
      }
    }
  }
  throw new Error(`bad condition ${c.kind}`);
}

function pathsIn(node, out = []) {
  if (!node || typeof node !== 'object') return out;
  if (node.kind === 'path') out.push(node);
  for (const v of Object.values(node)) {
    if (Array.isArray(v)) v.forEach((x) => pathsIn(x, out));
    else if (v && typeof v === 'object' && v.kind) pathsIn(v, out);
  }
  return out;
}

// ---------------------------------------------------------------------------- tables

class Table {
  constructor(name, def) {
    this.name = name;
    this.hashKey = def.hashKey;
    this.rangeKey = def.rangeKey;
    this.keyTypes = def.keyTypes ?? {};
    this.gsis = def.gsis ?? {};
    this.partitions = new Map(); // hashKeyJSON -> Map(rangeKeyJSON -> item)
    this.partitionOrdinal = new Map(); // hashKeyJSON -> ordinal (never removed)
    this.gsiOrdinal = Object.fromEntries(Object.keys(this.gsis).map((n) => [n, new Map()]));
  }
  keyAttrs() {
    return this.rangeKey ? [this.hashKey, this.rangeKey] : [this.hashKey];
  }
  allItems() {
    const out = [];
    for (const p of this.partitions.values()) out.push(...p.values());
    return out;
  }
}

const keyJson = (av) => JSON.stringify(av);

export class DynamoDB {
  constructor(tables = {}) {
    this.tables = new Map();
    for (const [name, def] of Object.entries(tables)) this.createTable(name, def);
  }

  createTable(name, def) {
    this.tables.set(name, new Table(name, def));
  }

  table(name) {
    if (typeof name !== 'string' || !name) throw validation('1 validation error detected: Value null at \'tableName\' failed to satisfy constraint: Member must not be null');
    const t = this.tables.get(name);
    if (!t) throw new DynamoError('ResourceNotFoundException', `Requested resource not found: Table: ${name} not found`);
    return t;
  }

  /** All items of a table (deep copies), in scan order. */
  items(tableName) {
    return this.sortedEntries(this.table(tableName), null).map((e) => clone(e.item));
  }

  // ---- helpers
  exprContext(req) {
    const names = req.ExpressionAttributeNames;
    const values = req.ExpressionAttributeValues;
    if (names !== undefined && (typeof names !== 'object' || Object.keys(names).length === 0)) {
      throw validation('ExpressionAttributeNames must not be empty');
    }
    if (values !== undefined && (typeof values !== 'object' || Object.keys(values).length === 0)) {
      throw validation('ExpressionAttributeValues must not be empty');
    }
    for (const [k, v] of Object.entries(values ?? {})) validateAttributeValue(v, `ExpressionAttributeValues.${k}`);
    return { names, values, usedNames: new Set(), usedValues: new Set() };
  }
  checkAllUsed(ctx) {
    const unusedN = Object.keys(ctx.names ?? {}).filter((k) => !ctx.usedNames.has(k));
    if (unusedN.length) throw validation(`Value provided in ExpressionAttributeNames unused in expressions: keys: {${unusedN.join(', ')}}`);
    const unusedV = Object.keys(ctx.values ?? {}).filter((k) => !ctx.usedValues.has(k));
    if (unusedV.length) throw validation(`Value provided in ExpressionAttributeValues unused in expressions: keys: {${unusedV.join(', ')}}`);
  }
  parseCond(expr, what, ctx) {
    if (expr === undefined) return null;
    if (typeof expr !== 'string' || !expr.trim()) throw validation(`Invalid ${what}: The expression can not be empty;`);
    const p = new ExprParser(expr, what, ctx);
    const c = p.condition();
    p.done();
    return c;
  }
  parseProjection(expr, ctx) {
    if (expr === undefined) return null;
    const p = new ExprParser(expr, 'ProjectionExpression', ctx);
    const r = p.projection();
    p.done();
    return r;
  }

  validateKeyValue(table, attr, av, where, indexName) {
    validateAttributeValue(av, where);
    const t = typeOf(av);
    if (!['S', 'N', 'B'].includes(t)) {
      throw validation(`One or more parameter values were invalid: Type mismatch for ${indexName ? 'Index Key' : 'key'} ${attr} Expected: ${table.keyTypes[attr] ?? 'S'} Actual: ${t}${indexName ? ` IndexName: ${indexName}` : ''}`);
    }
    const expected = table.keyTypes[attr];
    if (expected && expected !== t) {
      throw validation(`One or more parameter values were invalid: Type mismatch for ${indexName ? 'Index Key' : 'key'} ${attr} Expected: ${expected} Actual: ${t}${indexName ? ` IndexName: ${indexName}` : ''}`);
    }
    if ((t === 'S' || t === 'B') && av[t] === '') {
      throw validation(
        indexName
          ? `One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty string value. IndexName: ${indexName}, IndexKey: ${attr}`
          : `One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: ${attr}`,
      );
    }
  }

  validateKey(table, key) {
    if (!key || typeof key !== 'object') throw validation('The provided key element does not match the schema');
    const attrs = table.keyAttrs();
    const given = Object.keys(key);
    if (given.length !== attrs.length || !attrs.every((a) => a in key)) {
      throw validation('The provided key element does not match the schema');
    }
    for (const a of attrs) this.validateKeyValue(table, a, key[a], `Key.${a}`);
  }

  validateItem(table, item) {
    if (!item || typeof item !== 'object' || Array.isArray(item)) throw validation('Item must be a map');
    for (const [k, v] of Object.entries(item)) validateAttributeValue(v, `Item.${k}`);
    for (const a of table.keyAttrs()) {
      if (!(a in item)) throw validation(`One or more parameter values were invalid: Missing the key ${a} in the item`);
      this.validateKeyValue(table, a, item[a], `Item.${a}`);
    }
    for (const [indexName, gsi] of Object.entries(table.gsis)) {
      for (const a of [gsi.hashKey, gsi.rangeKey].filter(Boolean)) {
        if (a in item) this.validateKeyValue(table, a, item[a], `Item.${a}`, indexName);
      }
    }
    if (itemSize(item) > 400 * 1024) throw validation('Item size has exceeded the maximum allowed size');
  }

  getStored(table, key) {
    const p = table.partitions.get(keyJson(key[table.hashKey]));
    return p?.get(table.rangeKey ? keyJson(key[table.rangeKey]) : '');
  }
  store(table, item) {
    const hk = keyJson(item[table.hashKey]);
    if (!table.partitions.has(hk)) table.partitions.set(hk, new Map());
    if (!table.partitionOrdinal.has(hk)) table.partitionOrdinal.set(hk, table.partitionOrdinal.size);
    table.partitions.get(hk).set(table.rangeKey ? keyJson(item[table.rangeKey]) : '', clone(item));
    for (const [indexName, gsi] of Object.entries(table.gsis)) {
      if (!(gsi.hashKey in item)) continue;
      const ords = table.gsiOrdinal[indexName];
      const ghk = keyJson(item[gsi.hashKey]);
      if (!ords.has(ghk)) ords.set(ghk, ords.size);
    }
  }
  remove(table, key) {
    const hk = keyJson(key[table.hashKey]);
    const p = table.partitions.get(hk);
    if (!p) return;
    p.delete(table.rangeKey ? keyJson(key[table.rangeKey]) : '');
    if (p.size === 0) table.partitions.delete(hk);
  }
  keyOf(table, item, gsi) {
    const out = {};
    for (const a of table.keyAttrs()) out[a] = clone(item[a]);
    if (gsi) for (const a of [gsi.hashKey, gsi.rangeKey].filter(Boolean)) out[a] = clone(item[a]);
    return out;
  }
  checkCondition(req, item, ctx) {
    const cond = this.parseCond(req.ConditionExpression, 'ConditionExpression', ctx);
    this.checkAllUsed(ctx);
    if (cond && !evalCond(cond, item ?? {})) {
      throw new DynamoError('ConditionalCheckFailedException', 'The conditional request failed');
    }
  }
  returnOld(req, old) {
    const rv = req.ReturnValues ?? 'NONE';
    if (!['NONE', 'ALL_OLD'].includes(rv)) throw validation(`ReturnValues can only be ALL_OLD or NONE`);
    return rv === 'ALL_OLD' && old ? { Attributes: clone(old) } : {};
  }

  // ---- operations
  putItem(req) {
    const table = this.table(req.TableName);
    this.validateItem(table, req.Item);
    const ctx = this.exprContext(req);
    const old = this.getStored(table, req.Item);
    this.checkCondition(req, old, ctx);
    this.store(table, req.Item);
    return this.returnOld(req, old);
  }

  getItem(req) {
    const table = this.table(req.TableName);
    this.validateKey(table, req.Key);
    const ctx = this.exprContext(req);
    const proj = this.parseProjection(req.ProjectionExpression, ctx);
    this.checkAllUsed(ctx);
    const item = this.getStored(table, req.Key);
    return item ? { Item: project(item, proj) } : {};
  }

  deleteItem(req) {
    const table = this.table(req.TableName);
    this.validateKey(table, req.Key);
    const ctx = this.exprContext(req);
    const old = this.getStored(table, req.Key);
    this.checkCondition(req, old, ctx);
    if (old) this.remove(table, req.Key);
    return this.returnOld(req, old);
  }

  updateItem(req) {
    const table = this.table(req.TableName);
    this.validateKey(table, req.Key);
    const ctx = this.exprContext(req);
    if (req.AttributeUpdates) throw validation('AttributeUpdates (legacy) is not supported by this emulator');
    let clauses = {};
    if (req.UpdateExpression !== undefined) {
      const p = new ExprParser(req.UpdateExpression, 'UpdateExpression', ctx);
      clauses = p.update();
      p.done();
    }
    const old = this.getStored(table, req.Key);
    this.checkCondition(req, old, ctx); // also checks that all names/values were used
    const item = clone(old) ?? clone(req.Key);
    const touched = [];
    const keyAttrs = table.keyAttrs();
    const guardKey = (p) => {
      if (typeof p.parts[0] === 'string' && keyAttrs.includes(p.parts[0])) {
        throw validation(`One or more parameter values were invalid: Cannot update attribute ${p.parts[0]}. This attribute is part of the key`);
      }
      const s = JSON.stringify(p.parts);
      for (const t of touched) {
        const a = JSON.stringify(t.parts);
        if (a === s || s.startsWith(a.slice(0, -1) + ',') || a.startsWith(s.slice(0, -1) + ',')) {
          throw validation(`Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [${t.parts.join(', ')}], path two: [${p.parts.join(', ')}]`);
        }
      }
      touched.push(p);
    };
    const evalSet = (v) => {
      switch (v.kind) {
        case 'value':
          return clone(v.av);
        case 'path': {
          const r = resolvePath(old ?? {}, v);
          if (r === undefined) throw validation(`The provided expression refers to an attribute that does not exist in the item`);
          return clone(r);
        }
        case 'if_not_exists': {
          const r = resolvePath(old ?? {}, v.a);
          return r === undefined ? evalSet(v.b) : clone(r);
        }
        case 'list_append': {
          const a = evalSet(v.a);
          const b = evalSet(v.b);
          if (!a.L || !b.L) throw validation('An operand in the update expression has an incorrect data type');
          return { L: [...a.L, ...b.L] };
        }
        case 'arith': {
          const a = evalSet(v.a);
          const b = evalSet(v.b);
          if (a.N === undefined || b.N === undefined) throw validation('An operand in the update expression has an incorrect data type');
          return { N: String(v.op === '+' ? Number(a.N) + Number(b.N) : Number(a.N) - Number(b.N)) };
        }
      }
      throw new Error('bad set value');
    };
    const setAt = (path, value) => {
      let cur = { M: item };
      const parts = path.parts;
      for (let i = 0; i < parts.length - 1; i++) {
        const part = parts[i];
        const next = typeof part === 'number' ? cur.L?.[part] : cur.M?.[part];
        if (!next) throw validation('The document path provided in the update expression is invalid for update');
        cur = next;
      }
      const last = parts[parts.length - 1];
      if (typeof last === 'number') {
        if (!cur.L) throw validation('The document path provided in the update expression is invalid for update');
        if (last >= cur.L.length) cur.L.push(value);
        else cur.L[last] = value;
      } else {
        if (!cur.M) throw validation('The document path provided in the update expression is invalid for update');
        if (value === undefined) delete cur.M[last];
        else cur.M[last] = value;
      }
    };
    const updated = new Set();
    for (const a of clauses.SET ?? []) {
      guardKey(a.path);
      setAt(a.path, evalSet(a.value));
      updated.add(a.path.parts[0]);
    }
    for (const a of clauses.REMOVE ?? []) {
      guardKey(a.path);
      const parts = a.path.parts;
      if (typeof parts[parts.length - 1] === 'number') {
        const parent = resolvePath(item, { parts: parts.slice(0, -1) });
        if (parent?.L) parent.L.splice(parts[parts.length - 1], 1);
      } else if (resolvePath(item, { parts: parts.slice(0, -1) }) !== undefined || parts.length === 1) {
        setAt(a.path, undefined);
      }
      updated.add(parts[0]);
    }
    for (const a of clauses.ADD ?? []) {
      guardKey(a.path);
      const cur = resolvePath(item, a.path);
      const v = a.value.av;
      const t = typeOf(v);
      if (t === 'N') {
        if (cur && cur.N === undefined) throw validation('An operand in the update expression has an incorrect data type');
        setAt(a.path, { N: String(Number(cur?.N ?? 0) + Number(v.N)) });
      } else if (['SS', 'NS', 'BS'].includes(t)) {
        if (cur && !cur[t]) throw validation('An operand in the update expression has an incorrect data type');
        setAt(a.path, { [t]: [...new Set([...(cur?.[t] ?? []), ...v[t]])] });
      } else throw validation('Incorrect operand type for operator or function; operator: ADD, operand type: ' + t);
      updated.add(a.path.parts[0]);
    }
    for (const a of clauses.DELETE ?? []) {
      guardKey(a.path);
      const cur = resolvePath(item, a.path);
      const v = a.value.av;
      const t = typeOf(v);
      if (!['SS', 'NS', 'BS'].includes(t)) throw validation('Incorrect operand type for operator or function; operator: DELETE, operand type: ' + t);
      if (cur) {
        if (!cur[t]) throw validation('An operand in the update expression has an incorrect data type');
        const rest = cur[t].filter((x) => !v[t].includes(x));
        setAt(a.path, rest.length ? { [t]: rest } : undefined);
      }
      updated.add(a.path.parts[0]);
    }
    this.validateItem(table, item);
    this.store(table, item);
    const rv = req.ReturnValues ?? 'NONE';
    const pick = (src) => Object.fromEntries([...updated].filter((k) => src && k in src).map((k) => [k, clone(src[k])]));
    switch (rv) {
      case 'NONE':
        return {};
      case 'ALL_OLD':
        return old ? { Attributes: clone(old) } : {};
      case 'ALL_NEW':
        return { Attributes: clone(item) };
      case 'UPDATED_OLD':
        return old && Object.keys(pick(old)).length ? { Attributes: pick(old) } : {};
      case 'UPDATED_NEW':
        return Object.keys(pick(item)).length ? { Attributes: pick(item) } : {};
      default:
        throw validation(`Invalid ReturnValues: ${rv}`);
    }
  }

  // Entries of a table or index in read order: [{item, part, rangeAV}] where part is the
  // (persistent) first-insertion ordinal of the partition.
  sortedEntries(table, gsi, indexName) {
    const entries = [];
    for (const item of table.allItems()) {
      if (gsi && (!(gsi.hashKey in item) || (gsi.rangeKey && !(gsi.rangeKey in item)))) continue;
      entries.push(this.orderTuple(table, gsi, indexName, item));
    }
    entries.sort((a, b) => this.compareOrder(table, a, b));
    return entries;
  }

  orderTuple(table, gsi, indexName, item) {
    const hashAttr = gsi ? gsi.hashKey : table.hashKey;
    const rangeAttr = gsi ? gsi.rangeKey : table.rangeKey;
    const ords = gsi ? table.gsiOrdinal[indexName] : table.partitionOrdinal;
    const part = ords.get(keyJson(item[hashAttr])) ?? Number.MAX_SAFE_INTEGER;
    return { item, part, hashAV: item[hashAttr], rangeAV: rangeAttr ? item[rangeAttr] : null, gsi: Boolean(gsi) };
  }

  compareOrder(table, a, b) {
    if (a.part !== b.part) return a.part - b.part;
    const r = a.rangeAV && b.rangeAV ? compareScalar(a.rangeAV, b.rangeAV) : 0;
    if (r) return r;
    if (!a.gsi) return 0;
    return compareScalar(a.item[table.hashKey], b.item[table.hashKey]) || (table.rangeKey ? compareScalar(a.item[table.rangeKey], b.item[table.rangeKey]) : 0) || 0;
  }

  readPage(req, table, gsi, entries, filter, proj, ascending = true) {
    if (req.Limit !== undefined && (!Number.isInteger(req.Limit) || req.Limit < 1)) {
      throw validation(`1 validation error detected: Value '${req.Limit}' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1`);
    }
    if (!ascending) entries = [...entries].reverse();
    let start = 0;
    if (req.ExclusiveStartKey !== undefined) {
      const esk = req.ExclusiveStartKey;
      const needed = [...table.keyAttrs(), ...(gsi ? [gsi.hashKey, gsi.rangeKey].filter(Boolean) : [])];
      if (!esk || typeof esk !== 'object' || !needed.every((a) => a in esk) || Object.keys(esk).length !== new Set(needed).size) {
        throw validation('The provided starting key is invalid: The provided key element does not match the schema');
      }
      const probe = this.orderTuple(table, gsi, req.IndexName, esk);
      const after = entries.findIndex((e) => (ascending ? this.compareOrder(table, e, probe) > 0 : this.compareOrder(table, e, probe) < 0));
      start = after === -1 ? entries.length : after;
    }
    const limit = req.Limit ?? Infinity;
    const page = [];
    let bytes = 0;
    let i = start;
    let stoppedEarly = false;
    for (; i < entries.length; i++) {
      if (page.length >= limit) {
        stoppedEarly = true;
        break;
      }
      if (bytes >= 1024 * 1024) {
        stoppedEarly = true;
        break;
      }
      page.push(entries[i]);
      bytes += itemSize(entries[i].item);
    }
    if (page.length === limit) stoppedEarly = true; // DynamoDB: a full page always carries LastEvaluatedKey
    const items = page.map((e) => e.item).filter((item) => !filter || evalCond(filter, item));
    const projected = items.map((it) => {
      let v = it;
      if (gsi) v = projectIndex(table, gsi, v);
      return project(v, proj);
    });
    const out = req.Select === 'COUNT' ? {} : { Items: clone(projected) };
    out.Count = items.length;
    out.ScannedCount = page.length;
    if (stoppedEarly && page.length) out.LastEvaluatedKey = this.keyOf(table, page[page.length - 1].item, gsi);
    return out;
  }

  commonReadChecks(req, table) {
    let gsi = null;
    if (req.IndexName !== undefined) {
      gsi = table.gsis[req.IndexName];
      if (!gsi) throw validation(`The table does not have the specified index: ${req.IndexName}`);
      if (req.ConsistentRead) throw validation('Consistent reads are not supported on global secondary indexes');
    }
    if (req.Select !== undefined && !['ALL_ATTRIBUTES', 'ALL_PROJECTED_ATTRIBUTES', 'SPECIFIC_ATTRIBUTES', 'COUNT'].includes(req.Select)) {
      throw validation(`Invalid Select: ${req.Select}`);
    }
    if (req.Select === 'COUNT' && req.ProjectionExpression) throw validation('Cannot specify the ProjectionExpression when choosing to get only the Count');
    if (req.Segment !== undefined || req.TotalSegments !== undefined) throw validation('Parallel scan (Segment/TotalSegments) is not supported by this emulator');
    return gsi;
  }

  query(req) {
    const table = this.table(req.TableName);
    const gsi = this.commonReadChecks(req, table);
    if (req.KeyConditions || req.QueryFilter) throw validation('Legacy KeyConditions/QueryFilter are not supported by this emulator');
    if (req.KeyConditionExpression === undefined) throw validation('Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.');
    const ctx = this.exprContext(req);
    const kc = this.parseCond(req.KeyConditionExpression, 'KeyConditionExpression', ctx);
    const filter = this.parseCond(req.FilterExpression, 'FilterExpression', ctx);
    const proj = this.parseProjection(req.ProjectionExpression, ctx);
    this.checkAllUsed(ctx);
    const hashKey = gsi ? gsi.hashKey : table.hashKey;
    const rangeKey = gsi ? gsi.rangeKey : table.rangeKey;
    // validate key condition: hash = :v [AND range-condition]
    const conj = [];
    const flat = (c) => (c.kind === 'and' ? (flat(c.a), flat(c.b)) : conj.push(c));
    flat(kc);
    const attrOf = (c) => {
      const p = c.kind === 'fn' ? c.args[0] : c.a;
      return p.kind === 'path' && p.parts.length === 1 ? p.parts[0] : null;
    };
    const hashConds = conj.filter((c) => attrOf(c) === hashKey);
    const rangeConds = conj.filter((c) => rangeKey && attrOf(c) === rangeKey);
    const okShape = (c) => (c.kind === 'cmp' && c.op !== '<>' && c.b.kind === 'value') || c.kind === 'between' || (c.kind === 'fn' && c.fn === 'begins_with');
    if (hashConds.length !== 1 || hashConds[0].kind !== 'cmp' || hashConds[0].op !== '=' || hashConds[0].b.kind !== 'value') {
      throw validation(`Query condition missed key schema element: ${hashKey}`);
    }
    if (conj.length !== hashConds.length + rangeConds.length || rangeConds.length > 1 || !rangeConds.every(okShape)) {
      throw validation('Query key condition not supported');
    }
    this.validateKeyValue(table, hashKey, hashConds[0].b.av, `KeyConditionExpression ${hashKey}`, gsi ? req.IndexName : undefined);
    if (filter) {
      const keyUsed = pathsIn(filter).find((p) => p.parts.length === 1 && (p.parts[0] === hashKey || p.parts[0] === rangeKey));
      if (keyUsed) throw validation(`Filter Expression can only contain non-primary key attributes: Primary key attribute: ${keyUsed.parts[0]}`);
    }
    const entries = this.sortedEntries(table, gsi, req.IndexName).filter((e) => evalCond(kc, e.item));
    return this.readPage(req, table, gsi, entries, filter, proj, req.ScanIndexForward !== false);
  }

  scan(req) {
    const table = this.table(req.TableName);
    const gsi = this.commonReadChecks(req, table);
    if (req.ScanFilter) throw validation('Legacy ScanFilter is not supported by this emulator');
    const ctx = this.exprContext(req);
    const filter = this.parseCond(req.FilterExpression, 'FilterExpression', ctx);
    const proj = this.parseProjection(req.ProjectionExpression, ctx);
    this.checkAllUsed(ctx);
    return this.readPage(req, table, gsi, this.sortedEntries(table, gsi, req.IndexName), filter, proj);
  }

  batchWriteItem(req) {
    const ri = req.RequestItems;
    if (!ri || typeof ri !== 'object' || Object.keys(ri).length === 0) throw validation('RequestItems must not be empty');
    const total = Object.values(ri).reduce((a, l) => a + (Array.isArray(l) ? l.length : 0), 0);
    if (total > 25) throw validation(`1 validation error detected: Value at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 25, Member must have length greater than or equal to 1]`);
    const ops = [];
    for (const [tableName, list] of Object.entries(ri)) {
      const table = this.table(tableName);
      if (!Array.isArray(list) || list.length === 0) throw validation('The list of write requests for a table must not be empty');
      const seen = new Set();
      for (const r of list) {
        const keys = Object.keys(r ?? {});
        if (keys.length !== 1 || !['PutRequest', 'DeleteRequest'].includes(keys[0])) throw validation('Supplied write request must contain exactly one of PutRequest or DeleteRequest');
        const isPut = keys[0] === 'PutRequest';
        if (isPut) this.validateItem(table, r.PutRequest.Item);
        else this.validateKey(table, r.DeleteRequest.Key);
        const src = isPut ? r.PutRequest.Item : r.DeleteRequest.Key;
        const k = JSON.stringify(table.keyAttrs().map((a) => src[a]));
        if (seen.has(k)) throw validation('Provided list of item keys contains duplicates');
        seen.add(k);
        ops.push({ table, isPut, src });
      }
    }
    for (const op of ops) {
      if (op.isPut) this.store(op.table, op.src);
      else this.remove(op.table, op.src);
    }
    return { UnprocessedItems: {} };
  }

  batchGetItem(req) {
    const ri = req.RequestItems;
    if (!ri || typeof ri !== 'object' || Object.keys(ri).length === 0) throw validation('RequestItems must not be empty');
    const out = { Responses: {}, UnprocessedKeys: {} };
    let n = 0;
    for (const [tableName, spec] of Object.entries(ri)) {
      const table = this.table(tableName);
      const ctx = this.exprContext(spec);
      const proj = this.parseProjection(spec.ProjectionExpression, ctx);
      this.checkAllUsed(ctx);
      out.Responses[tableName] = [];
      for (const key of spec.Keys ?? []) {
        n++;
        this.validateKey(table, key);
        const item = this.getStored(table, key);
        if (item) out.Responses[tableName].push(project(item, proj));
      }
    }
    if (n > 100) throw validation('Too many items requested for the BatchGetItem call');
    return out;
  }
}

function projectIndex(table, gsi, item) {
  const proj = gsi.projection ?? 'ALL';
  if (proj === 'ALL') return item;
  const keep = new Set([...table.keyAttrs(), gsi.hashKey, gsi.rangeKey].filter(Boolean));
  if (Array.isArray(proj)) proj.forEach((a) => keep.add(a));
  return Object.fromEntries(Object.entries(item).filter(([k]) => keep.has(k)));
}

function project(item, paths) {
  if (!paths) return clone(item);
  const out = {};
  for (const p of paths) {
    const v = resolvePath(item, p);
    if (v === undefined) continue;
    // rebuild the nesting (maps only; list indexes collapse into a list of the selected elements)
    let dst = { M: out };
    for (let i = 0; i < p.parts.length; i++) {
      const part = p.parts[i];
      const last = i === p.parts.length - 1;
      if (typeof part === 'number') {
        dst.L = dst.L ?? [];
        if (last) dst.L.push(clone(v));
        else {
          const nxt = { M: {} };
          dst.L.push(nxt);
          dst = nxt;
        }
      } else if (last) dst.M[part] = clone(v);
      else {
        const src = resolvePath(item, { parts: p.parts.slice(0, i + 1) });
        dst.M[part] = dst.M[part] ?? (src.L ? { L: [] } : { M: {} });
        dst = dst.M[part];
      }
    }
  }
  return out;
}
