// Self-tests of the DynamoDB emulator against DynamoDB's documented behaviour, directly and through
// state machines.
import test from 'node:test';
import assert from 'node:assert/strict';
import { AwsWorld } from '../services.mjs';
import { DynamoDB } from '../dynamodb.mjs';

const TABLES = {
  Conn: { hashKey: 'connectionId', rangeKey: 'sk', keyTypes: { connectionId: 'S', sk: 'S', topic: 'S' }, gsis: { 'topic-index': { hashKey: 'topic', rangeKey: 'connectionId' }, 'keys-index': { hashKey: 'topic', projection: 'KEYS_ONLY' } } },
  Nums: { hashKey: 'p', rangeKey: 'n', keyTypes: { p: 'S', n: 'N' } },
};
const S = (s) => ({ S: s });
const byTopic = (t, extra = {}) => ({ TableName: 'Conn', IndexName: 'topic-index', KeyConditionExpression: '#t = :t', ExpressionAttributeNames: { '#t': 'topic' }, ExpressionAttributeValues: { ':t': S(t) }, ...extra });

function seed(db, n, topic = 't1') {
  for (let i = 0; i < n; i++) db.putItem({ TableName: 'Conn', Item: { connectionId: S(`c${String(i).padStart(4, '0')}`), sk: S(`sub#${topic}`), topic: S(topic) } });
}

test('put/get/delete round trip, key and AttributeValue validation', () => {
  const db = new DynamoDB(TABLES);
  const key = { connectionId: S('a'), sk: S('conn') };
  db.putItem({ TableName: 'Conn', Item: { ...key, n: { N: '1' }, m: { M: { l: { L: [{ BOOL: true }, { NULL: true }] } } } } });
  assert.deepEqual(db.getItem({ TableName: 'Conn', Key: key }).Item.m, { M: { l: { L: [{ BOOL: true }, { NULL: true }] } } });
  assert.deepEqual(db.getItem({ TableName: 'Conn', Key: key, ProjectionExpression: '#n', ExpressionAttributeNames: { '#n': 'n' } }), { Item: { n: { N: '1' } } });
  assert.deepEqual(db.getItem({ TableName: 'Conn', Key: { connectionId: S('zz'), sk: S('conn') } }), {});
  assert.throws(() => db.getItem({ TableName: 'Conn', Key: { connectionId: S('a') } }), /does not match the schema/);
  assert.throws(() => db.putItem({ TableName: 'Conn', Item: { connectionId: S(''), sk: S('x') } }), /empty string value/);
  assert.throws(() => db.putItem({ TableName: 'Conn', Item: { connectionId: S('a'), sk: S('x'), topic: S('') } }), /secondary index key/);
  assert.throws(() => db.putItem({ TableName: 'Conn', Item: { connectionId: { N: '1' }, sk: S('x') } }), /Type mismatch/);
  assert.throws(() => db.putItem({ TableName: 'Conn', Item: { ...key, bad: { S: 5 } } }), (e) => e.code === 'SerializationException');
  assert.throws(() => db.putItem({ TableName: 'Conn', Item: { ...key, bad: { N: 'ten' } } }), /cannot be converted to a numeric value/);
  assert.throws(() => db.putItem({ TableName: 'Conn', Item: { ...key, two: { S: 'x', N: '1' } } }), /more than one datatypes/);
  assert.throws(() => db.putItem({ TableName: 'Conn', Item: { ...key, big: S('x'.repeat(400 * 1024)) } }), /Item size has exceeded/);
  assert.throws(() => db.putItem({ TableName: 'Nope', Item: {} }), (e) => e.code === 'ResourceNotFoundException');
  assert.deepEqual(db.deleteItem({ TableName: 'Conn', Key: key }), {});
  assert.equal(db.items('Conn').length, 0);
});

