// Self-tests of the DynamoDB emulator, directly and through state machines.
import test from 'node:test';
import assert from 'node:assert/strict';
import { runMachine } from '../harness.mjs';
import { AwsWorld } from '../services.mjs';
import { DynamoDB } from '../dynamodb.mjs';

const TABLES = {
  Conn: {
    hashKey: 'connectionId',
    rangeKey: 'sk',
    keyTypes: { connectionId: 'S', sk: 'S', topic: 'S' },
    gsis: { 'topic-index': { hashKey: 'topic', rangeKey: 'connectionId' } },
  },
  Nums: { hashKey: 'p', rangeKey: 'n', keyTypes: { p: 'S', n: 'N' } },
};
const S = (s) => ({ S: s });

function seed(db, n, topic = 't1') {
  for (let i = 0; i < n; i++) {
    db.putItem({ TableName: 'Conn', Item: { connectionId: S(`c${String(i).padStart(4, '0')}`), sk: S(`sub#${topic}`), topic: S(topic) } });
  }
}

test('put/get/delete round trip and key validation', () => {
  const db = new DynamoDB(TABLES);
  db.putItem({ TableName: 'Conn', Item: { connectionId: S('a'), sk: S('conn'), n: { N: '1' }, tags: { SS: ['x', 'y'] }, m: { M: { l: { L: [{ BOOL: true }, { NULL: true }] } } } } });
  assert.deepEqual(db.getItem({ TableName: 'Conn', Key: { connectionId: S('a'), sk: S('conn') } }).Item.m, { M: { l: { L: [{ BOOL: true }, { NULL: true }] } } });
  assert.deepEqual(db.getItem({ TableName: 'Conn', Key: { connectionId: S('zz'), sk: S('conn') } }), {});
  assert.throws(() => db.getItem({ TableName: 'Conn', Key: { connectionId: S('a') } }), /does not match the schema/);
  assert.throws(() => db.putItem({ TableName: 'Conn', Item: { connectionId: S(''), sk: S('x') } }), /empty string value/);
  assert.throws(() => db.putItem({ TableName: 'Conn', Item: { connectionId: S('a'), sk: S('x'), topic: S('') } }), /secondary index key/);
  assert.throws(() => db.putItem({ TableName: 'Conn', Item: { connectionId: { N: '1' }, sk: S('x') } }), /Type mismatch/);
  assert.throws(() => db.putItem({ TableName: 'Conn', Item: { connectionId: S('a'), sk: S('x'), bad: { S: 5 } } }), (e) => e.code === 'SerializationException');
  assert.throws(() => db.putItem({ TableName: 'Nope', Item: {} }), (e) => e.code === 'ResourceNotFoundException');
  assert.deepEqual(db.deleteItem({ TableName: 'Conn', Key: { connectionId: S('a'), sk: S('conn') }, ReturnValues: 'ALL_OLD' }).Attributes.n, { N: '1' });
  assert.equal(db.items('Conn').length, 0);
});

test('expressions: conditions, update SET/REMOVE/ADD, unused/undefined names and values, reserved words', () => {
  const db = new DynamoDB(TABLES);
  const key = { connectionId: S('a'), sk: S('conn') };
  db.putItem({ TableName: 'Conn', Item: { ...key, a: { N: '1' }, gone: S('x') }, ConditionExpression: 'attribute_not_exists(connectionId)' });
  assert.throws(() => db.putItem({ TableName: 'Conn', Item: { ...key }, ConditionExpression: 'attribute_not_exists(#c)', ExpressionAttributeNames: { '#c': 'connectionId' } }), (e) => e.code === 'ConditionalCheckFailedException');
  const r = db.updateItem({
    TableName: 'Conn',
    Key: key,
    UpdateExpression: 'SET a = :v, #b = :x + :y, lst = list_append(if_not_exists(lst, :empty), :one) REMOVE gone ADD cnt :one_n',
    ConditionExpression: 'attribute_exists(connectionId) AND a < :ten',
    ExpressionAttributeNames: { '#b': 'b' },
    ExpressionAttributeValues: { ':v': { N: '5' }, ':x': { N: '2' }, ':y': { N: '3' }, ':empty': { L: [] }, ':one': { L: [S('1')] }, ':one_n': { N: '1' }, ':ten': { N: '10' } },
    ReturnValues: 'ALL_NEW',
  });
  assert.deepEqual(r.Attributes, { ...key, a: { N: '5' }, b: { N: '5' }, lst: { L: [S('1')] }, cnt: { N: '1' } });
  assert.throws(() => db.updateItem({ TableName: 'Conn', Key: key, UpdateExpression: 'SET a = :v', ExpressionAttributeValues: { ':v': S('x'), ':unused': S('y') } }), /unused in expressions: keys: \{:unused\}/);
  assert.throws(() => db.updateItem({ TableName: 'Conn', Key: key, UpdateExpression: 'SET a = :nope' }), /not defined; attribute value: :nope/);
  assert.throws(() => db.updateItem({ TableName: 'Conn', Key: key, UpdateExpression: 'SET #n = :v', ExpressionAttributeValues: { ':v': S('x') } }), /attribute name used in the document path is not defined/);
  assert.throws(() => db.updateItem({ TableName: 'Conn', Key: key, UpdateExpression: 'SET status = :v', ExpressionAttributeValues: { ':v': S('x') } }), /reserved keyword; reserved keyword: status/);
  assert.throws(() => db.updateItem({ TableName: 'Conn', Key: key, UpdateExpression: 'SET sk = :v', ExpressionAttributeValues: { ':v': S('x') } }), /part of the key/);
  // upsert
  db.updateItem({ TableName: 'Conn', Key: { connectionId: S('new'), sk: S('conn') }, UpdateExpression: 'SET topic = :t', ExpressionAttributeValues: { ':t': S('news') } });
  assert.equal(db.query({ TableName: 'Conn', IndexName: 'topic-index', KeyConditionExpression: 'topic = :t', ExpressionAttributeValues: { ':t': S('news') } }).Count, 1);
});

