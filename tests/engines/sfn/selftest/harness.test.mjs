// Self-tests of the harness: override wiring (Map/Parallel), errors, validation walk, payload limits.
import test from 'node:test';
import assert from 'node:assert/strict';
import { runMachine, validateAsl, parseIntrinsic, substitute } from '../harness.mjs';
import { AwsWorld } from '../services.mjs';

test('Task states inside Map ItemProcessor/Iterator and Parallel branches get emulators', async () => {
  const world = new AwsWorld({ tables: { T: { hashKey: 'id' } } });
  const put = (name) => ({ Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem', Parameters: { TableName: 'T', Item: { id: { 'S.$': `States.Format('${name}-{}', $.v)` } } }, ResultPath: null, End: true });
  const def = {
    StartAt: 'Par',
    States: {
      Par: {
        Type: 'Parallel',
        Branches: [
          { StartAt: 'MapNew', States: { MapNew: { Type: 'Map', ItemsPath: '$.items', ItemSelector: { 'v.$': '$$.Map.Item.Value' }, ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'PutA', States: { PutA: put('a') } }, End: true } } },
          { StartAt: 'MapOld', States: { MapOld: { Type: 'Map', ItemsPath: '$.items', Parameters: { 'v.$': '$$.Map.Item.Value' }, Iterator: { StartAt: 'PutB', States: { PutB: put('b') } }, End: true } } },
        ],
        End: true,
      },
    },
  };
  const r = await world.run(def, { items: ['1', '2'] });
  assert.equal(r.status, 'SUCCEEDED', JSON.stringify(r.error));
  assert.deepEqual(world.ddb.items('T').map((i) => i.id.S).sort(), ['a-1', 'a-2', 'b-1', 'b-2']);
});

test('unsupported resources, duplicate state names and unresolved placeholders are clear errors', async () => {
  const r = await new AwsWorld().run({ StartAt: 'L', States: { L: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true } } }, {});
  assert.equal(r.error.Error, 'NotEmulated');
  assert.match(r.error.Cause, /Task resource arn:aws:states:::lambda:invoke \(state "L"\) is not emulated/);
  const dup = { StartAt: 'A', States: { A: { Type: 'Map', Iterator: { StartAt: 'A', States: { A: { Type: 'Pass', End: true } } }, End: true } } };
  await assert.rejects(runMachine(dup, []), /state name "A" is used more than once/);
  assert.throws(() => substitute('{"a":"${Nope}"}'), /unresolved placeholder\(s\): \$\{Nope\}/);
  assert.equal(substitute('arn:${Partition}:x ${N}', { N: 3 }), 'arn:aws:x 3');
});

test('States.Runtime errors are not caught by States.ALL (as on AWS)', async () => {
  const def = { StartAt: 'S', States: { S: { Type: 'Task', Resource: 'arn:aws:states:::apigateway:invoke', Parameters: { ApiEndpoint: 'not-an-endpoint', Method: 'POST', Path: '/@connections/x' }, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'C' }], End: true }, C: { Type: 'Succeed' } } };
  const r = await new AwsWorld().run(def, {});
  assert.equal(r.status, 'FAILED');
  assert.equal(r.error.Error, 'States.Runtime');
});

test('a missing path in Parameters fails the execution with States.Runtime', async () => {
  const r = await runMachine({ StartAt: 'P', States: { P: { Type: 'Pass', Parameters: { 'x.$': '$.missing' }, End: true } } }, {});
  assert.equal(r.status, 'FAILED');
  assert.equal(r.error.Error, 'States.Runtime');
});

test('validateAsl: clean definition has no problems', () => {
  const def = '{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:${Partition}:states:::dynamodb:getItem","Parameters":{"TableName":"${T}","Key":{"id":{"S.$":"States.Format(\'x-{}\', $.id)"}}},"End":true}}}';
  assert.deepEqual(validateAsl(def, { substitutions: { T: 'tbl' } }), []);
});

test('validateAsl: nested bad paths, intrinsic arity, Format placeholders, missing ".$", asl-validator errors', () => {
  const def = {
    StartAt: 'A',
    States: {
      A: {
        Type: 'Task',
        Resource: 'arn:aws:states:::dynamodb:putItem',
        Parameters: {
          TableName: 'T',
          Item: {
            a: { 'S.$': '$.a[' },
            b: { 'S.$': "States.Format('{}-{}', $.x)" },
            c: { 'L.$': 'States.Array($.ok, $..[)' },
            d: { 'S.$': 'States.JsonToString($.a, $.b)' },
            e: { S: '$.forgot' },
            f: { 'S.$': 'literal' },
            g: { 'S.$': 'States.Nope($.a)' },
          },
        },
        ResultSelector: { 'x.$': '$.Item.a.S', x: 1 },
        Next: 'Missing',
      },
    },
  };
  const problems = validateAsl(def);
  const text = problems.map((p) => `${p.severity} ${p.where}: ${p.message}`).join('\n');
  for (const needle of [/Item\.a\.S\.\$: invalid path \$\.a\[/, /2 \{\} placeholder\(s\) but 1 argument/, /Item\.c\.L\.\$/, /States\.JsonToString takes 1 argument\(s\), got 2/, /warning .*Item\.e\.S: literal string "\$\.forgot"/, /Item\.f\.S\.\$: value of "S\.\$" is neither a path/, /Item\.g\.S\.\$/, /field "x" appears twice/, /asl-validator:/]) {
    assert.match(text, needle);
  }
});

test('parseIntrinsic handles nesting, escapes and quoted bracket paths', () => {
  const r = parseIntrinsic("States.Format('a\\'{}\\{\\}', States.JsonToString($['a b'].c), 3)");
  assert.equal(r.fn, 'States.Format');
  assert.equal(r.args.length, 3);
  assert.equal(r.args[1].args[0].path, "$['a b'].c");
});


test('256 KB payload limit: big task results and big state outputs fail with States.DataLimitExceeded', async () => {
  const world = new AwsWorld({ tables: { T: { hashKey: 'p', rangeKey: 'id' } } });
  for (let i = 0; i < 3; i++) world.ddb.putItem({ TableName: 'T', Item: { p: { S: 'p' }, id: { S: `k${i}` }, blob: { S: 'x'.repeat(100 * 1024) } } });
  const query = { StartAt: 'Q', States: { Q: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:dynamodb:query', Parameters: { TableName: 'T', KeyConditionExpression: 'p = :p', ExpressionAttributeValues: { ':p': { S: 'p' } } }, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'C' }], End: true }, C: { Type: 'Succeed' } } };
  let r = await world.run(query, {});
  assert.equal(r.status, 'FAILED');
  assert.equal(r.error.Error, 'States.DataLimitExceeded');
  const grow = { StartAt: 'P', States: { P: { Type: 'Pass', Parameters: { 'a.$': '$.s', 'b.$': '$.s', 'c.$': '$.s' }, End: true } } };
  r = await runMachine(grow, { s: 'y'.repeat(100 * 1024) });
  assert.equal(r.status, 'FAILED');
  assert.match(r.error.Cause, /state P output/);
});
