// Generic in-memory AWS service emulators for Step Functions Task states, selected by the Task's
// `Resource` ARN. Used by harness.mjs through aws-local-stepfunctions' taskResourceLocalHandlers.
//
//   const world = new AwsWorld({ tables: { Conn: { hashKey: 'connectionId', rangeKey: 'sk',
//     gsis: { 'topic-index': { hashKey: 'topic', rangeKey: 'connectionId' } } } },
//     staleConnections: ['c3'] });
//   const handler = world.handlerFor('Put', 'arn:aws:states:::dynamodb:putItem');
//
// Every call is recorded in world.calls: {state, resource, service, action, input, output?, error?}.
//
// Supported resources (after ${Name} substitution, see resolveResource):
//   DynamoDB optimized  arn:aws:states:::dynamodb:putItem|getItem|deleteItem|updateItem
//   DynamoDB SDK        arn:aws:states:::aws-sdk:dynamodb:query|scan|putItem|deleteItem|updateItem|
//                       getItem|batchWriteItem|batchGetItem
//   API Gateway         arn:aws:states:::apigateway:invoke  (POST/GET/DELETE /@connections/{id})
//   ApiGwManagementApi  arn:aws:states:::aws-sdk:apigatewaymanagementapi:postToConnection|
//                       deleteConnection|getConnection
//   EventBridge         arn:aws:states:::aws-sdk:eventbridge:testEventPattern
//                       arn:aws:states:::events:putEvents (optimized), aws-sdk:eventbridge:putEvents
//   Step Functions      arn:aws:states:::states:startExecution[.sync|.sync:2],
//                       arn:aws:states:::aws-sdk:sfn:startExecution|startSyncExecution
// Anything else throws UnsupportedResource naming the state.
//
// Error names (what ErrorEquals sees) follow the Step Functions conventions:
//   * optimized integrations: "<Service>.<ModeledException>", e.g. DynamoDB.ConditionalCheckFailedException,
//     DynamoDB.ResourceNotFoundException; DynamoDB errors that the (Java SDK v1) client does not model,
//     such as ValidationException, surface as DynamoDB.AmazonDynamoDBException.
//   * AWS SDK integrations: "<ServiceName>.<ExceptionName>", both PascalCase as in the Java SDK v2
//     (docs: "AcmPca.ResourceNotFoundException"): DynamoDb.ConditionalCheckFailedException,
//     unmodeled -> DynamoDb.DynamoDbException; EventBridge.InvalidEventPatternException;
//     ApiGatewayManagementApi.GoneException; Sfn.ExecutionAlreadyExistsException.
//   * apigateway:invoke with a non-2xx status: "ApiGateway.<status>", e.g. ApiGateway.410, Cause =
//     the response body.
//   * events:putEvents (optimized) with FailedEntryCount > 0: EventBridge.FailedEntry.
// The Cause of every error is a JSON/text description, like the real ones (not byte-identical).
// Thrown errors are plain Errors whose `name` is the ASL error name: aws-local-stepfunctions
// matches Retry/Catch ErrorEquals against error.name (and States.ALL / States.TaskFailed match any
// error thrown by a Task), and the Catch output is {Error: name, Cause: message}.

import { randomUUID } from 'node:crypto';
import { DynamoDB, DynamoError } from './dynamodb.mjs';
import { standinMatcher } from './pattern-standin.mjs';

export class TaskError extends Error {
  constructor(name, cause) {
    super(typeof cause === 'string' ? cause : JSON.stringify(cause));
    this.name = name;
  }
}

export class UnsupportedResource extends Error {
  constructor(state, resource) {
    super(`state "${state}": unsupported Task resource ${resource} (no emulator in tests/engines/sfn/services.mjs)`);
    this.name = 'UnsupportedResource';
  }
}

/** Replace ${Name} placeholders. Partition defaults to "aws". Throws on unresolved placeholders. */
export function substitute(text, substitutions = {}) {
  const subs = { Partition: 'aws', ...substitutions };
  const missing = new Set();
  const out = text.replace(/\$\{([A-Za-z0-9_.:-]+)\}/g, (m, name) => {
    if (name in subs) return String(subs[name]);
    missing.add(name);
    return m;
  });
  if (missing.size) throw new Error(`unresolved placeholder(s): ${[...missing].map((n) => '${' + n + '}').join(', ')}`);
  return out;
}

export function resolveResource(arn, substitutions) {
  return substitute(arn, substitutions);
}

const SDK_META = () => ({
  SdkHttpMetadata: { AllHttpHeaders: { 'Content-Type': ['application/x-amz-json-1.0'] }, HttpHeaders: { 'Content-Type': 'application/x-amz-json-1.0' }, HttpStatusCode: 200 },
  SdkResponseMetadata: { RequestId: randomUUID() },
});

