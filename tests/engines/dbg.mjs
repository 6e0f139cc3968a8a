import { loadBuild } from './model.mjs';
import { AwsWorld } from './sfn/services.mjs';
const model = loadBuild('/work/main/target/engines/topics');
const machines = Object.fromEntries(Object.values(model.stateMachines).map((m) => [m.arn, { name: m.name, type: m.type, role: m.role, definition: m.definitionText, substitutions: m.substitutions }]));
const world = new AwsWorld({ tables: model.tables, machines, rules: model.rules, eventBuses: model.eventBuses });
const pager = Object.values(model.stateMachines).find(m=>m.name.endsWith('-delivery'));
const x = await world.run(pager.arn, {topic:'orders', limit: 10, event:{id:'1', source:'shop.orders','detail-type':'x', account:'1', time:'t', region:'r', resources:[], detail:{}}});
console.log(x.status, x.error, x.calls.map(c=>[c.state, c.error]));
