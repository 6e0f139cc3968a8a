// JS stand-in for the EventBridge event-pattern matcher (TestEventPattern semantics).
//
// The real matcher is being written in Rust (src/pattern/); this module exists so the engine tests
// can run before it lands. Swap it by passing another `matcher` to the AwsWorld in services.mjs:
// any object with `testEventPattern(patternText, eventText) -> boolean` that throws
// `InvalidEventPattern` (message "Event pattern is not valid. Reason: ...") for a bad pattern.
//
// Supported (checked against tests/data/event-patterns.jsonl, recorded on real EventBridge, in
// sfn/selftest/pattern.test.mjs): exact string/number/boolean/null values; prefix, suffix (both
// with optional {"equals-ignore-case": s}); equals-ignore-case; anything-but (value, list,
// {prefix|suffix|wildcard|equals-ignore-case}); numeric ranges (=, <, <=, >, >=, at most one lower
// and one upper bound); exists true/false; cidr (IPv4/IPv6); wildcard; $or; nested objects; event
// arrays (a field matches if any element matches); dotted keys ("a.b" == nested a -> b).
// Known gaps vs AWS: the "rule is too complex" wildcard limit is a heuristic (> 5 '*'); numeric
// values are compared as IEEE doubles (AWS uses fixed precision, 6 decimals, range +-5e9); no
// limit on pattern size/nesting; error messages are close to, not always identical with, AWS's.

export class InvalidEventPattern extends Error {
  constructor(reason) {
    super(`Event pattern is not valid. Reason: ${reason}`);
    this.name = 'InvalidEventPatternException';
  }
}

const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const typeName = (v) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

// ---------------------------------------------------------------------------- compile

function compileMatcher(m) {
  if (m === null || typeof m === 'string' || typeof m === 'number' || typeof m === 'boolean') {
    return { kind: 'exact', value: m };
  }
  if (Array.isArray(m)) throw new InvalidEventPattern('Match value must be String, number, true, false, or null');
  const keys = Object.keys(m);
  if (keys.length !== 1) {
    throw new InvalidEventPattern(keys.length === 0 ? 'Empty objects are not allowed' : `Only one key allowed in match expression: ${keys.join(', ')}`);
  }
  const [op] = keys;
  const arg = m[op];
  switch (op) {
    case 'prefix':
    case 'suffix': {
      if (isObj(arg)) {
        const ks = Object.keys(arg);
        if (ks.length !== 1 || ks[0] !== 'equals-ignore-case' || typeof arg['equals-ignore-case'] !== 'string') {
          throw new InvalidEventPattern(`${op} match pattern must be a string`);
        }
        return { kind: op, value: arg['equals-ignore-case'], ignoreCase: true };
      }
      if (typeof arg !== 'string') throw new InvalidEventPattern(`${op} match pattern must be a string`);
      return { kind: op, value: arg, ignoreCase: false };
    }
    case 'equals-ignore-case':
      if (typeof arg !== 'string') throw new InvalidEventPattern('equals-ignore-case match pattern must be a string');
      return { kind: 'eqic', value: arg };
    case 'wildcard':
      if (typeof arg !== 'string') throw new InvalidEventPattern('wildcard match pattern must be a string');
      return { kind: 'wildcard', re: compileWildcard(arg) };
    case 'exists':
      if (typeof arg !== 'boolean') throw new InvalidEventPattern('exists match pattern must be either true or false.');
      return { kind: 'exists', value: arg };
    case 'numeric':
      return { kind: 'numeric', tests: compileNumeric(arg) };
    case 'cidr':
      if (typeof arg !== 'string') throw new InvalidEventPattern('prefix match pattern must be a string');
      return { kind: 'cidr', test: compileCidr(arg) };
    case 'anything-but':
      return { kind: 'anything-but', inner: compileAnythingBut(arg) };
    default:
      throw new InvalidEventPattern(`Unrecognized match type ${op}`);
  }
}