const MODELED_DDB = new Set([
  'ConditionalCheckFailedException',
  'ResourceNotFoundException',
  'ProvisionedThroughputExceededException',
  'ItemCollectionSizeLimitExceededException',
  'TransactionConflictException',
  'RequestLimitExceeded',
  'InternalServerErrorException',
]);

function ddbErrorName(err, sdk) {
  if (!(err instanceof DynamoError)) throw err;
  const svc = sdk ? 'DynamoDb' : 'DynamoDB';
  if (MODELED_DDB.has(err.code)) return `${svc}.${err.code}`;
  return sdk ? 'DynamoDb.DynamoDbException' : 'DynamoDB.AmazonDynamoDBException';
}

function requireString(params, field, service) {
  if (typeof params?.[field] !== 'string') {
    throw new TaskError(`${service}.ValidationException`, `1 validation error detected: Value at '${field}' failed to satisfy constraint: Member must not be null and must be a string (got ${JSON.stringify(params?.[field])?.slice(0, 80)})`);
  }
  return params[field];
}

const MAX_PAYLOAD = 256 * 1024;
const EVENT_FIELDS = ['id', 'account', 'source', 'time', 'region', 'detail-type'];

export class AwsWorld {
  /**
   * @param {object} opts
   * @param {object} [opts.tables] DynamoDB table declarations (see dynamodb.mjs)
   * @param {Iterable<string>} [opts.staleConnections] connection ids answering 410 Gone
   * @param {object} [opts.matcher] event-pattern matcher {testEventPattern(patternText, eventText)}
   * @param {function} [opts.startExecution] async ({StateMachineArn, Input, Name, sync}) => output, for child runs
   */
  constructor({ tables = {}, staleConnections = [], matcher = standinMatcher, startExecution } = {}) {
    this.ddb = new DynamoDB(tables);
    this.stale = new Set(staleConnections);
    this.matcher = matcher;
    this.startExecutionHook = startExecution;
    this.calls = [];
    this.deleted = new Set(); // connections deleted through DELETE /@connections/{id}
  }

  /** Messages delivered to WebSocket clients: [{connectionId, data (string), via}] */
  get deliveries() {
    return this.calls.filter((c) => c.delivery && !c.error).map((c) => c.delivery);
  }

  handlerFor(state, resource) {
    const impl = this.route(state, resource);
    return async (input) => {
      const call = { state, resource, service: impl.service, action: impl.action, input: structuredClone(input) };
      this.calls.push(call);
      try {
        const output = await impl.run(input, call);
        call.output = output;
        return output;
      } catch (e) {
        call.error = { name: e.name, message: e.message };
        throw e;
      }
    };
  }

  route(state, resource) {
    const m = /^arn:aws[a-z-]*:states:::(.+)$/.exec(resource ?? '');
    if (!m) throw new UnsupportedResource(state, resource);
    const spec = m[1];
    let r;
    if ((r = /^dynamodb:(putItem|getItem|deleteItem|updateItem)$/.exec(spec))) {
      return this.dynamo(r[1], false);
    }
    if ((r = /^aws-sdk:dynamodb:(query|scan|putItem|deleteItem|updateItem|getItem|batchWriteItem|batchGetItem)$/.exec(spec))) {
      return this.dynamo(r[1], true);
    }
    if (spec === 'apigateway:invoke') return this.apigwInvoke();
    if ((r = /^aws-sdk:apigatewaymanagementapi:(postToConnection|deleteConnection|getConnection)$/.exec(spec))) {
      return this.apigwManagement(r[1]);
    }
    if (spec === 'aws-sdk:eventbridge:testEventPattern') return this.testEventPattern();
    if (spec === 'events:putEvents') return this.putEvents(false);
    if (spec === 'aws-sdk:eventbridge:putEvents') return this.putEvents(true);
    if ((r = /^states:startExecution(\.sync(:2)?)?$/.exec(spec))) return this.startExecution(false, r[1] ? (r[2] ? 'sync2' : 'sync') : null);
    if ((r = /^aws-sdk:sfn:(startExecution|startSyncExecution)$/.exec(spec))) return this.startExecution(true, r[1] === 'startSyncExecution' ? 'express' : null);
    throw new UnsupportedResource(state, resource);
  }

  // ------------------------------------------------------------------------ DynamoDB
  dynamo(action, sdk) {
    return {
      service: sdk ? 'aws-sdk:dynamodb' : 'dynamodb',
      action,
      run: (input) => {
        let out;
        try {
          out = this.ddb[action](structuredClone(input ?? {}));
        } catch (e) {
          throw new TaskError(ddbErrorName(e, sdk), `${e.message} (Service: DynamoDb, Status Code: 400, Error Code: ${e.code})`);
        }
        return sdk ? out : { ...out, ...SDK_META() };
      },
    };
  }