test('expressions: unused/undefined names and values, reserved words; what is not emulated says so', () => {
  const db = new DynamoDB(TABLES);
  const key = { connectionId: S('a'), sk: S('conn') };
  assert.throws(() => db.getItem({ TableName: 'Conn', Key: key, ProjectionExpression: '#a', ExpressionAttributeNames: { '#a': 'a', '#b': 'b' } }), /ExpressionAttributeNames unused in expressions: keys: \{#b\}/);
  assert.throws(() => db.query(byTopic('x', { ExpressionAttributeValues: { ':t': S('x'), ':u': S('y') } })), /ExpressionAttributeValues unused in expressions: keys: \{:u\}/);
  assert.throws(() => db.getItem({ TableName: 'Conn', Key: key, ProjectionExpression: '#nope' }), /attribute name used in the document path is not defined/);
  assert.throws(() => db.query(byTopic('x', { KeyConditionExpression: '#t = :nope' })), /not defined; attribute value: :nope/);
  assert.throws(() => db.getItem({ TableName: 'Conn', Key: key, ProjectionExpression: 'status' }), /reserved keyword; reserved keyword: status/);
  assert.throws(() => db.getItem({ TableName: 'Conn', Key: key, ProjectionExpression: 'a.b' }), (e) => e.name === 'NotEmulated');
  assert.throws(() => db.putItem({ TableName: 'Conn', Item: key, ConditionExpression: 'attribute_not_exists(sk)' }), (e) => e.name === 'NotEmulated');
  assert.throws(() => db.putItem({ TableName: 'Conn', Item: { ...key, tags: { SS: ['x'] } } }), (e) => e.name === 'NotEmulated');
});

test('query: key conditions, GSI (sparse), projections, ConsistentRead on a GSI', () => {
  const db = new DynamoDB(TABLES);
  for (const [c, sk, topic] of [['a', 'conn', null], ['a', 'sub#x', 'x'], ['a', 'sub#y', 'y'], ['b', 'sub#x', 'x'], ['b', 'conn', null]]) {
    db.putItem({ TableName: 'Conn', Item: { connectionId: S(c), sk: S(sk), lvl: { N: '1' }, ...(topic ? { topic: S(topic) } : {}) } });
  }
  let r = db.query({ TableName: 'Conn', KeyConditionExpression: '#k = :v AND begins_with(sk, :p)', ExpressionAttributeNames: { '#k': 'connectionId' }, ExpressionAttributeValues: { ':v': S('a'), ':p': S('sub#') }, ConsistentRead: true });
  assert.deepEqual(r.Items.map((i) => i.sk.S), ['sub#x', 'sub#y']);
  assert.deepEqual([r.Count, r.ScannedCount, r.LastEvaluatedKey], [2, 2, undefined]);
  r = db.query(byTopic('x', { ProjectionExpression: 'connectionId' }));
  assert.deepEqual(r.Items, [{ connectionId: S('a') }, { connectionId: S('b') }]);
  assert.deepEqual(db.query(byTopic('x', { IndexName: 'keys-index' })).Items[0], { connectionId: S('a'), sk: S('sub#x'), topic: S('x') });
  assert.equal(db.query(byTopic('x')).Items[0].lvl.N, '1');
  assert.throws(() => db.query(byTopic('x', { ConsistentRead: true })), /Consistent reads are not supported/);
  assert.throws(() => db.query({ TableName: 'Conn', KeyConditionExpression: 'sk = :t', ExpressionAttributeValues: { ':t': S('x') } }), /missed key schema element/);
  assert.throws(() => db.query(byTopic('')), /empty string value/);
  assert.throws(() => db.query(byTopic('x', { Limit: 0 })), /greater than or equal to 1/);
  assert.throws(() => db.query(byTopic('x', { FilterExpression: 'lvl > :t' })), (e) => e.name === 'NotEmulated');
});

test('order: by sort key within a partition (N numerically), GSI ties by table key', () => {
  const db = new DynamoDB(TABLES);
  for (const n of [10, 9, 2, 100, -1]) db.putItem({ TableName: 'Nums', Item: { p: S('p'), n: { N: String(n) } } });
  const nums = (cond, values) => db.query({ TableName: 'Nums', KeyConditionExpression: `p = :p${cond}`, ExpressionAttributeValues: { ':p': S('p'), ...values } }).Items.map((i) => i.n.N);
  assert.deepEqual(nums('', {}), ['-1', '2', '9', '10', '100']);
  assert.deepEqual(nums(' AND n BETWEEN :a AND :b', { ':a': { N: '0' }, ':b': { N: '10' } }), ['2', '9', '10']);
  assert.deepEqual(nums(' AND n >= :a', { ':a': { N: '10' } }), ['10', '100']);
  for (const [c, sk] of [['b', 'sub#2'], ['a', 'sub#9'], ['b', 'sub#1']]) db.putItem({ TableName: 'Conn', Item: { connectionId: S(c), sk: S(sk), topic: S('t') } });
  assert.deepEqual(db.query(byTopic('t')).Items.map((i) => `${i.connectionId.S}:${i.sk.S}`), ['a:sub#9', 'b:sub#1', 'b:sub#2']);
});

test('pagination like DynamoDB: 250 items / Limit 100 = 3 pages; 200 items = 3 pages, the last empty', () => {
  for (const [n, expected] of [[250, [100, 100, 50]], [200, [100, 100, 0]], [99, [99]]]) {
    const db = new DynamoDB(TABLES);
    seed(db, n);
    const sizes = [];
    const seen = new Set();
    let esk;
    do {
      const r = db.query(byTopic('t1', { Limit: 100, ...(esk ? { ExclusiveStartKey: esk } : {}) }));
      sizes.push(r.Items.length);
      r.Items.forEach((i) => seen.add(i.connectionId.S));
      esk = r.LastEvaluatedKey;
      if (esk) assert.deepEqual(Object.keys(esk).sort(), ['connectionId', 'sk', 'topic']);
    } while (esk);
    assert.deepEqual(sizes, expected, `query over ${n}`);
    assert.equal(seen.size, n);
  }
  const db = new DynamoDB(TABLES);
  seed(db, 1);
  assert.throws(() => db.query(byTopic('t1', { ExclusiveStartKey: { connectionId: S('c0000'), sk: S('sub#t1') } })), /starting key is invalid/);
});

test('ExclusiveStartKey of a deleted item still resumes at its position', () => {
  const db = new DynamoDB(TABLES);
  seed(db, 5);
  const p1 = db.query(byTopic('t1', { Limit: 2 }));
  db.deleteItem({ TableName: 'Conn', Key: { connectionId: p1.LastEvaluatedKey.connectionId, sk: p1.LastEvaluatedKey.sk } });
  const p2 = db.query(byTopic('t1', { Limit: 10, ExclusiveStartKey: p1.LastEvaluatedKey }));
  assert.deepEqual(p2.Items.map((i) => i.connectionId.S), ['c0002', 'c0003', 'c0004']);
});

test('GSIs are eventually consistent: writes reach them indexLagMs late; the table itself at once', () => {
  let now = 0;
  const db = new DynamoDB(TABLES, { indexLagMs: 1000, now: () => now });
  const ids = () => db.query(byTopic('t1')).Items.map((i) => i.connectionId.S);
  seed(db, 2);
  assert.deepEqual(ids(), [], 'visible in the index at once');
  assert.equal(db.getItem({ TableName: 'Conn', Key: { connectionId: S('c0000'), sk: S('sub#t1') } }).Item.topic.S, 't1');
  now = 999;
  assert.deepEqual(ids(), []);
  now = 1000;
  assert.deepEqual(ids(), ['c0000', 'c0001']);
  db.deleteItem({ TableName: 'Conn', Key: { connectionId: S('c0000'), sk: S('sub#t1') } });
  db.putItem({ TableName: 'Conn', Item: { connectionId: S('c0001'), sk: S('sub#t1'), topic: S('t2') } });
  now = 1500;
  assert.deepEqual(ids(), ['c0000', 'c0001'], 'a deleted and a moved item are still where they were');
  assert.deepEqual(db.query(byTopic('t2')).Items, []);
  now = 2000;
  assert.deepEqual(ids(), []);
  assert.deepEqual(db.query(byTopic('t2')).Items.map((i) => i.connectionId.S), ['c0001']);
});

test('through Step Functions: optimized vs SDK result shapes and error names; NotEmulated is not caught', async () => {
  const world = new AwsWorld({ tables: TABLES });
  const catchAll = (name, next) => ({ ResultPath: `$.${name}Err`, Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: `$.${name}Err`, Next: next }], Next: next });
  const def = {
    StartAt: 'Put',
    States: {
      Put: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem', Parameters: { TableName: 'Conn', Item: { connectionId: { 'S.$': '$.id' }, sk: { S: 'conn' } } }, ResultPath: '$.put', Next: 'Missing' },
      Missing: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:getItem', Parameters: { TableName: 'Nope', Key: { connectionId: { S: 'a' } } }, ...catchAll('missing', 'Query') },
      Query: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:dynamodb:query', Parameters: { TableName: 'Conn', KeyConditionExpression: 'connectionId = :c', ExpressionAttributeValues: { ':c': { 'S.$': '$.id' } } }, ResultPath: '$.query', Next: 'Bad' },
      Bad: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:dynamodb:query', Parameters: { TableName: 'Conn', KeyConditionExpression: 'connectionId = :c', ExpressionAttributeValues: { ':c': { S: '' } } }, ...catchAll('bad', 'BadOpt') },
      BadOpt: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:getItem', Parameters: { TableName: 'Conn', Key: { connectionId: { S: '' }, sk: { S: 'x' } } }, ...catchAll('badOpt', 'Done') },
      Done: { Type: 'Succeed' },
    },
  };
  const r = await world.run(def, { id: 'c1' });
  assert.equal(r.status, 'SUCCEEDED', JSON.stringify(r.error));
  assert.ok(r.output.put.SdkHttpMetadata, 'optimized integration output carries SdkHttpMetadata');
  assert.equal(r.output.missingErr.Error, 'DynamoDB.ResourceNotFoundException');
  assert.deepEqual(r.output.query, { Items: [{ connectionId: S('c1'), sk: S('conn') }], Count: 1, ScannedCount: 1 }, 'SDK integration output is the bare API response');
  assert.equal(r.output.badErr.Error, 'DynamoDb.DynamoDbException');
  assert.equal(r.output.badOptErr.Error, 'DynamoDB.AmazonDynamoDBException');
  assert.match(r.output.badErr.Cause, /ValidationException/);
  def.States.Put.Parameters.ConditionExpression = 'attribute_not_exists(sk)';
  def.States.Put.Catch = [{ ErrorEquals: ['States.ALL'], Next: 'Done' }];
  const r2 = await world.run(def, { id: 'c2' });
  assert.equal(r2.status, 'FAILED');
  assert.equal(r2.error.Error, 'NotEmulated');
});