test('query: key conditions, GSI, begins_with, filter (Count vs ScannedCount), projection, Select COUNT', () => {
  const db = new DynamoDB(TABLES);
  for (const [c, sk, topic, lvl] of [['a', 'conn', null, 1], ['a', 'sub#x', 'x', 2], ['a', 'sub#y', 'y', 3], ['b', 'sub#x', 'x', 4], ['b', 'conn', null, 5]]) {
    db.putItem({ TableName: 'Conn', Item: { connectionId: S(c), sk: S(sk), lvl: { N: String(lvl) }, ...(topic ? { topic: S(topic) } : {}) } });
  }
  let r = db.query({ TableName: 'Conn', KeyConditionExpression: '#k = :v AND begins_with(sk, :p)', ExpressionAttributeNames: { '#k': 'connectionId' }, ExpressionAttributeValues: { ':v': S('a'), ':p': S('sub#') } });
  assert.deepEqual(r.Items.map((i) => i.sk.S), ['sub#x', 'sub#y']);
  r = db.query({ TableName: 'Conn', IndexName: 'topic-index', KeyConditionExpression: 'topic = :t', ExpressionAttributeValues: { ':t': S('x') }, ProjectionExpression: 'connectionId' });
  assert.deepEqual(r.Items, [{ connectionId: S('a') }, { connectionId: S('b') }]);
  r = db.query({ TableName: 'Conn', KeyConditionExpression: 'connectionId = :v', FilterExpression: 'lvl > :n', ExpressionAttributeValues: { ':v': S('a'), ':n': { N: '1' } } });
  assert.equal(r.Count, 2);
  assert.equal(r.ScannedCount, 3);
  r = db.query({ TableName: 'Conn', KeyConditionExpression: 'connectionId = :v', ExpressionAttributeValues: { ':v': S('b') }, Select: 'COUNT' });
  assert.deepEqual(r, { Count: 2, ScannedCount: 2 });
  assert.throws(() => db.query({ TableName: 'Conn', IndexName: 'topic-index', ConsistentRead: true, KeyConditionExpression: 'topic = :t', ExpressionAttributeValues: { ':t': S('x') } }), /Consistent reads are not supported/);
  assert.throws(() => db.query({ TableName: 'Conn', KeyConditionExpression: 'sk = :t', ExpressionAttributeValues: { ':t': S('x') } }), /missed key schema element/);
  assert.throws(() => db.query({ TableName: 'Conn', KeyConditionExpression: 'connectionId = :v', FilterExpression: 'sk = :t', ExpressionAttributeValues: { ':v': S('a'), ':t': S('x') } }), /non-primary key attributes/);
  assert.throws(() => db.query({ TableName: 'Conn', IndexName: 'topic-index', KeyConditionExpression: 'topic = :t', ExpressionAttributeValues: { ':t': S('') } }), /empty string value/);
});

