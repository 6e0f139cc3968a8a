// Reads a `lambdaless-gen build` output folder (template.yaml, statemachines/*.asl.json,
// mappings/*.vtl) into a model the engine tests use: routes and their mapping templates, stage
// variables, state machines with their DefinitionSubstitutions, DynamoDB tables, EventBridge rules.
// CloudFormation intrinsics are resolved with fixed fake values (us-east-1, account 123456789012).
//
//   node model.mjs OUT_DIR            -> prints the model as JSON (read by vtl/hostile.py)
//   import { loadBuild } from './model.mjs'

import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';

export const FAKE = {
  'AWS::Partition': 'aws',
  'AWS::Region': 'us-east-1',
  'AWS::AccountId': '123456789012',
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::StackName': 'engines-stack',
  'AWS::NoValue': undefined,
};
export const API_ID = 'a1b2c3d4e5';

// CloudFormation short-form tags (!Ref, !Sub, ...) in case the template uses them
const cfnTags = ['Ref', 'Sub', 'GetAtt', 'Join', 'Select', 'Split', 'If', 'Equals', 'Not', 'And', 'Or', 'FindInMap', 'Base64', 'Cidr', 'ImportValue', 'GetAZs'].flatMap((name) => {
  const key = name === 'Ref' ? 'Ref' : `Fn::${name}`;
  const resolve = (v) => (name === 'GetAtt' && typeof v === 'string' ? v.split('.') : v);
  return ['scalar', 'seq', 'map'].map((nodeClass) => ({
    tag: `!${name}`,
    collection: nodeClass === 'scalar' ? undefined : nodeClass,
    resolve: (v) => ({ [key]: resolve(v?.toJSON ? v.toJSON() : v) }),
  }));
});

const deepEqual = (a, b) => JSON.stringify(canon(a)) === JSON.stringify(canon(b));
function canon(v) {
  if (Array.isArray(v)) return v.map(canon);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canon(v[k])]));
  return v;
}

