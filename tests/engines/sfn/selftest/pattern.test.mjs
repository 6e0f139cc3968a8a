// The JS stand-in EventBridge matcher against the vendored conformance cases recorded on AWS.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { standinMatcher } from '../pattern-standin.mjs';

const cases = fs
  .readFileSync(new URL('../../../data/event-patterns.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l));

test(`pattern stand-in agrees with EventBridge on all ${cases.length} conformance cases`, () => {
  const wrong = [];
  for (const c of cases) {
    let got;
    try {
      got = standinMatcher.testEventPattern(JSON.stringify(c.pattern), JSON.stringify(c.event)) ? 'match' : 'no-match';
    } catch (e) {
      got = e.name === 'InvalidEventPatternException' ? 'invalid' : `crash: ${e.message}`;
      if (got === 'invalid') assert.match(e.message, /^Event pattern is not valid\. Reason: /);
    }
    if (got !== c.expect) wrong.push(`${c.name}: expected ${c.expect}, got ${got}`);
  }
  assert.deepEqual(wrong, []);
});