test('ordering: sort key order within a partition (N numerically), partitions in insertion order', () => {
  const db = new DynamoDB(TABLES);
  for (const [p, n] of [['p2', 10], ['p1', 9], ['p2', 2], ['p1', 100], ['p2', -1]]) db.putItem({ TableName: 'Nums', Item: { p: S(p), n: { N: String(n) } } });
  assert.deepEqual(db.scan({ TableName: 'Nums' }).Items.map((i) => `${i.p.S}:${i.n.N}`), ['p2:-1', 'p2:2', 'p2:10', 'p1:9', 'p1:100']);
  assert.deepEqual(db.query({ TableName: 'Nums', KeyConditionExpression: 'p = :p AND n BETWEEN :a AND :b', ExpressionAttributeValues: { ':p': S('p2'), ':a': { N: '0' }, ':b': { N: '10' } }, ScanIndexForward: false }).Items.map((i) => i.n.N), ['10', '2']);
});

test('pagination like DynamoDB: 250 items / Limit 100 = 3 pages; 200 items = 3 pages, the last empty', () => {
  for (const [n, expected] of [[250, [100, 100, 50]], [200, [100, 100, 0]], [99, [99]]]) {
    const db = new DynamoDB(TABLES);
    seed(db, n);
    for (const req of [{ TableName: 'Conn', IndexName: 'topic-index', KeyConditionExpression: 'topic = :t', ExpressionAttributeValues: { ':t': S('t1') } }, { TableName: 'Conn' }]) {
      const op = req.KeyConditionExpression ? 'query' : 'scan';
      const sizes = [];
      const seen = new Set();
      let esk;
      do {
        const r = db[op]({ ...req, Limit: 100, ...(esk ? { ExclusiveStartKey: esk } : {}) });
        sizes.push(r.Items.length);
        r.Items.forEach((i) => seen.add(i.connectionId.S));
        esk = r.LastEvaluatedKey;
        if (esk && op === 'query') assert.deepEqual(Object.keys(esk).sort(), ['connectionId', 'sk', 'topic']);
      } while (esk);
      assert.deepEqual(sizes, expected, `${op} over ${n}`);
      assert.equal(seen.size, n);
    }
  }
});

test('ExclusiveStartKey of a deleted item still resumes at its position', () => {
  const db = new DynamoDB(TABLES);
  seed(db, 5);
  const p1 = db.scan({ TableName: 'Conn', Limit: 2 });
  db.deleteItem({ TableName: 'Conn', Key: p1.LastEvaluatedKey });
  const p2 = db.scan({ TableName: 'Conn', Limit: 10, ExclusiveStartKey: p1.LastEvaluatedKey });
  assert.deepEqual(p2.Items.map((i) => i.connectionId.S), ['c0002', 'c0003', 'c0004']);
});

test('batchWriteItem: puts and deletes, 25-request limit, duplicate keys', () => {
  const db = new DynamoDB(TABLES);
  seed(db, 3);
  db.batchWriteItem({ RequestItems: { Conn: [{ DeleteRequest: { Key: { connectionId: S('c0000'), sk: S('sub#t1') } } }, { PutRequest: { Item: { connectionId: S('z'), sk: S('conn') } } }] } });
  assert.deepEqual(db.items('Conn').map((i) => i.connectionId.S), ['c0001', 'c0002', 'z']);
  const many = Array.from({ length: 26 }, (_, i) => ({ PutRequest: { Item: { connectionId: S(`m${i}`), sk: S('x') } } }));
  assert.throws(() => db.batchWriteItem({ RequestItems: { Conn: many } }), /less than or equal to 25/);
  const dup = { PutRequest: { Item: { connectionId: S('d'), sk: S('x') } } };
  assert.throws(() => db.batchWriteItem({ RequestItems: { Conn: [dup, dup] } }), /duplicates/);
});

