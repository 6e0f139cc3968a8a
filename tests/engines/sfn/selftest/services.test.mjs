// Self-tests of the API Gateway, EventBridge and Step Functions emulators through state machines.
import test from 'node:test';
import assert from 'node:assert/strict';
import { runMachine } from '../harness.mjs';
import { AwsWorld } from '../services.mjs';

const post = (extra = {}) => ({
  Type: 'Task',
  Resource: 'arn:${Partition}:states:::apigateway:invoke',
  Parameters: { ApiEndpoint: '${ApiId}.execute-api.us-east-1.amazonaws.com', Method: 'POST', Stage: 'prod', 'Path.$': "States.Format('/@connections/{}', $.id)", 'RequestBody.$': '$.body', AuthType: 'IAM_ROLE' },
  ResultSelector: { 'status.$': '$.StatusCode' },
  ResultPath: '$.res',
  ...extra,
});
const subs = { ApiId: 'abc123' };

test('apigateway:invoke: delivery recorded, 410 for a stale connection caught by ErrorEquals ["ApiGateway.410"]', async () => {
  const world = new AwsWorld({ staleConnections: ['stale='] });
  const def = { StartAt: 'Send', States: { Send: post({ Catch: [{ ErrorEquals: ['ApiGateway.410'], ResultPath: '$.gone', Next: 'Gone' }], End: true }), Gone: { Type: 'Pass', End: true } } };
  let r = await runMachine(def, { id: 'ok=', body: { msg: 'hi "there"' } }, { world, substitutions: subs });
  assert.equal(r.status, 'SUCCEEDED');
  assert.equal(r.output.res.status, 200);
  assert.deepEqual(world.deliveries, [{ connectionId: 'ok=', data: '{"msg":"hi \\"there\\""}', via: 'apigateway:invoke' }]);
  assert.equal(r.calls[0].request.Path, '/@connections/ok=');
  assert.equal(r.calls[0].request.AuthType, 'IAM_ROLE');
  r = await runMachine(def, { id: 'stale=', body: {} }, { world, substitutions: subs });
  assert.equal(r.status, 'SUCCEEDED');
  assert.equal(r.output.gone.Error, 'ApiGateway.410');
  assert.equal(world.deliveries.length, 1);
});

test('apigateway:invoke: uncaught 410 fails the execution with Error ApiGateway.410; States.TaskFailed also catches it', async () => {
  const world = new AwsWorld({ staleConnections: ['x'] });
  let r = await runMachine({ StartAt: 'Send', States: { Send: post({ End: true }) } }, { id: 'x', body: 'text' }, { world, substitutions: subs });
  assert.equal(r.status, 'FAILED');
  assert.equal(r.error.Error, 'ApiGateway.410');
  const def = { StartAt: 'Send', States: { Send: post({ Retry: [{ ErrorEquals: ['ApiGateway.410'], MaxAttempts: 2 }], Catch: [{ ErrorEquals: ['States.TaskFailed'], Next: 'Caught' }], End: true }), Caught: { Type: 'Pass', End: true } } };
  r = await runMachine(def, { id: 'x', body: 'text' }, { world, substitutions: subs });
  assert.equal(r.status, 'SUCCEEDED');
  assert.equal(r.calls.length, 3, '1 attempt + 2 retries');
});

test('apigateway:invoke: DELETE /@connections marks the connection gone; string bodies are sent raw', async () => {
  const world = new AwsWorld();
  const def = {
    StartAt: 'Send',
    States: {
      Send: post({ Next: 'Kick' }),
      Kick: { ...post(), Parameters: { ...post().Parameters, Method: 'DELETE' }, ResultSelector: undefined, ResultPath: null, Next: 'Again' },
      Again: post({ Catch: [{ ErrorEquals: ['ApiGateway.410'], Next: 'Done' }], End: true }),
      Done: { Type: 'Succeed' },
    },
  };
  delete def.States.Kick.ResultSelector;
  delete def.States.Kick.Parameters['RequestBody.$'];
  const r = await runMachine(def, { id: 'c1', body: 'plain text' }, { world, substitutions: subs });
  assert.equal(r.status, 'SUCCEEDED', JSON.stringify(r.error));
  assert.deepEqual(world.deliveries.map((d) => d.data), ['plain text']);
  assert.deepEqual(r.calls.map((c) => c.error?.name ?? 'ok'), ['ok', 'ok', 'ApiGateway.410']);
});

