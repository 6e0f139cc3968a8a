// Self-tests of the API Gateway, EventBridge and Step Functions emulators and of the world's
// executions (child executions, rules, IAM records).
import test from 'node:test';
import assert from 'node:assert/strict';
import { AwsWorld } from '../services.mjs';
import { historyEvents } from '../harness.mjs';

const post = (extra = {}) => ({
  Type: 'Task',
  Resource: 'arn:${Partition}:states:::apigateway:invoke',
  Parameters: { ApiEndpoint: '${ApiId}.execute-api.us-east-1.amazonaws.com', Method: 'POST', Stage: 'prod', 'Path.$': "States.Format('/@connections/{}', $.id)", 'RequestBody.$': '$.body', AuthType: 'IAM_ROLE' },
  ResultSelector: { 'status.$': '$.StatusCode' },
  ResultPath: '$.res',
  ...extra,
});
const substitutions = { ApiId: 'abc123' };

test('apigateway:invoke: delivery recorded, 410 for a stale connection caught by ErrorEquals ["ApiGateway.410"]', async () => {
  const world = new AwsWorld({ stale: ['stale='] });
  const def = { StartAt: 'Send', States: { Send: post({ Catch: [{ ErrorEquals: ['ApiGateway.410'], ResultPath: '$.gone', Next: 'Gone' }], End: true }), Gone: { Type: 'Pass', End: true } } };
  let r = await world.run(def, { id: 'ok=', body: { msg: 'hi "there"' } }, { substitutions });
  assert.equal(r.status, 'SUCCEEDED');
  assert.equal(r.output.res.status, 200);
  assert.deepEqual(world.deliveries, [{ connectionId: 'ok=', data: '{"msg":"hi \\"there\\""}' }]);
  assert.equal(r.calls[0].request.Path, '/@connections/ok=');
  assert.deepEqual(world.iam[0], { who: 'under-test state Send', role: null, action: 'execute-api:ManageConnections', resource: 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/POST/@connections/ok=' });
  r = await world.run(def, { id: 'stale=', body: 'text' }, { substitutions });
  assert.equal(r.status, 'SUCCEEDED');
  assert.equal(r.output.gone.Error, 'ApiGateway.410');
  assert.equal(world.deliveries.length, 1);
});

test('apigateway:invoke: uncaught 410 fails the execution; States.TaskFailed also catches it; 413 over 128 KB', async () => {
  const world = new AwsWorld({ stale: ['x'] });
  let r = await world.run({ StartAt: 'Send', States: { Send: post({ End: true }) } }, { id: 'x', body: 'text' }, { substitutions });
  assert.equal(r.status, 'FAILED');
  assert.equal(r.error.Error, 'ApiGateway.410');
  const def = { StartAt: 'Send', States: { Send: post({ Retry: [{ ErrorEquals: ['ApiGateway.410'], MaxAttempts: 2 }], Catch: [{ ErrorEquals: ['States.TaskFailed'], Next: 'Caught' }], End: true }), Caught: { Type: 'Pass', End: true } } };
  r = await world.run(def, { id: 'x', body: 'text' }, { substitutions });
  assert.equal(r.status, 'SUCCEEDED');
  assert.equal(r.calls.length, 3, '1 attempt + 2 retries');
  r = await world.run({ StartAt: 'Send', States: { Send: post({ End: true }) } }, { id: 'y', body: 'é'.repeat(64 * 1024 + 1) }, { substitutions });
  assert.equal(r.error.Error, 'ApiGateway.413');
});

test('eventbridge:testEventPattern: Result, InvalidEventPatternException, invalid Event', async () => {
  const world = new AwsWorld();
  const event = { id: '1', account: '123456789012', source: 'app', time: '2024-01-01T00:00:00Z', region: 'us-east-1', resources: [], 'detail-type': 'Order', detail: { price: 12, kind: 'book' } };
  const def = {
    StartAt: 'T',
    States: {
      T: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:eventbridge:testEventPattern', Parameters: { 'Event.$': 'States.JsonToString($.event)', 'EventPattern.$': '$.pattern' }, Catch: [{ ErrorEquals: ['EventBridge.InvalidEventPatternException'], ResultPath: '$.error', Next: 'Bad' }], End: true },
      Bad: { Type: 'Pass', Parameters: { 'invalid.$': '$.error.Cause' }, End: true },
    },
  };
  const run = (pattern, ev = event) => world.run(def, { event: ev, pattern: JSON.stringify(pattern) });
  assert.deepEqual((await run({ detail: { price: [{ numeric: ['>', 10] }] } })).output, { Result: true });
  assert.deepEqual((await run({ detail: { kind: [{ prefix: 'mus' }] } })).output, { Result: false });
  assert.deepEqual((await run({ $or: [{ source: ['x'] }, { 'detail-type': [{ 'equals-ignore-case': 'order' }] }] })).output, { Result: true });
  assert.match((await run({ detail: { kind: [] } })).output.invalid, /^Event pattern is not valid\. Reason: /);
  const r = await run({ source: ['app'] }, { detail: {} });
  assert.equal(r.status, 'FAILED');
  assert.equal(r.error.Error, 'EventBridge.ValidationException');
  // AWS requires `resources` too (an empty array will do)
  const { resources, ...withoutResources } = event;
  assert.equal((await run({ source: ['app'] }, withoutResources)).error?.Error, 'EventBridge.ValidationException');
  assert.deepEqual(world.iam.map((x) => x.action + ' ' + x.resource), Array(6).fill('events:TestEventPattern *'));
});

const ARN = (name) => `arn:aws:states:us-east-1:123456789012:stateMachine:${name}`;
const pass = (result) => ({ StartAt: 'P', States: { P: { Type: 'Pass', Result: result, End: true } } });

test('states:startExecution is asynchronous: the child runs with its own events and calls', async () => {
  const starter = (name, input) => ({ Type: 'Task', Resource: 'arn:aws:states:::states:startExecution', Parameters: { StateMachineArn: ARN(name), 'Input.$': input }, ResultPath: '$.started' });
  const world = new AwsWorld({
    machines: {
      [ARN('parent')]: { name: 'parent', role: 'ParentRole', definition: { StartAt: 'Start', States: { Start: { ...starter('child', '$'), Next: 'Again' }, Again: { ...starter('child', 'States.JsonToString($.n)'), End: true } } } },
      [ARN('child')]: { name: 'child', type: 'EXPRESS', role: 'ChildRole', definition: { StartAt: 'Wait', States: { Wait: { Type: 'Wait', Seconds: 5, Next: 'Done' }, Done: { Type: 'Pass', End: true } } } },
    },
  });
  const parent = await world.run(ARN('parent'), { n: 1 }, { who: 'test', role: 'Caller' });
  assert.equal(parent.status, 'SUCCEEDED', JSON.stringify(parent.error));
  assert.match(parent.output.started.ExecutionArn, /^arn:aws:states:us-east-1:123456789012:execution:child:/);
  await world.settle();
  const children = world.executions.filter((x) => x.parent === parent.arn);
  assert.deepEqual(children.map((x) => [x.machine, x.status, x.input, x.startedBy]), [['child', 'SUCCEEDED', { n: 1 }, 'parent state Start'], ['child', 'SUCCEEDED', 1, 'parent state Again']]);
  assert.deepEqual([historyEvents(parent.events), historyEvents(children[0].events), parent.calls.length, children[0].calls.length], [12, 6, 2, 0]);
  assert.deepEqual(world.iam.map((x) => `${x.who}: ${x.role} ${x.action} ${x.resource.split(':').pop()}`), ['test: Caller states:StartExecution parent', 'parent state Start: ParentRole states:StartExecution child', 'parent state Again: ParentRole states:StartExecution child']);
  const missing = await world.run({ StartAt: 'S', States: { S: { ...starter('nope', '$'), End: true } } }, {});
  assert.equal(missing.error.Error, 'StepFunctions.StateMachineDoesNotExistException');
});

test('putEvents: malformed entries are reported; matching rules start their targets with the transformed input', async () => {
  const rule = (name, pattern, state = 'ENABLED') => ({ name, state, eventBusName: 'bus', pattern, targets: [{ id: 't', arn: ARN('target'), role: 'EventsRole', inputTransformer: { inputTemplate: `{"rule": "<aws.events.rule-name>", "event": <aws.events.event.json>}`, inputPathsMap: {} } }] });
  const world = new AwsWorld({ machines: { [ARN('target')]: { name: 'target', definition: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } } } }, rules: [rule('yes', { source: ['app'] }), rule('no', { source: ['other'] }), rule('off', { source: ['app'] }, 'DISABLED')] });
  const entry = (detail) => ({ Source: 'app', DetailType: 'Push', Detail: detail, EventBusName: 'bus' });
  const out = world.putEvents([entry('{"a":1}'), entry('not json'), entry('[1]')], { who: 'route publish', role: 'ApiRole' });
  assert.equal(out.FailedEntryCount, 2);
  assert.deepEqual(out.Entries.slice(1).map((e) => e.ErrorCode), ['MalformedDetail', 'MalformedDetail']);
  await world.settle();
  assert.deepEqual(world.executions.map((x) => [x.startedBy, x.status, x.input.rule, x.input.event.detail]), [['rule yes target t', 'SUCCEEDED', 'yes', { a: 1 }]]);
  assert.deepEqual(world.published.map((p) => p.event.id), [out.Entries[0].EventId]);
  assert.deepEqual(world.iam.map((x) => `${x.who}: ${x.role} ${x.action} ${x.resource}`).sort(), [...Array(3).fill('route publish: ApiRole events:PutEvents arn:aws:events:us-east-1:123456789012:event-bus/bus'), `rule yes target t: EventsRole states:StartExecution ${ARN('target')}`]);
});