  // ------------------------------------------------------------------------ API Gateway
  connectionCall(method, connectionId, data, via) {
    const id = connectionId;
    if (this.stale.has(id) || this.deleted.has(id)) return { status: 410, body: { message: 'Gone' } };
    if (method === 'DELETE') {
      this.deleted.add(id);
      return { status: 204, body: {} };
    }
    if (method === 'GET') return { status: 200, body: { ConnectedAt: '2024-01-01T00:00:00Z', Identity: { SourceIp: '192.0.2.1' }, LastActiveAt: '2024-01-01T00:00:00Z' } };
    if (method === 'POST') {
      if (Buffer.byteLength(data ?? '', 'utf8') > 128 * 1024) return { status: 413, body: { message: 'Request Entity Too Large' } };
      return { status: 200, body: {}, delivery: { connectionId: id, data, via } };
    }
    return { status: 400, body: { message: `Unsupported method ${method}` } };
  }

  apigwInvoke() {
    return {
      service: 'apigateway',
      action: 'invoke',
      run: (p, call) => {
        const endpoint = requireString(p, 'ApiEndpoint', 'ApiGateway');
        const method = requireString(p, 'Method', 'ApiGateway');
        if (!['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'].includes(method)) {
          throw new TaskError('States.Runtime', `Invalid Method ${method}`);
        }
        if (!/^[a-z0-9]+\.execute-api\.[a-z0-9-]+\.amazonaws\.com$/.test(endpoint)) {
          throw new TaskError('States.Runtime', `ApiEndpoint must be <api-id>.execute-api.<region>.amazonaws.com, got ${endpoint}`);
        }
        if (p.Stage !== undefined && typeof p.Stage !== 'string') throw new TaskError('States.Runtime', 'Stage must be a string');
        if (p.Path !== undefined && typeof p.Path !== 'string') throw new TaskError('States.Runtime', 'Path must be a string');
        const path = p.Path ?? '/';
        const body = p.RequestBody === undefined ? undefined : typeof p.RequestBody === 'string' ? p.RequestBody : JSON.stringify(p.RequestBody);
        call.request = { ApiEndpoint: endpoint, Method: method, Stage: p.Stage, Path: path, RequestBody: p.RequestBody, AuthType: p.AuthType, Headers: p.Headers, body };
        const cm = /^\/?@connections\/([^/?]+)$/.exec(path);
        let res;
        if (cm) {
          let id;
          try {
            id = decodeURIComponent(cm[1]);
          } catch {
            id = cm[1];
          }
          res = this.connectionCall(method, id, body, 'apigateway:invoke');
          if (res.delivery) call.delivery = res.delivery;
        } else {
          res = { status: 404, body: { message: 'Not Found' } };
        }
        if (res.status < 200 || res.status > 299) throw new TaskError(`ApiGateway.${res.status}`, JSON.stringify(res.body));
        return {
          Headers: { 'Content-Type': ['application/json'], 'x-amzn-RequestId': [randomUUID()] },
          ResponseBody: res.body,
          StatusCode: res.status,
          StatusText: res.status === 200 ? 'OK' : 'No Content',
        };
      },
    };
  }

  apigwManagement(action) {
    return {
      service: 'aws-sdk:apigatewaymanagementapi',
      action,
      run: (p, call) => {
        const id = requireString(p, 'ConnectionId', 'ApiGatewayManagementApi');
        const method = { postToConnection: 'POST', deleteConnection: 'DELETE', getConnection: 'GET' }[action];
        let data;
        if (method === 'POST') data = typeof p.Data === 'string' ? p.Data : JSON.stringify(p.Data);
        const res = this.connectionCall(method, id, data, 'aws-sdk:apigatewaymanagementapi');
        if (res.status === 410) throw new TaskError('ApiGatewayManagementApi.GoneException', `${id} is gone (Status Code: 410)`);
        if (res.status === 413) throw new TaskError('ApiGatewayManagementApi.PayloadTooLargeException', 'Payload too large');
        if (res.delivery) call.delivery = res.delivery;
        return method === 'GET' ? res.body : {};
      },
    };
  }

  // ------------------------------------------------------------------------ EventBridge
  testEventPattern() {
    return {
      service: 'aws-sdk:eventbridge',
      action: 'testEventPattern',
      run: (p) => {
        const pattern = requireString(p, 'EventPattern', 'EventBridge');
        const eventText = requireString(p, 'Event', 'EventBridge');
        let event;
        try {
          event = JSON.parse(eventText);
        } catch {
          throw new TaskError('EventBridge.ValidationException', 'Parameter Event is not valid.');
        }
        if (!event || typeof event !== 'object' || Array.isArray(event) || !EVENT_FIELDS.every((f) => f in event)) {
          throw new TaskError('EventBridge.ValidationException', 'Parameter Event is not valid.');
        }
        try {
          return { Result: Boolean(this.matcher.testEventPattern(pattern, eventText)) };
        } catch (e) {
          if (e.name === 'InvalidEventPatternException') throw new TaskError('EventBridge.InvalidEventPatternException', e.message);
          throw e;
        }
      },
    };
  }