test('aws-sdk:apigatewaymanagementapi:postToConnection: GoneException name', async () => {
  const world = new AwsWorld({ staleConnections: ['g'] });
  const def = { StartAt: 'P', States: { P: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:apigatewaymanagementapi:postToConnection', Parameters: { 'ConnectionId.$': '$.id', Data: 'x' }, Catch: [{ ErrorEquals: ['ApiGatewayManagementApi.GoneException'], Next: 'G' }], End: true }, G: { Type: 'Fail', Error: 'WasGone' } } };
  const r = await runMachine(def, { id: 'g' }, { world });
  assert.equal(r.error.Error, 'WasGone');
});

test('eventbridge:testEventPattern: Result, InvalidEventPatternException, invalid Event', async () => {
  const world = new AwsWorld();
  const event = { id: '1', account: '123456789012', source: 'app', time: '2024-01-01T00:00:00Z', region: 'us-east-1', resources: [], 'detail-type': 'Order', detail: { price: 12, kind: 'book' } };
  const def = {
    StartAt: 'T',
    States: {
      T: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:eventbridge:testEventPattern', Parameters: { 'Event.$': 'States.JsonToString($.event)', 'EventPattern.$': '$.pattern' }, Catch: [{ ErrorEquals: ['EventBridge.InvalidEventPatternException'], Next: 'Bad' }], End: true },
      Bad: { Type: 'Pass', Result: 'invalid', End: true },
    },
  };
  const run = (pattern, ev = event) => runMachine(def, { event: ev, pattern: JSON.stringify(pattern) }, { world });
  assert.deepEqual((await run({ detail: { price: [{ numeric: ['>', 10] }] } })).output, { Result: true });
  assert.deepEqual((await run({ detail: { kind: [{ prefix: 'mus' }] } })).output, { Result: false });
  assert.deepEqual((await run({ $or: [{ source: ['x'] }, { 'detail-type': [{ 'equals-ignore-case': 'order' }] }] })).output, { Result: true });
  assert.equal((await run({ detail: { kind: [] } })).output, 'invalid');
  const r = await run({ source: ['app'] }, { detail: {} });
  assert.equal(r.status, 'FAILED');
  assert.equal(r.error.Error, 'EventBridge.ValidationException');
});

test('putEvents: optimized stringifies Detail and fails with EventBridge.FailedEntry on a bad entry; SDK reports FailedEntryCount', async () => {
  const world = new AwsWorld();
  const mk = (resource, detail) => ({ StartAt: 'P', States: { P: { Type: 'Task', Resource: resource, Parameters: { Entries: [{ Source: 'app', DetailType: 'Push', 'Detail.$': detail, EventBusName: 'bus' }] }, End: true } } });
  let r = await runMachine(mk('arn:aws:states:::events:putEvents', '$.d'), { d: { a: 1 } }, { world });
  assert.equal(r.status, 'SUCCEEDED');
  assert.equal(r.output.FailedEntryCount, 0);
  assert.deepEqual(r.calls[0].events.map((e) => e.Detail), ['{"a":1}']);
  r = await runMachine(mk('arn:aws:states:::events:putEvents', '$.d'), { d: 'not json' }, { world });
  assert.equal(r.error.Error, 'EventBridge.FailedEntry');
  r = await runMachine(mk('arn:aws:states:::aws-sdk:eventbridge:putEvents', '$.d'), { d: { a: 1 } }, { world });
  assert.equal(r.output.FailedEntryCount, 1, 'the SDK integration needs Detail as a JSON string');
  r = await runMachine(mk('arn:aws:states:::aws-sdk:eventbridge:putEvents', 'States.JsonToString($.d)'), { d: { a: 1 } }, { world });
  assert.equal(r.output.FailedEntryCount, 0);
});

test('states:startExecution variants are recorded; the SDK one requires a string Input', async () => {
  const started = [];
  const world = new AwsWorld({ startExecution: async (x) => (started.push(x), { child: 'done' }) });
  const mk = (resource, input) => ({ StartAt: 'S', States: { S: { Type: 'Task', Resource: resource, Parameters: { StateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:child', 'Input.$': input }, End: true } } });
  let r = await runMachine(mk('arn:aws:states:::states:startExecution', '$'), { a: 1 }, { world });
  assert.match(r.output.ExecutionArn, /:execution:child:/);
  r = await runMachine(mk('arn:aws:states:::states:startExecution.sync:2', '$'), { a: 1 }, { world });
  assert.deepEqual(r.output.Output, { child: 'done' });
  r = await runMachine(mk('arn:aws:states:::aws-sdk:sfn:startExecution', '$'), { a: 1 }, { world });
  assert.equal(r.status, 'FAILED');
  assert.equal(r.error.Error, 'States.Runtime');
  r = await runMachine(mk('arn:aws:states:::aws-sdk:sfn:startExecution', 'States.JsonToString($)'), { a: 1 }, { world });
  assert.equal(r.status, 'SUCCEEDED');
  assert.deepEqual(started.map((s) => s.Input), ['{"a":1}', '{"a":1}', '{"a":1}']);
});