test('through Step Functions: optimized vs SDK result shapes and error names', async () => {
  const world = new AwsWorld({ tables: TABLES });
  const def = {
    StartAt: 'PutOpt',
    States: {
      PutOpt: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem', Parameters: { TableName: 'Conn', Item: { connectionId: { 'S.$': '$.id' }, sk: { S: 'conn' } }, ConditionExpression: 'attribute_not_exists(connectionId)' }, ResultPath: '$.opt', Catch: [{ ErrorEquals: ['DynamoDB.ConditionalCheckFailedException'], ResultPath: '$.optErr', Next: 'PutSdk' }], Next: 'PutSdk' },
      PutSdk: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:dynamodb:putItem', Parameters: { TableName: 'Conn', Item: { connectionId: { 'S.$': '$.id' }, sk: { S: 'conn2' } }, ConditionExpression: 'attribute_not_exists(connectionId)' }, ResultPath: '$.sdk', Catch: [{ ErrorEquals: ['DynamoDb.ConditionalCheckFailedException'], ResultPath: '$.sdkErr', Next: 'Bad' }], Next: 'Bad' },
      Bad: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:dynamodb:getItem', Parameters: { TableName: 'Conn', Key: { connectionId: { S: '' }, sk: { S: 'x' } } }, ResultPath: '$.bad', Catch: [{ ErrorEquals: ['DynamoDb.DynamoDbException'], ResultPath: '$.badErr', Next: 'Done' }], Next: 'Done' },
      Done: { Type: 'Succeed' },
    },
  };
  let r = await runMachine(def, { id: 'c1' }, { world });
  assert.equal(r.status, 'SUCCEEDED');
  assert.ok(r.output.opt.SdkHttpMetadata, 'optimized integration output carries SdkHttpMetadata');
  assert.deepEqual(r.output.sdk, {}, 'SDK integration output is the bare API response');
  assert.match(r.output.badErr.Cause, /ValidationException/);
  r = await runMachine(def, { id: 'c1' }, { world });
  assert.equal(r.output.optErr.Error, 'DynamoDB.ConditionalCheckFailedException');
  assert.equal(r.output.sdkErr.Error, 'DynamoDb.ConditionalCheckFailedException');
});

test('through Step Functions: a Query pagination loop over 250 subscribers reads 3 pages', async () => {
  const world = new AwsWorld({ tables: TABLES });
  seed(world.ddb, 250, 'news');
  const def = {
    StartAt: 'Init',
    States: {
      Init: { Type: 'Pass', Parameters: { 'topic.$': '$.topic', pages: 0, total: 0 }, Next: 'Query' },
      Query: {
        Type: 'Task',
        Resource: 'arn:aws:states:::aws-sdk:dynamodb:query',
        Parameters: { TableName: 'Conn', IndexName: 'topic-index', KeyConditionExpression: 'topic = :t', ExpressionAttributeValues: { ':t': { 'S.$': '$.topic' } }, Limit: 100, 'ExclusiveStartKey.$': '$.esk' },
        ResultSelector: { 'count.$': '$.Count', 'lek.$': '$.LastEvaluatedKey' },
        ResultPath: '$.page',
        Next: 'Count',
      },
      Count: { Type: 'Pass', Parameters: { 'topic.$': '$.topic', 'pages.$': 'States.MathAdd($.pages, 1)', 'total.$': 'States.MathAdd($.total, $.page.count)', 'esk.$': '$.page.lek' }, Next: 'More' },
      More: { Type: 'Choice', Choices: [{ Variable: '$.esk', IsPresent: true, Next: 'Query' }], Default: 'Done' },
      Done: { Type: 'Succeed' },
    },
  };
  // first iteration has no esk: use a variant of Query without ExclusiveStartKey
  def.States.Init.Next = 'First';
  def.States.First = { ...def.States.Query, Parameters: { ...def.States.Query.Parameters } };
  delete def.States.First.Parameters['ExclusiveStartKey.$'];
  const r = await runMachine(def, { topic: 'news' }, { world });
  assert.equal(r.status, 'FAILED', 'ResultSelector on a missing LastEvaluatedKey fails the state, like on AWS');
  assert.match(r.error.Cause, /LastEvaluatedKey/);
  // the robust way: keep the whole result and test IsPresent on it
  for (const st of [def.States.First, def.States.Query]) {
    delete st.ResultSelector;
  }
  def.States.Count.Parameters = { 'topic.$': '$.topic', 'pages.$': 'States.MathAdd($.pages, 1)', 'total.$': 'States.MathAdd($.total, $.page.Count)', 'page.$': '$.page' };
  def.States.More.Choices = [{ Variable: '$.page.LastEvaluatedKey', IsPresent: true, Next: 'SetEsk' }];
  def.States.SetEsk = { Type: 'Pass', Parameters: { 'topic.$': '$.topic', 'pages.$': '$.pages', 'total.$': '$.total', 'esk.$': '$.page.LastEvaluatedKey' }, Next: 'Query' };
  const r2 = await runMachine(def, { topic: 'news' }, { world });
  assert.equal(r2.status, 'SUCCEEDED', JSON.stringify(r2.error));
  assert.equal(r2.output.pages, 3);
  assert.equal(r2.output.total, 250);
  assert.equal(r2.calls.filter((c) => c.action === 'query').length, 3);
});