function compileAnythingBut(arg) {
  if (arg === null || typeof arg === 'string' || typeof arg === 'number' || typeof arg === 'boolean') {
    return [{ kind: 'exact', value: arg }];
  }
  if (Array.isArray(arg)) {
    if (arg.length === 0) throw new InvalidEventPattern('Empty arrays are not allowed');
    return arg.map((v) => {
      if (typeof v !== 'string' && typeof v !== 'number') {
        throw new InvalidEventPattern('Inside anything but list, start|null|boolean is not supported.');
      }
      return { kind: 'exact', value: v };
    });
  }
  const keys = Object.keys(arg);
  if (keys.length !== 1) throw new InvalidEventPattern('Value of anything-but must be an array or single string/number value.');
  const [op] = keys;
  const val = arg[op];
  const list = Array.isArray(val) ? val : [val];
  if (Array.isArray(val) && val.length === 0) throw new InvalidEventPattern('Empty arrays are not allowed');
  switch (op) {
    case 'prefix':
    case 'suffix':
      return list.map((v) => {
        if (isObj(v)) throw new InvalidEventPattern('Value of anything-but must be an array or single string/number value.');
        if (typeof v !== 'string') throw new InvalidEventPattern('prefix/suffix match pattern must be a string');
        if (v === '') throw new InvalidEventPattern('Null prefix/suffix not allowed');
        return { kind: op, value: v, ignoreCase: false };
      });
    case 'wildcard':
      return list.map((v) => {
        if (typeof v !== 'string') throw new InvalidEventPattern('wildcard match pattern must be a string');
        return { kind: 'wildcard', re: compileWildcard(v) };
      });
    case 'equals-ignore-case':
      return list.map((v) => {
        if (typeof v !== 'string') {
          throw new InvalidEventPattern(`Inside anything-but/equals-ignore-case list, ${typeName(v) === 'number' ? 'number' : typeName(v)} is not supported.`);
        }
        return { kind: 'eqic', value: v };
      });
    default:
      throw new InvalidEventPattern('Value of anything-but must be an array or single string/number value.');
  }
}

function compileWildcard(s) {
  let re = '^';
  let stars = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\' && (s[i + 1] === '*' || s[i + 1] === '\\')) {
      re += '\\' + s[i + 1];
      i++;
    } else if (c === '*') {
      if (s[i + 1] === '*') throw new InvalidEventPattern(`Consecutive wildcard characters at pos ${i + 1}`);
      stars++;
      re += '[\\s\\S]*';
    } else {
      re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    }
  }
  if (stars > 5) throw new InvalidEventPattern('Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character');
  return new RegExp(re + '$', 'u');
}

function compileNumeric(arg) {
  if (!Array.isArray(arg)) throw new InvalidEventPattern('Value of numeric must be an array.');
  if (arg.length === 0 || arg.length % 2) throw new InvalidEventPattern('Value of numeric must be an array of operator/number pairs.');
  const tests = [];
  let lower = false;
  let upper = false;
  let eq = false;
  for (let i = 0; i < arg.length; i += 2) {
    const op = arg[i];
    const n = arg[i + 1];
    if (typeof n !== 'number') throw new InvalidEventPattern(`Value of ${op} must be numeric`);
    if (op === '=') {
      if (eq || lower || upper) throw new InvalidEventPattern(`Bad numeric range operator: ${op}`);
      eq = true;
      tests.push((x) => x === n);
    } else if (op === '>' || op === '>=') {
      if (lower || eq) throw new InvalidEventPattern(`Bad numeric range operator: ${op}`);
      lower = true;
      tests.push(op === '>' ? (x) => x > n : (x) => x >= n);
    } else if (op === '<' || op === '<=') {
      if (upper || eq) throw new InvalidEventPattern(`Bad numeric range operator: ${op}`);
      upper = true;
      tests.push(op === '<' ? (x) => x < n : (x) => x <= n);
    } else {
      throw new InvalidEventPattern(`Unrecognized numeric range operator: ${op}`);
    }
  }
  return tests;
}

function parseIPv4(s) {
  const parts = s.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return null;
  return parts.reduce((acc, p) => (acc << 8n) | BigInt(Number(p)), 0n);
}

function parseIPv6(s) {
  if (!/^[0-9a-fA-F:.]+$/.test(s)) return null;
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const toGroups = (h) => (h === '' ? [] : h.split(':'));
  let head = toGroups(halves[0]);
  let tail = halves.length === 2 ? toGroups(halves[1]) : [];
  const expand = (groups) => {
    const out = [];
    for (const g of groups) {
      if (g.includes('.')) {
        const v4 = parseIPv4(g);
        if (v4 === null) return null;
        out.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
        out.push(parseInt(g, 16));
      }
    }
    return out;
  };
  head = expand(head);
  tail = expand(tail);
  if (!head || !tail) return null;
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 1 && missing !== 0) || missing < 0) return null;
  const groups = [...head, ...Array(missing).fill(0), ...tail];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n);
}

