// In-memory AWS for the engine tests: the Task resources the generated state machines call, the
// executions of the stack's state machines (each with its own event log and calls) and EventBridge
// rules that start them.
//
//   const world = new AwsWorld({ tables, machines: { [arn]: { name, definition, substitutions, role, type } },
//     rules, stale: ['c3'], iam: [] });
//   const x = await world.run(arnOrDefinition, input);   // x = { status, output, error, events, calls, ... }
//   world.start(arn, input, { who, role }); await world.settle();   // asynchronous starts
//   await world.putEvents(entries, { who, role });   // EventBridge: rules -> target executions
//
// Every Task call is recorded in world.calls (and the execution's calls): {execution, state, resource,
// service, action, input, output|error}; every IAM permission a call needs in world.iam:
// {who, role, action, resource}; every execution in world.executions: {arn, name, machine, type,
// role, input, parent, startedBy, status, output, error, events, calls, done}.
//
// Emulated Task resources (arn:aws:states:::<key>); anything else throws NotEmulated. To emulate a
// new one, add an entry to TASKS: { service, run(world, params, call, execution), iam(params) }.
//   dynamodb:putItem|getItem|deleteItem (optimized), aws-sdk:dynamodb:query   -> dynamodb.mjs
//   apigateway:invoke           POST /@connections/{id}: delivery, 410 for stale connections, 413 over 128 KB
//   aws-sdk:eventbridge:testEventPattern   the Rust matcher (pattern-rust.mjs)
//   states:startExecution       asynchronous: starts a child execution of a machine of the world
//   sqs:sendMessage             appends the message to world.queues[QueueUrl] (256 KiB limit)
//
// Faults: world.fail(predicate(call), error(call), times) makes the next `times` calls the
// predicate selects throw error(call) instead of running (e.g. a throttled Query, a POST answering
// 500, a StartExecution over the account's limit); each injected failure is marked call.injected.
//
// Error names (what ErrorEquals sees) follow the Step Functions conventions:
//   * optimized integrations: "<Service>.<ModeledException>", e.g. DynamoDB.ResourceNotFoundException;
//     DynamoDB errors that the (Java SDK v1) client does not model, such as ValidationException,
//     surface as DynamoDB.AmazonDynamoDBException.
//   * AWS SDK integrations: "<ServiceName>.<ExceptionName>", both PascalCase as in the Java SDK v2
//     (docs: "AcmPca.ResourceNotFoundException"): unmodeled DynamoDB errors -> DynamoDb.DynamoDbException;
//     EventBridge.InvalidEventPatternException.
//   * apigateway:invoke with a non-2xx status: "ApiGateway.<status>", e.g. ApiGateway.410, Cause =
//     the response body.
// The Cause of every error is a JSON/text description, like the real ones (not byte-identical).

import { randomUUID } from 'node:crypto';
import { DynamoDB, DynamoError } from './dynamodb.mjs';
import { runMachine, NotEmulated, PAYLOAD_LIMIT } from './harness.mjs';
import { watch, clock as setClock } from './faults.mjs';
import { testEventPattern } from './pattern-rust.mjs';

const REGION = 'us-east-1';
const ACCOUNT = '123456789012';

export class TaskError extends Error {
  constructor(name, cause) {
    super(typeof cause === 'string' ? cause : JSON.stringify(cause));
    this.name = name;
  }
}

const SDK_META = () => ({
  SdkHttpMetadata: { AllHttpHeaders: { 'Content-Type': ['application/x-amz-json-1.0'] }, HttpHeaders: { 'Content-Type': 'application/x-amz-json-1.0' }, HttpStatusCode: 200 },
  SdkResponseMetadata: { RequestId: randomUUID() },
});

function requireString(params, field, service) {
  if (typeof params?.[field] !== 'string') {
    throw new TaskError(`${service}.ValidationException`, `1 validation error detected: Value at '${field}' failed to satisfy constraint: Member must not be null and must be a string (got ${JSON.stringify(params?.[field])?.slice(0, 80)})`);
  }
  return params[field];
}

const MODELED_DDB = new Set(['ConditionalCheckFailedException', 'ResourceNotFoundException', 'ProvisionedThroughputExceededException', 'ItemCollectionSizeLimitExceededException', 'TransactionConflictException', 'RequestLimitExceeded', 'InternalServerErrorException']);