test('through Step Functions: a Query pagination loop over 250 subscribers reads 3 pages', async () => {
  const world = new AwsWorld({ tables: TABLES });
  seed(world.ddb, 250, 'news');
  const query = (esk) => ({ Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:dynamodb:query', Parameters: { ...byTopic('news'), ExpressionAttributeValues: { ':t': { 'S.$': '$.topic' } }, Limit: 100, ...esk }, ResultPath: '$.page', Next: 'Count' });
  const def = {
    StartAt: 'Init',
    States: {
      Init: { Type: 'Pass', Parameters: { 'topic.$': '$.topic', pages: 0, total: 0 }, Next: 'First' },
      First: query({}),
      Query: { ...query({ 'ExclusiveStartKey.$': '$.page.LastEvaluatedKey' }), ResultSelector: { 'Count.$': '$.Count', 'LastEvaluatedKey.$': '$.LastEvaluatedKey' } },
      Count: { Type: 'Pass', Parameters: { 'topic.$': '$.topic', 'pages.$': 'States.MathAdd($.pages, 1)', 'total.$': 'States.MathAdd($.total, $.page.Count)', 'page.$': '$.page' }, Next: 'More' },
      More: { Type: 'Choice', Choices: [{ Variable: '$.page.LastEvaluatedKey', IsPresent: true, Next: 'Query' }], Default: 'Done' },
      Done: { Type: 'Succeed' },
    },
  };
  let r = await world.run(def, { topic: 'news' });
  assert.equal(r.status, 'FAILED', 'ResultSelector on a missing LastEvaluatedKey fails the state, like on AWS');
  assert.match(r.error.Cause, /LastEvaluatedKey/);
  // the robust way (the generator's): keep the whole result and test IsPresent on it
  delete def.States.Query.ResultSelector;
  r = await world.run(def, { topic: 'news' });
  assert.equal(r.status, 'SUCCEEDED', JSON.stringify(r.error));
  assert.deepEqual([r.output.pages, r.output.total, r.calls.length], [3, 250, 3]);
});
