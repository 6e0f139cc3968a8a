// Reads a `lambdaless-gen build` output folder (template.yaml, statemachines/*.asl.json,
// mappings/*.vtl) into a model the engine tests use: routes and their mapping templates, stage
// variables, state machines with their DefinitionSubstitutions, DynamoDB tables, EventBridge rules,
// IAM roles. The intrinsics the generator emits (Ref, Fn::GetAtt, Fn::Sub) are resolved with fixed
// fake values (us-east-1, account 123456789012); any other is reported in `problems`.
//
//   node model.mjs OUT_DIR            -> prints the model as JSON (read by vtl/hostile.py)
//   import { loadBuild } from './model.mjs'

import fs from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import YAML from 'yaml';

const FAKE = { 'AWS::Partition': 'aws', 'AWS::Region': 'us-east-1', 'AWS::AccountId': '123456789012', 'AWS::URLSuffix': 'amazonaws.com', 'AWS::StackName': 'engines-stack' };
const API_ID = 'a1b2c3d4e5';

export function loadBuild(dir) {
  const template = YAML.parse(fs.readFileSync(path.join(dir, 'template.yaml'), 'utf8'), { schema: 'core' });
  const resources = template.Resources ?? {};
  const problems = [];

  const refOf = (id) => {
    if (id in FAKE) return FAKE[id];
    const r = resources[id];
    if (!r) {
      if (template.Parameters?.[id]) return template.Parameters[id].Default ?? `param-${id}`;
      problems.push(`Ref to unknown resource ${id}`);
      return `unknown-${id}`;
    }
    const p = r.Properties ?? {};
    switch (r.Type) {
      case 'AWS::ApiGatewayV2::Api':
        return API_ID;
      case 'AWS::StepFunctions::StateMachine':
        return `arn:aws:states:us-east-1:123456789012:stateMachine:${resolve(p.StateMachineName) ?? id}`;
      case 'AWS::DynamoDB::Table':
        return resolve(p.TableName) ?? id;
      case 'AWS::ApiGatewayV2::Stage':
        return resolve(p.StageName);
      case 'AWS::SQS::Queue': // CloudFormation names queues <stack>-<logical id>-<suffix>
        return `https://sqs.us-east-1.amazonaws.com/123456789012/stack-${id}`;
      default:
        return resolve(p.Name) ?? id;
    }
  };
  const getAtt = (id, attr) => {
    const r = resources[id];
    if (!r) problems.push(`GetAtt on unknown resource ${id}`);
    const name = refOf(id);
    const arns = {
      'AWS::DynamoDB::Table': `arn:aws:dynamodb:us-east-1:123456789012:table/${name}`,
      'AWS::IAM::Role': `arn:aws:iam::123456789012:role/${id}`,
      'AWS::Events::EventBus': `arn:aws:events:us-east-1:123456789012:event-bus/${name}`,
      'AWS::Events::Rule': `arn:aws:events:us-east-1:123456789012:rule/${name}`,
      'AWS::StepFunctions::StateMachine': name,
      'AWS::SQS::Queue': `arn:aws:sqs:us-east-1:123456789012:stack-${id}`,
    };
    if (attr === 'Arn') return arns[r?.Type] ?? `arn:aws:fake:us-east-1:123456789012:${id}`;
    if (attr === 'ApiEndpoint') return `wss://${API_ID}.execute-api.us-east-1.amazonaws.com`;
    if (attr === 'QueueName' && r?.Type === 'AWS::SQS::Queue') return `stack-${id}`;
    return attr === 'Name' ? name : `${id}.${attr}`;
  };
  const sub = (text, vars = {}) =>
    text.replace(/\$\{(!?)([^}]+)\}/g, (m, bang, expr) => {
      if (bang) return '${' + expr + '}';
      if (expr in vars) return String(resolve(vars[expr]));
      const [id, ...attr] = expr.split('.');
      return String(attr.length ? getAtt(id, attr.join('.')) : refOf(expr));
    });
  function resolve(v) {
    if (Array.isArray(v)) return v.map(resolve);
    if (!v || typeof v !== 'object') return v;
    const [k, ...more] = Object.keys(v);
    const a = v[k];
    if (!more.length && k === 'Ref') return refOf(a);
    if (!more.length && k === 'Fn::GetAtt') return getAtt(...(typeof a === 'string' ? a.split('.') : a));
    if (!more.length && k === 'Fn::Sub') return Array.isArray(a) ? sub(a[0], a[1]) : sub(a);
    if (!more.length && k?.startsWith('Fn::')) problems.push(`intrinsic ${k} is not resolved by tests/engines/model.mjs`);
    return Object.fromEntries(Object.entries(v).map(([key, x]) => [key, resolve(x)]));
  }

  const byType = (type) => Object.entries(resources).filter(([, r]) => r.Type === type);
  const norm = (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

  // ---- API, stage
  const [apiId, api] = byType('AWS::ApiGatewayV2::Api')[0] ?? [];
  const [, stage] = byType('AWS::ApiGatewayV2::Stage')[0] ?? [];

  // ---- IAM roles (inline policies)
  const roles = {};
  for (const [id, r] of byType('AWS::IAM::Role')) {
    const statements = (r.Properties?.Policies ?? []).flatMap((pol) => norm(resolve(pol.PolicyDocument?.Statement)));
    roles[id] = { id, arn: getAtt(id, 'Arn'), statements: statements.map((st) => ({ effect: st.Effect, actions: norm(st.Action), resources: norm(st.Resource), notAction: st.NotAction, notResource: st.NotResource, condition: st.Condition })) };
  }
  const roleIdOf = (arn) => Object.values(roles).find((x) => x.arn === arn)?.id ?? null;

  // ---- state machines: the file in statemachines/ must be the definition the template inlines
  const smDir = path.join(dir, 'statemachines');
  const files = fs.existsSync(smDir) ? fs.readdirSync(smDir).filter((f) => f.endsWith('.asl.json')) : [];
  const fileDefs = Object.fromEntries(files.map((f) => [f, fs.readFileSync(path.join(smDir, f), 'utf8')]));
  const stateMachines = {};
  for (const [id, r] of byType('AWS::StepFunctions::StateMachine')) {
    const p = r.Properties ?? {};
    const arn = refOf(id);
    const embedded = typeof p.DefinitionString === 'string' ? JSON.parse(p.DefinitionString) : p.Definition;
    const file = Object.keys(fileDefs).find((f) => isDeepStrictEqual(JSON.parse(fileDefs[f]), embedded));
    if (!file) problems.push(`state machine ${id}: no file in statemachines/ holds the definition inlined in template.yaml`);
    stateMachines[id] = {
      id,
      arn,
      name: arn.split(':').pop(),
      type: p.StateMachineType ?? 'STANDARD',
      definitionText: file ? fileDefs[file] : JSON.stringify(embedded),
      substitutions: resolve(p.DefinitionSubstitutions ?? {}),
      role: roleIdOf(resolve(p.RoleArn)),
    };
  }

  // ---- DynamoDB tables
  const tables = {};
  for (const [id, r] of byType('AWS::DynamoDB::Table')) {
    const p = r.Properties;
    const ks = (schema) => ({ hashKey: schema.find((k) => k.KeyType === 'HASH')?.AttributeName, rangeKey: schema.find((k) => k.KeyType === 'RANGE')?.AttributeName });
    const gsis = {};
    for (const g of p.GlobalSecondaryIndexes ?? []) {
      const proj = g.Projection?.ProjectionType ?? 'ALL';
      gsis[g.IndexName] = { ...ks(g.KeySchema), projection: proj === 'INCLUDE' ? g.Projection.NonKeyAttributes ?? [] : proj };
    }
    const keyTypes = Object.fromEntries((p.AttributeDefinitions ?? []).map((a) => [a.AttributeName, a.AttributeType]));
    tables[refOf(id)] = { logicalId: id, ...ks(p.KeySchema), keyTypes, gsis, ttlAttribute: p.TimeToLiveSpecification?.Enabled ? p.TimeToLiveSpecification.AttributeName : null };
  }

  // ---- integrations and routes
  const integrations = {};
  for (const [id, r] of byType('AWS::ApiGatewayV2::Integration')) {
    const p = r.Properties;
    const uri = resolve(p.IntegrationUri) ?? '';
    integrations[id] = { id, type: p.IntegrationType, uri, action: /:action\/([A-Za-z]+)$/.exec(uri)?.[1] ?? null, requestTemplates: p.RequestTemplates ?? {}, role: roleIdOf(resolve(p.CredentialsArn)), responseTemplates: {} };
  }
  for (const [, r] of byType('AWS::ApiGatewayV2::IntegrationResponse')) {
    Object.assign(integrations[r.Properties.IntegrationId?.Ref]?.responseTemplates ?? {}, r.Properties.ResponseTemplates ?? {});
  }
  const routes = [];
  for (const [id, r] of byType('AWS::ApiGatewayV2::Route')) {
    const p = r.Properties;
    const target = resolve(p.Target) ?? '';
    const integ = integrations[/^integrations\/(.+)$/.exec(target)?.[1]];
    if (!integ) problems.push(`route ${p.RouteKey}: target ${target} is not an integration in the template`);
    routes.push({ id, routeKey: p.RouteKey, integration: integ ?? null, requestTemplate: integ?.requestTemplates.$default ?? null, responseTemplate: integ?.responseTemplates.$default ?? null });
  }

  // ---- mapping files <-> inline templates
  const mappingDir = path.join(dir, 'mappings');
  for (const f of fs.existsSync(mappingDir) ? fs.readdirSync(mappingDir).filter((x) => x.endsWith('.vtl')) : []) {
    const text = fs.readFileSync(path.join(mappingDir, f), 'utf8');
    const kind = f.endsWith('.response.vtl') ? 'responseTemplate' : 'requestTemplate';
    const route = routes.find((rt) => rt[kind] === text);
    if (route) route[`${kind}File`] = path.join(mappingDir, f);
    else problems.push(`mappings/${f} is not the ${kind} of any route in template.yaml`);
  }
  for (const rt of routes) {
    for (const kind of ['requestTemplate', 'responseTemplate']) if (rt[kind] && !rt[`${kind}File`]) problems.push(`route ${rt.routeKey}: its ${kind} has no matching file in mappings/`);
  }

  // ---- EventBridge rules
  const rules = byType('AWS::Events::Rule').map(([id, r]) => {
    const p = r.Properties;
    return {
      id,
      name: resolve(p.Name) ?? id,
      eventBusName: resolve(p.EventBusName) ?? 'default',
      state: p.State ?? 'ENABLED',
      pattern: resolve(typeof p.EventPattern === 'string' ? JSON.parse(p.EventPattern) : p.EventPattern),
      targets: (p.Targets ?? []).map((t) => ({
        id: t.Id,
        arn: resolve(t.Arn),
        role: roleIdOf(resolve(t.RoleArn)),
        input: t.Input,
        inputPath: t.InputPath,
        inputTransformer: t.InputTransformer ? { inputTemplate: resolve(t.InputTransformer.InputTemplate), inputPathsMap: t.InputTransformer.InputPathsMap ?? {} } : null,
      })),
    };
  });

  return {
    dir,
    name: template.Metadata?.Generator?.Spec ?? path.basename(dir),
    api: api ? { id: API_ID, logicalId: apiId, routeSelectionExpression: api.Properties.RouteSelectionExpression, stage: resolve(stage?.Properties?.StageName) } : null,
    stageVariables: resolve(stage?.Properties?.StageVariables ?? {}),
    routes,
    stateMachines,
    tables,
    rules,
    roles,
    eventBuses: Object.fromEntries(byType('AWS::Events::EventBus').map(([id]) => [refOf(id), getAtt(id, 'Arn')])),
    problems,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (!process.argv[2]) {
    console.error('usage: node model.mjs OUT_DIR');
    process.exit(2);
  }
  process.stdout.write(JSON.stringify(loadBuild(process.argv[2]), null, 1) + '\n');
}