function compileCidr(s) {
  const parts = s.split('/');
  if (parts.length !== 2) throw new InvalidEventPattern("Malformed CIDR, one '/' required");
  if (!/^\d+$/.test(parts[1])) throw new InvalidEventPattern('Malformed CIDR, mask bits must be an integer');
  const bits = Number(parts[1]);
  const v4 = parseIPv4(parts[0]);
  const v6 = v4 === null ? parseIPv6(parts[0]) : null;
  if (v4 === null && v6 === null) throw new InvalidEventPattern(`Nonstandard IP address: ${parts[0]}`);
  const width = v4 !== null ? 32 : 128;
  if (bits > width) throw new InvalidEventPattern(`Malformed CIDR, mask bits must be between 0 and ${width}`);
  const base = v4 ?? v6;
  const shift = BigInt(width - bits);
  return (value) => {
    if (typeof value !== 'string') return false;
    const ip = width === 32 ? parseIPv4(value) : parseIPv6(value);
    return ip !== null && ip >> shift === base >> shift;
  };
}

// A compiled pattern node: {fields: [{path, matchers}], ors: [[node, ...], ...]}
function compileNode(obj, prefix) {
  if (!isObj(obj)) throw new InvalidEventPattern('Filter is not an object');
  const node = { fields: [], ors: [] };
  for (const [key, value] of Object.entries(obj)) {
    if (key === '$or') {
      if (!Array.isArray(value) || value.length < 2) throw new InvalidEventPattern('Value of $or must be an array of at least 2 objects');
      node.ors.push(value.map((alt) => compileNode(alt, prefix)));
      continue;
    }
    const path = prefix ? `${prefix}.${key}` : key;
    if (Array.isArray(value)) {
      if (value.length === 0) throw new InvalidEventPattern('Empty arrays are not allowed');
      node.fields.push({ path, matchers: value.map(compileMatcher) });
    } else if (isObj(value)) {
      const child = compileNode(value, path);
      node.fields.push(...child.fields);
      node.ors.push(...child.ors);
    } else {
      throw new InvalidEventPattern(`"${key}" must be an object or an array`);
    }
  }
  return node;
}

export function compilePattern(patternText) {
  let pattern;
  try {
    pattern = typeof patternText === 'string' ? JSON.parse(patternText) : patternText;
  } catch (e) {
    throw new InvalidEventPattern(`Filter is not valid JSON: ${e.message}`);
  }
  if (!isObj(pattern)) throw new InvalidEventPattern('Filter is not an object');
  return compileNode(pattern, '');
}

// ---------------------------------------------------------------------------- match

function flatten(value, prefix, out) {
  if (Array.isArray(value)) {
    for (const v of value) flatten(v, prefix, out);
  } else if (isObj(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else {
    if (!out.has(prefix)) out.set(prefix, []);
    out.get(prefix).push(value);
  }
  return out;
}

function testOne(m, v) {
  switch (m.kind) {
    case 'exact':
      if (typeof m.value === 'number') return typeof v === 'number' && v === m.value;
      return v === m.value;
    case 'prefix':
      return typeof v === 'string' && (m.ignoreCase ? v.toLowerCase().startsWith(m.value.toLowerCase()) : v.startsWith(m.value));
    case 'suffix':
      return typeof v === 'string' && (m.ignoreCase ? v.toLowerCase().endsWith(m.value.toLowerCase()) : v.endsWith(m.value));
    case 'eqic':
      return typeof v === 'string' && v.toLowerCase() === m.value.toLowerCase();
    case 'wildcard':
      return typeof v === 'string' && m.re.test(v);
    case 'numeric':
      return typeof v === 'number' && m.tests.every((t) => t(v));
    case 'cidr':
      return m.test(v);
    case 'anything-but':
      return !m.inner.some((inner) => testOne(inner, v));
    case 'exists':
      return m.value;
    default:
      return false;
  }
}

function matchField(field, flat) {
  const values = flat.get(field.path);
  if (values === undefined) return field.matchers.some((m) => m.kind === 'exists' && m.value === false);
  return field.matchers.some((m) => (m.kind === 'exists' ? m.value : values.some((v) => testOne(m, v))));
}

function matchNode(node, flat) {
  return node.fields.every((f) => matchField(f, flat)) && node.ors.every((alts) => alts.some((alt) => matchNode(alt, flat)));
}

export function matches(compiled, event) {
  return matchNode(compiled, flatten(event, '', new Map()));
}

export const standinMatcher = {
  name: 'js-standin',
  testEventPattern(patternText, eventText) {
    const compiled = compilePattern(patternText);
    const event = typeof eventText === 'string' ? JSON.parse(eventText) : eventText;
    return matches(compiled, event);
  },
};