export function loadBuild(dir) {
  const templateText = fs.readFileSync(path.join(dir, 'template.yaml'), 'utf8');
  const template = YAML.parse(templateText, { customTags: cfnTags, schema: 'core' });
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
      case 'AWS::Events::EventBus':
        return resolve(p.Name) ?? id;
      case 'AWS::ApiGatewayV2::Stage':
        return resolve(p.StageName);
      default:
        return resolve(p.Name) ?? id;
    }
  };
  const getAtt = (id, attr) => {
    const r = resources[id];
    if (!r) {
      problems.push(`GetAtt on unknown resource ${id}`);
      return `unknown-${id}.${attr}`;
    }
    const name = refOf(id);
    if (attr === 'Arn') {
      switch (r.Type) {
        case 'AWS::DynamoDB::Table':
          return `arn:aws:dynamodb:us-east-1:123456789012:table/${name}`;
        case 'AWS::IAM::Role':
          return `arn:aws:iam::123456789012:role/${id}`;
        case 'AWS::Events::EventBus':
          return `arn:aws:events:us-east-1:123456789012:event-bus/${name}`;
        case 'AWS::StepFunctions::StateMachine':
          return name;
        default:
          return `arn:aws:fake:us-east-1:123456789012:${id}`;
      }
    }
    if (attr === 'ApiEndpoint') return `wss://${API_ID}.execute-api.us-east-1.amazonaws.com`;
    if (attr === 'Name') return name;
    return `${id}.${attr}`;
  };
  const sub = (text, vars = {}) =>
    text.replace(/\$\{(!?)([^}]+)\}/g, (m, bang, expr) => {
      if (bang) return '${' + expr + '}';
      if (expr in vars) return String(resolve(vars[expr]));
      if (expr in FAKE) return FAKE[expr];
      if (expr.includes('.')) {
        const [id, ...rest] = expr.split('.');
        return getAtt(id, rest.join('.'));
      }
      return String(refOf(expr));
    });
  function resolve(v) {
    if (Array.isArray(v)) return v.map(resolve);
    if (!v || typeof v !== 'object') return v;
    const keys = Object.keys(v);
    if (keys.length === 1) {
      const [k] = keys;
      const a = v[k];
      switch (k) {
        case 'Ref':
          return refOf(a);
        case 'Fn::GetAtt':
          return getAtt(...(typeof a === 'string' ? a.split('.') : a));
        case 'Fn::Sub':
          return Array.isArray(a) ? sub(a[0], a[1]) : sub(a);
        case 'Fn::Join':
          return resolve(a[1]).join(a[0]);
        case 'Fn::Select':
          return resolve(a[1])[Number(resolve(a[0]))];
        case 'Fn::Split':
          return resolve(a[1]).split(a[0]);
        case 'Fn::Base64':
          return Buffer.from(String(resolve(a))).toString('base64');
        default:
          if (k.startsWith('Fn::')) problems.push(`unsupported intrinsic ${k}`);
      }
    }
    return Object.fromEntries(keys.map((k) => [k, resolve(v[k])]));
  }

  const byType = (type) => Object.entries(resources).filter(([, r]) => r.Type === type);

  // ---- API, stage
  const [apiId, api] = byType('AWS::ApiGatewayV2::Api')[0] ?? [];
  const [, stage] = byType('AWS::ApiGatewayV2::Stage')[0] ?? [];
  const stageVariables = resolve(stage?.Properties?.StageVariables ?? {});
  const stageName = resolve(stage?.Properties?.StageName);

  // ---- IAM roles (inline Policies and AWS::IAM::Policy attached through Roles)
  const roles = {};
  const norm = (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
  const statementsOf = (doc) => norm(resolve(doc?.Statement)).map((st) => ({ effect: st.Effect, actions: norm(st.Action), resources: norm(st.Resource), notAction: st.NotAction, notResource: st.NotResource, condition: st.Condition }));
  for (const [id, r] of byType('AWS::IAM::Role')) {
    roles[id] = { id, arn: getAtt(id, 'Arn'), statements: (r.Properties?.Policies ?? []).flatMap((pol) => statementsOf(pol.PolicyDocument)), managed: norm(r.Properties?.ManagedPolicyArns).map(resolve) };
  }
  for (const [, r] of [...byType('AWS::IAM::Policy'), ...byType('AWS::IAM::ManagedPolicy')]) {
    for (const ref of norm(r.Properties?.Roles)) {
      const rid = ref?.Ref;
      if (roles[rid]) roles[rid].statements.push(...statementsOf(r.Properties.PolicyDocument));
    }
  }
  const roleIdOf = (arn) => Object.values(roles).find((x) => x.arn === arn)?.id ?? null;

  // ---- state machines
  const files = fs.existsSync(path.join(dir, 'statemachines')) ? fs.readdirSync(path.join(dir, 'statemachines')).filter((f) => f.endsWith('.asl.json')) : [];
  const fileDefs = Object.fromEntries(files.map((f) => [f, fs.readFileSync(path.join(dir, 'statemachines', f), 'utf8')]));
  const stateMachines = {};
  for (const [id, r] of byType('AWS::StepFunctions::StateMachine')) {
    const p = r.Properties ?? {};
    const arn = refOf(id);
    let inline = p.Definition;
    if (inline === undefined && typeof p.DefinitionString === 'string') inline = JSON.parse(p.DefinitionString);
    let file = Object.keys(fileDefs).find((f) => inline !== undefined && deepEqual(JSON.parse(fileDefs[f]), inline));
    if (!file) {
      const guess = Object.keys(fileDefs).find((f) => arn.endsWith(`-${f.replace('.asl.json', '')}`));
      if (guess) problems.push(`state machine ${id}: statemachines/${guess} differs from the definition inlined in template.yaml`);
      file = guess;
    }
    stateMachines[id] = {
      id,
      arn,
      name: arn.split(':').pop(),
      type: p.StateMachineType ?? 'STANDARD',
      file: file ? path.join(dir, 'statemachines', file) : null,
      definitionText: file ? fileDefs[file] : JSON.stringify(inline),
      substitutions: resolve(p.DefinitionSubstitutions ?? {}),
      role: roleIdOf(resolve(p.RoleArn)),
    };
  }

  // ---- DynamoDB tables
  const tables = {};
  for (const [id, r] of byType('AWS::DynamoDB::Table')) {
    const p = r.Properties;
    const name = refOf(id);
    const keyTypes = Object.fromEntries((p.AttributeDefinitions ?? []).map((a) => [a.AttributeName, a.AttributeType]));
    const ks = (schema) => ({ hashKey: schema.find((k) => k.KeyType === 'HASH')?.AttributeName, rangeKey: schema.find((k) => k.KeyType === 'RANGE')?.AttributeName });
    const gsis = {};
    for (const g of p.GlobalSecondaryIndexes ?? []) {
      const proj = g.Projection?.ProjectionType ?? 'ALL';
      gsis[g.IndexName] = { ...ks(g.KeySchema), projection: proj === 'INCLUDE' ? g.Projection.NonKeyAttributes ?? [] : proj };
    }
    tables[name] = { logicalId: id, ...ks(p.KeySchema), keyTypes, gsis, ttlAttribute: p.TimeToLiveSpecification?.Enabled ? p.TimeToLiveSpecification.AttributeName : null };
  }

  // ---- integrations and routes
  const integrations = {};
  for (const [id, r] of byType('AWS::ApiGatewayV2::Integration')) {
    const p = r.Properties;
    const uri = resolve(p.IntegrationUri) ?? '';
    integrations[id] = {
      id,
      type: p.IntegrationType,
      uri,
      action: /:action\/([A-Za-z]+)$/.exec(uri)?.[1] ?? null,
      service: /:apigateway:[^:]*:([a-z0-9-]+):/.exec(uri)?.[1] ?? null,
      requestTemplates: p.RequestTemplates ?? {},
      templateSelectionExpression: p.TemplateSelectionExpression,
      passthroughBehavior: p.PassthroughBehavior,
      role: roleIdOf(resolve(p.CredentialsArn)),
      responseTemplates: {},
    };
  }
  for (const [, r] of byType('AWS::ApiGatewayV2::IntegrationResponse')) {
    const p = r.Properties;
    const integ = integrations[p.IntegrationId?.Ref];
    if (integ) Object.assign(integ.responseTemplates, p.ResponseTemplates ?? {});
  }
  const routeResponses = new Set(byType('AWS::ApiGatewayV2::RouteResponse').map(([, r]) => r.Properties.RouteId?.Ref));
  const routes = [];
  for (const [id, r] of byType('AWS::ApiGatewayV2::Route')) {
    const p = r.Properties;
    const target = resolve(p.Target) ?? '';
    const integId = /^integrations\/(.+)$/.exec(target)?.[1];
    // resolve() turned ${X} into Ref(X) = X for integrations (default branch returns the id)
    const integ = integrations[integId] ?? Object.values(integrations).find((i) => target.endsWith(`/${i.id}`));
    if (!integ) problems.push(`route ${p.RouteKey}: target ${target} is not an integration in the template`);
    routes.push({
      id,
      routeKey: p.RouteKey,
      twoWay: routeResponses.has(id),
      integration: integ ?? null,
      requestTemplate: integ ? integ.requestTemplates.$default ?? Object.values(integ.requestTemplates)[0] ?? null : null,
      responseTemplate: integ ? integ.responseTemplates.$default ?? Object.values(integ.responseTemplates)[0] ?? null : null,
    });
  }

  // ---- mapping files <-> inline templates
  const mappingDir = path.join(dir, 'mappings');
  const mappingFiles = fs.existsSync(mappingDir) ? fs.readdirSync(mappingDir).filter((f) => f.endsWith('.vtl')) : [];
  for (const f of mappingFiles) {
    const text = fs.readFileSync(path.join(mappingDir, f), 'utf8');
    const kind = f.endsWith('.response.vtl') ? 'responseTemplate' : 'requestTemplate';
    const route = routes.find((rt) => rt[kind] === text);
    if (route) route[`${kind}File`] = path.join(mappingDir, f);
    else problems.push(`mappings/${f} is not the ${kind} of any route in template.yaml`);
  }
  for (const rt of routes) {
    for (const kind of ['requestTemplate', 'responseTemplate']) {
      if (rt[kind] && !rt[`${kind}File`]) problems.push(`route ${rt.routeKey}: its ${kind} has no matching file in mappings/`);
    }
  }

  // ---- EventBridge rules
  const rules = [];
  for (const [id, r] of byType('AWS::Events::Rule')) {
    const p = r.Properties;
    let pattern = p.EventPattern;
    if (typeof pattern === 'string') pattern = JSON.parse(pattern);
    rules.push({
      id,
      name: resolve(p.Name) ?? id,
      eventBusName: resolve(p.EventBusName) ?? 'default',
      state: p.State ?? 'ENABLED',
      pattern: resolve(pattern),
      targets: (p.Targets ?? []).map((t) => ({
        id: t.Id,
        arn: resolve(t.Arn),
        role: roleIdOf(resolve(t.RoleArn)),
        input: t.Input,
        inputPath: t.InputPath,
        inputTransformer: t.InputTransformer ? { inputTemplate: resolve(t.InputTransformer.InputTemplate), inputPathsMap: t.InputTransformer.InputPathsMap ?? {} } : null,
      })),
    });
  }

  return {
    dir,
    name: template.Metadata?.Generator?.Spec ?? path.basename(dir),
    api: api ? { id: API_ID, logicalId: apiId, routeSelectionExpression: api.Properties.RouteSelectionExpression, stage: stageName, endpoint: `${API_ID}.execute-api.us-east-1.amazonaws.com` } : null,
    stageVariables,
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
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: node model.mjs OUT_DIR');
    process.exit(2);
  }
  process.stdout.write(JSON.stringify(loadBuild(dir), null, 1) + '\n');
}
