// Self-tests of the documented aws-local-stepfunctions patches (sfn/engine.mjs).
import test from 'node:test';
import assert from 'node:assert/strict';
import { runMachine } from '../harness.mjs';

const pass = (params) => ({ StartAt: 'P', States: { P: { Type: 'Pass', Parameters: params, End: true } } });

test('intrinsics keep backslashes in data and unescape only string literals', async () => {
  const r = await runMachine(
    pass({
      'json.$': 'States.JsonToString($.o)',
      // (a literal \\ would be valid ASL too, but asl-path-validator 0.16.1 rejects it)
      'fmt.$': "States.Format('it\\'s \\{\\} {} {}', $.s, $.o.a)",
      'nested.$': "States.Format('{}', States.JsonToString($.o))",
      'parsed.$': 'States.StringToJson(States.JsonToString($.o))',
    }),
    { s: 'back\\slash "q"', o: { a: 'x"y\\z' } },
  );
  assert.equal(r.status, 'SUCCEEDED', JSON.stringify(r.error));
  assert.equal(r.output.json, JSON.stringify({ a: 'x"y\\z' }));
  assert.equal(r.output.fmt, 'it\'s {} back\\slash "q" x"y\\z');
  assert.equal(r.output.nested, JSON.stringify({ a: 'x"y\\z' }));
  assert.deepEqual(r.output.parsed, { a: 'x"y\\z' });
});

test('States.Base64Encode/Decode use UTF-8', async () => {
  const r = await runMachine(pass({ 'b.$': 'States.Base64Encode($.s)', 'd.$': 'States.Base64Decode($.b64)' }), { s: 'é😀', b64: Buffer.from('日本 "q" \\', 'utf8').toString('base64') });
  assert.equal(r.status, 'SUCCEEDED', JSON.stringify(r.error));
  assert.equal(r.output.b, Buffer.from('é😀', 'utf8').toString('base64'));
  assert.equal(r.output.d, '日本 "q" \\');
});

test('JSONPath indexes only arrays and names only objects (Jayway)', async () => {
  const def = {
    StartAt: 'C',
    States: {
      C: { Type: 'Choice', Choices: [{ Variable: '$.v[0]', IsPresent: true, Next: 'Yes' }], Default: 'No' },
      Yes: { Type: 'Pass', Result: 'present', End: true },
      No: { Type: 'Pass', Result: 'absent', End: true },
    },
  };
  for (const [v, want] of [[['a'], 'present'], ['abc', 'absent'], [{ 0: 'x' }, 'absent'], [42, 'absent'], [[], 'absent']]) {
    const r = await runMachine(def, { v }, {});
    assert.equal(r.output, want, `$.v[0] on ${JSON.stringify(v)}`);
  }
  const r = await runMachine(pass({ 'a.$': "$['k.with.dots'][-1]", 'b.$': '$.l[*].x' }), { 'k.with.dots': [1, 2], l: [{ x: 1 }, { x: 2 }] }, {});
  assert.deepEqual(r.output, { a: 2, b: [1, 2] });
});

test('Promise.withResolvers is available (polyfilled on Node 20)', () => {
  assert.equal(typeof Promise.withResolvers, 'function');
});