function dynamo(action, sdk) {
  return {
    service: sdk ? 'aws-sdk:dynamodb' : 'dynamodb',
    run(world, params) {
      try {
        const out = world.ddb[action](structuredClone(params ?? {}));
        return sdk ? out : { ...out, ...SDK_META() };
      } catch (e) {
        if (!(e instanceof DynamoError)) throw e;
        const name = MODELED_DDB.has(e.code) ? `${sdk ? 'DynamoDb' : 'DynamoDB'}.${e.code}` : sdk ? 'DynamoDb.DynamoDbException' : 'DynamoDB.AmazonDynamoDBException';
        throw new TaskError(name, `${e.message} (Service: DynamoDb, Status Code: 400, Error Code: ${e.code})`);
      }
    },
    // The condition key dynamodb:LeadingKeys: the partition key value a single-item call names.
    iam: (p, world) => {
      const hashKey = world.ddb.tables.get(p.TableName)?.hashKey;
      const lead = (p.Item ?? p.Key)?.[hashKey];
      const context = lead && typeof lead === 'object' && 'S' in lead ? { 'dynamodb:LeadingKeys': [lead.S] } : {};
      return [{ action: `dynamodb:${action[0].toUpperCase()}${action.slice(1)}`, resource: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${p.TableName}${p.IndexName ? `/index/${p.IndexName}` : ''}`, context }];
    },
  };
}

const TASKS = {
  'dynamodb:putItem': dynamo('putItem'),
  'dynamodb:getItem': dynamo('getItem'),
  'dynamodb:deleteItem': dynamo('deleteItem'),
  'aws-sdk:dynamodb:query': dynamo('query', true),

  'apigateway:invoke': {
    service: 'apigateway',
    run(world, p, call) {
      const endpoint = requireString(p, 'ApiEndpoint', 'ApiGateway');
      const method = requireString(p, 'Method', 'ApiGateway');
      if (!/^[a-z0-9]+\.execute-api\.[a-z0-9-]+\.amazonaws\.com$/.test(endpoint)) throw new TaskError('States.Runtime', `ApiEndpoint must be <api-id>.execute-api.<region>.amazonaws.com, got ${endpoint}`);
      for (const f of ['Stage', 'Path']) if (p[f] !== undefined && typeof p[f] !== 'string') throw new TaskError('States.Runtime', `${f} must be a string`);
      const id = /^\/?@connections\/([^/?]+)$/.exec(p.Path ?? '/')?.[1];
      if (method !== 'POST' || !id) throw new NotEmulated(`apigateway:invoke ${method} ${p.Path}`);
      const data = typeof p.RequestBody === 'string' ? p.RequestBody : JSON.stringify(p.RequestBody ?? '');
      call.request = { ApiEndpoint: endpoint, Method: method, Stage: p.Stage, Path: p.Path, AuthType: p.AuthType };
      let connectionId = id;
      try {
        connectionId = decodeURIComponent(id);
      } catch {}
      if (world.stale.has(connectionId)) throw new TaskError('ApiGateway.410', JSON.stringify({ message: 'Gone' }));
      if (Buffer.byteLength(data, 'utf8') > 128 * 1024) throw new TaskError('ApiGateway.413', JSON.stringify({ message: 'Request Entity Too Large' }));
      call.delivery = { connectionId, data };
      return { Headers: { 'Content-Type': ['application/json'], 'x-amzn-RequestId': [randomUUID()] }, ResponseBody: {}, StatusCode: 200, StatusText: 'OK' };
    },
    iam: (p) => [{ action: 'execute-api:ManageConnections', resource: `arn:aws:execute-api:${REGION}:${ACCOUNT}:${String(p.ApiEndpoint).split('.')[0]}/${p.Stage ?? '$default'}/${p.Method}${String(p.Path).startsWith('/') ? '' : '/'}${p.Path}` }],
  },

  'aws-sdk:eventbridge:testEventPattern': {
    service: 'aws-sdk:eventbridge',
    run(world, p) {
      const pattern = requireString(p, 'EventPattern', 'EventBridge');
      const eventText = requireString(p, 'Event', 'EventBridge');
      let event;
      try {
        event = JSON.parse(eventText);
      } catch {}
      // AWS requires every one of these fields, `resources` (an array, possibly empty) included:
      // https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_TestEventPattern.html
      if (!event || typeof event !== 'object' || Array.isArray(event) || !['id', 'account', 'source', 'time', 'region', 'resources', 'detail-type'].every((f) => f in event) || !Array.isArray(event.resources)) {
        throw new TaskError('EventBridge.ValidationException', 'Parameter Event is not valid.');
      }
      try {
        return { Result: testEventPattern(pattern, eventText) };
      } catch (e) {
        throw e.name === 'InvalidEventPatternException' ? new TaskError('EventBridge.InvalidEventPatternException', e.message) : e;
      }
    },
    iam: () => [{ action: 'events:TestEventPattern', resource: '*' }],
  },

  'sqs:sendMessage': {
    service: 'sqs',
    run(world, p) {
      const url = requireString(p, 'QueueUrl', 'SQS');
      if (p.MessageBody === undefined || p.MessageBody === null) throw new TaskError('SQS.AmazonSQSException', 'The request must contain the parameter MessageBody. (Service: AmazonSQS; Status Code: 400; Error Code: MissingParameter)');
      const body = typeof p.MessageBody === 'string' ? p.MessageBody : JSON.stringify(p.MessageBody);
      // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-messages.html
      if (Buffer.byteLength(body, 'utf8') > 262144) throw new TaskError('SQS.AmazonSQSException', `One or more parameters are invalid. Reason: Message must be shorter than 262144 bytes. (Error Code: InvalidParameterValue)`);
      const id = randomUUID();
      (world.queues[url] ??= []).push({ MessageId: id, Body: body });
      return { MessageId: id, MD5OfMessageBody: '0'.repeat(32), ...SDK_META() };
    },
    iam: (p) => [{ action: 'sqs:SendMessage', resource: `arn:aws:sqs:${REGION}:${ACCOUNT}:${String(p.QueueUrl).split('/').pop()}` }],
  },

  'states:startExecution': {
    service: 'states',
    run(world, p, call, parent) {
      const arn = requireString(p, 'StateMachineArn', 'StepFunctions');
      let input = p.Input ?? '{}';
      if (typeof input !== 'string') input = JSON.stringify(input);
      try {
        JSON.parse(input);
      } catch {
        throw new TaskError('StepFunctions.InvalidExecutionInputException', 'Invalid State Machine Execution Input: not valid JSON');
      }
      if (Buffer.byteLength(input, 'utf8') > PAYLOAD_LIMIT) throw new TaskError('StepFunctions.InvalidExecutionInputException', `Execution input exceeds ${PAYLOAD_LIMIT} bytes`);
      if (p.Name !== undefined && !/^[A-Za-z0-9_-]{1,80}$/.test(p.Name)) throw new TaskError('StepFunctions.InvalidNameException', `Invalid Name: ${p.Name}`);
      if (!world.machines[arn]) throw new TaskError('StepFunctions.StateMachineDoesNotExistException', `State Machine Does Not Exist: '${arn}'`);
      // A Standard execution's name is unique for 90 days: the same name and input return the
      // execution that exists (a retried start is idempotent); another input is refused.
      // Express executions are not deduplicated by name.
      // https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html
      const same = p.Name !== undefined && (world.machines[arn].type ?? 'STANDARD') === 'STANDARD' ? world.named.get(`${arn}|${p.Name}`) : undefined;
      if (same) {
        if (JSON.stringify(same.input) !== JSON.stringify(JSON.parse(input))) throw new TaskError('StepFunctions.ExecutionAlreadyExistsException', `Execution Already Exists: '${same.arn}'`);
        call.deduplicated = true;
        return { ExecutionArn: same.arn, StartDate: same.startDate, ...SDK_META() };
      }
      const child = world.start(arn, JSON.parse(input), { name: p.Name, parent: parent.arn, startedBy: `${parent.machine} state ${call.state}`, clock: parent.clock });
      return { ExecutionArn: child.arn, StartDate: child.startDate, ...SDK_META() };
    },
    iam: (p) => [{ action: 'states:StartExecution', resource: p.StateMachineArn }],
  },
};

export class AwsWorld {
  /**
   * `indexLagMs`: how late DynamoDB writes reach global secondary indexes (dynamodb.mjs), by the
   * world's clock: virtual milliseconds, `clock` at the start, moved only by `advance(ms)`.
   */
  constructor({ tables = {}, machines = {}, rules = [], eventBuses = {}, stale = [], iam = [], indexLagMs = 0, clock = 0 } = {}) {
    this.clock = clock;
    this.indexLagMs = indexLagMs;
    this.ddb = new DynamoDB(tables, { indexLagMs, now: () => this.clock });
    this.machines = machines;
    this.rules = rules;
    this.eventBuses = eventBuses; // name -> ARN
    this.stale = new Set(stale); // connection ids answering 410 Gone
    this.iam = iam;
    this.calls = [];
    this.executions = [];
    this.published = []; // {bus, event} accepted by PutEvents
    this.pending = new Set();
    this.queues = {}; // SQS queue URL -> [{MessageId, Body}]
    this.faults = [];
    this.stateFaults = [];
    this.named = new Map(); // Standard executions by machine ARN and name: name dedupe
    /** Virtual milliseconds a Task call takes (its execution's clock moves on by it). */
    this.latency = () => 0;
  }

  /** Moves the world's clock on by `ms` (virtual milliseconds). */
  advance(ms) {
    this.clock += ms;
  }

  /**
   * The next `times` calls `select` picks fail with `error(call)` (an Error with an ASL name);
   * with `after`, the call is made first and its answer lost (a start that succeeded but whose
   * answer never came back, so the caller retries).
   */
  fail(select, error, times = Infinity, { after = false } = {}) {
    this.faults.push({ select, error, left: times, after });
  }

  /**
   * The next `times` states `select({machine, execution, state, type, input})` picks fail with
   * `error(state)` (an Error with an ASL name) as they start: any state, not only Task calls.
   */
  failState(select, error, times = Infinity) {
    this.stateFaults.push({ select, error, left: times });
  }

  /** Messages of a queue (by the end of its URL, e.g. 'UndeliveredQueue'), bodies parsed. */
  messages(queue) {
    const url = Object.keys(this.queues).find((u) => u.endsWith(`-${queue}`) || u.endsWith(`/${queue}`));
    return (this.queues[url] ?? []).map((m) => JSON.parse(m.Body));
  }

  /** Messages delivered to WebSocket clients: [{connectionId, data (string)}] */
  get deliveries() {
    return this.calls.filter((c) => c.delivery && !c.error).map((c) => c.delivery);
  }

  handlerFor(state, resource, execution) {
    const key = /^arn:aws[a-z-]*:states:::(.+)$/.exec(resource ?? '')?.[1];
    const task = TASKS[key];
    if (!task) throw new NotEmulated(`Task resource ${resource} (state "${state}")`);
    return async (input) => {
      const call = { execution: execution.arn, state, resource, service: task.service, action: key.split(':').pop(), input: structuredClone(input) };
      this.calls.push(call);
      execution.calls.push(call);
      for (const req of task.iam(input ?? {}, this)) this.iam.push({ who: `${execution.machine} state ${state}`, role: execution.role, ...req });
      try {
        const fault = this.faults.find((f) => f.left > 0 && f.select(call));
        if (fault && !fault.after) {
          fault.left--;
          call.injected = true;
          throw fault.error(call);
        }
        execution.clock += this.latency(call);
        call.output = await task.run(this, input, call, execution);
        if (fault) {
          fault.left--;
          call.injected = true;
          call.answerLost = true;
          throw fault.error(call);
        }
        return call.output;
      } catch (e) {
        call.error = { name: e.name, message: e.message };
        throw e;
      }
    };
  }

  /**
   * Start an execution of a machine of the world (by ARN) or of a definition; returns its record at
   * once (x.done settles when it ends). `who` and `role` record the caller's states:StartExecution.
   */
  start(target, input, { name = randomUUID(), parent = null, startedBy = null, who, role, substitutions, clock = this.clock } = {}) {
    const m = typeof target === 'string' && target.startsWith('arn:') ? this.machines[target] : { definition: target, substitutions, name: 'under-test', role: null };
    if (!m) throw new Error(`${target} is not a state machine of the stack`);
    const smArn = typeof target === 'string' && target.startsWith('arn:') ? target : `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${m.name}`;
    if (who) this.iam.push({ who, role, action: 'states:StartExecution', resource: smArn });
    const arn = `${smArn.replace(':stateMachine:', ':execution:')}:${name}`;
    const x = { arn, name, machine: m.name, type: m.type ?? 'STANDARD', role: m.role, input, parent, startedBy: startedBy ?? who ?? null, startDate: clock, clock, status: 'RUNNING', calls: [], events: [] };
    this.executions.push(x);
    if (x.type === 'STANDARD') this.named.set(`${smArn}|${name}`, x);
    const stopClock = setClock(arn, () => x.clock);
    const context = {
      Execution: { Id: arn, Name: name, Input: input, StartTime: new Date(x.startDate).toISOString(), RoleArn: `arn:aws:iam::${ACCOUNT}:role/${m.role ?? 'sfn'}` },
      StateMachine: { Id: smArn, Name: m.name },
    };
    const unwatch = watch(arn, (state, type, stateInput) => {
      const fault = this.stateFaults.find((f) => f.left > 0 && f.select({ machine: m.name, execution: arn, state, type, input: stateInput }));
      if (!fault) return;
      fault.left--;
      throw fault.error(state);
    });
    x.done = runMachine(m.definition, input, { substitutions: m.substitutions, context, handlerFor: (state, resource) => this.handlerFor(state, resource, x) })
      .finally(() => {
        unwatch();
        stopClock();
      })
      .catch((e) => ({ status: 'FAILED', output: null, error: { Error: e.name, Cause: e.message }, events: [] }))
      .then((r) => Object.assign(x, r));
    this.pending.add(x.done);
    x.done.finally(() => this.pending.delete(x.done));
    return x;
  }

  /** Start and wait for the execution (not for executions it starts). */
  async run(target, input, opts) {
    const x = this.start(target, input, opts);
    await x.done;
    return x;
  }

  /** Wait until no execution is running (children included). */
  async settle() {
    while (this.pending.size) await Promise.all([...this.pending]);
  }

  // ------------------------------------------------------------------------ EventBridge

  busArn(nameOrArn = 'default') {
    return nameOrArn.startsWith('arn:') ? nameOrArn : this.eventBuses[nameOrArn] ?? `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/${nameOrArn}`;
  }

  /** PutEvents: validates the entries, records the events and sends them to the rules of their bus. */
  putEvents(entries, { who, role } = {}) {
    if (!Array.isArray(entries) || entries.length < 1 || entries.length > 10) throw new Error(`PutEvents needs 1..10 Entries, got ${JSON.stringify(entries)?.slice(0, 80)}`);
    const results = entries.map((e) => {
      if (who) this.iam.push({ who, role, action: 'events:PutEvents', resource: this.busArn(e.EventBusName) });
      let detail;
      try {
        detail = JSON.parse(e.Detail);
      } catch {}
      if (typeof e.Source !== 'string' || typeof e.DetailType !== 'string' || !detail || typeof detail !== 'object' || Array.isArray(detail)) return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
      if (Buffer.byteLength(e.Detail) + Buffer.byteLength(e.Source) + Buffer.byteLength(e.DetailType) > PAYLOAD_LIMIT) return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Total size of the entries in the request is over the limit.' };
      const event = { version: '0', id: randomUUID(), 'detail-type': e.DetailType, source: e.Source, account: ACCOUNT, time: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), region: REGION, resources: e.Resources ?? [], detail };
      this.sendEvent(event, (e.EventBusName ?? 'default').split('/').pop());
      return { EventId: event.id };
    });
    return { Entries: results, FailedEntryCount: results.filter((r) => r.ErrorCode).length };
  }

  /** An event on a bus: every enabled rule of the bus that matches starts its targets. */
  sendEvent(event, bus) {
    this.published.push({ bus, event });
    for (const rule of this.rules) {
      if (rule.state !== 'ENABLED' || rule.eventBusName.split('/').pop() !== bus || !testEventPattern(JSON.stringify(rule.pattern), JSON.stringify(event))) continue;
      for (const t of rule.targets) {
        if (!this.machines[t.arn]) throw new Error(`rule ${rule.name}: target ${t.arn} is not a state machine of the stack`);
        this.start(t.arn, targetInput(t, event, rule), { who: `rule ${rule.name} target ${t.id}`, role: t.role });
      }
    }
  }
}

/**
 * The input EventBridge gives a target: the event, or its InputTransformer's template filled in.
 * A placeholder outside quotes becomes the JSON of its value (an InputPathsMap path such as
 * `$.detail-type`, or a predefined variable); inside quotes, its text.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html
 */
function targetInput(target, event, rule) {
  const tr = target.inputTransformer;
  if (target.input !== undefined || target.inputPath) throw new NotEmulated(`rule ${rule.name}: Input and InputPath`);
  if (!tr) return event;
  const at = (path) => {
    const m = /^\$((?:\.[A-Za-z0-9_-]+)+)$/.exec(path);
    if (!m) throw new NotEmulated(`rule ${rule.name}: InputPathsMap path ${path}`);
    return m[1].slice(1).split('.').reduce((v, k) => (v && typeof v === 'object' ? v[k] : undefined), event);
  };
  const values = {
    'aws.events.event.json': event,
    'aws.events.rule-arn': `arn:aws:events:${REGION}:${ACCOUNT}:rule/${rule.name}`,
    'aws.events.rule-name': rule.name,
    'aws.events.event.ingestion-time': event.time,
  };
  for (const [name, path] of Object.entries(tr.inputPathsMap ?? {})) values[name] = at(path);
  const text = tr.inputTemplate.replace(/("?)<([A-Za-z0-9_.-]+)>("?)/g, (m, open, name, close) => {
    if (!(name in values)) return m;
    const v = values[name];
    if (open && close) return JSON.stringify(typeof v === 'string' ? v : JSON.stringify(v));
    return `${open}${v === undefined ? 'null' : JSON.stringify(v)}${close}`;
  });
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`rule ${rule.name}: InputTemplate does not produce JSON (${e.message}): ${text.slice(0, 200)}`);
  }
}