  putEvents(sdk) {
    return {
      service: sdk ? 'aws-sdk:eventbridge' : 'events',
      action: 'putEvents',
      run: (p, call) => {
        const entries = p?.Entries;
        if (!Array.isArray(entries) || entries.length === 0 || entries.length > 10) {
          throw new TaskError(sdk ? 'EventBridge.EventBridgeException' : 'EventBridge.AmazonEventBridgeException', `Entries must hold 1..10 entries (got ${Array.isArray(entries) ? entries.length : typeof entries}) (Error Code: ValidationException)`);
        }
        const results = [];
        const accepted = [];
        for (const e of entries) {
          let detail = e.Detail;
          if (!sdk && detail !== null && typeof detail === 'object') detail = JSON.stringify(detail);
          let err = null;
          if (typeof e.Source !== 'string' || typeof e.DetailType !== 'string' || typeof detail !== 'string') {
            err = { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameters Source, DetailType and Detail are required strings' };
          } else {
            let parsed;
            try {
              parsed = JSON.parse(detail);
            } catch {
              parsed = undefined;
            }
            if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) err = { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
            else if (Buffer.byteLength(detail, 'utf8') + Buffer.byteLength(e.Source) + Buffer.byteLength(e.DetailType) > MAX_PAYLOAD) {
              err = { ErrorCode: 'InvalidArgument', ErrorMessage: 'Total size of the entries in the request is over the limit.' };
            }
          }
          if (err) results.push(err);
          else {
            const id = randomUUID();
            results.push({ EventId: id });
            accepted.push({ EventId: id, Source: e.Source, DetailType: e.DetailType, Detail: detail, EventBusName: e.EventBusName ?? 'default', Resources: e.Resources ?? [] });
          }
        }
        call.events = accepted;
        const failed = results.filter((r) => r.ErrorCode).length;
        const out = { Entries: results, FailedEntryCount: failed };
        if (failed && !sdk) throw new TaskError('EventBridge.FailedEntry', JSON.stringify(out));
        return sdk ? out : { ...out, ...SDK_META() };
      },
    };
  }

  // ------------------------------------------------------------------------ Step Functions
  startExecution(sdk, mode) {
    return {
      service: sdk ? 'aws-sdk:sfn' : 'states',
      action: mode ? `startExecution.${mode}` : 'startExecution',
      run: async (p, call) => {
        const svc = sdk ? 'Sfn' : 'StepFunctions';
        const arn = requireString(p, 'StateMachineArn', svc);
        let input = p.Input;
        if (input === undefined) input = '{}';
        if (typeof input !== 'string') {
          if (sdk) throw new TaskError('States.Runtime', 'Input must be a string for the AWS SDK integration (use States.JsonToString)');
          input = JSON.stringify(input);
        }
        try {
          JSON.parse(input);
        } catch {
          throw new TaskError(`${svc}.InvalidExecutionInputException`, 'Invalid State Machine Execution Input: not valid JSON');
        }
        if (Buffer.byteLength(input, 'utf8') > MAX_PAYLOAD) throw new TaskError(`${svc}.InvalidExecutionInputException`, 'Execution input exceeds 262144 bytes');
        if (p.Name !== undefined && !/^[A-Za-z0-9_-]{1,80}$/.test(p.Name)) throw new TaskError(`${svc}.InvalidNameException`, `Invalid Name: ${p.Name}`);
        call.execution = { StateMachineArn: arn, Input: input, Name: p.Name, mode };
        const executionArn = `${arn.replace(':stateMachine:', ':execution:')}:${p.Name ?? randomUUID()}`;
        const startDate = new Date().toISOString();
        if (!mode) {
          if (this.startExecutionHook) await this.startExecutionHook({ StateMachineArn: arn, Input: input, Name: p.Name, sync: false });
          return { ExecutionArn: executionArn, StartDate: startDate };
        }
        const output = this.startExecutionHook ? await this.startExecutionHook({ StateMachineArn: arn, Input: input, Name: p.Name, sync: true }) : {};
        const outText = typeof output === 'string' ? output : JSON.stringify(output ?? {});
        return { ExecutionArn: executionArn, StartDate: startDate, StopDate: new Date().toISOString(), Status: 'SUCCEEDED', Input: input, Output: mode === 'sync2' ? JSON.parse(outText) : outText, StateMachineArn: arn };
      },
    };
  }
}
