'use strict';
// Plain CommonJS on purpose: Nx loads generators with require() and would need an extra TypeScript transpiler
// package for a .ts generator. The templates it writes are TypeScript.
const path = require('node:path');
const { generateFiles, names, readProjectConfiguration } = require('@nx/devkit');

const EVENT_SCHEMA = { http: 'ApiGatewayV2RequestSchema', s3: 'S3EventSchema', schedule: 'ScheduledEventSchema', eventbridge: 'eventBridgeEventSchema' };

const EVENT_FIXTURE = {
  http: 'apigw-v2-request.json',
  s3: 's3-object-created.json',
  schedule: 'scheduled-event.json',
  eventbridge: 'eventbridge-event.json',
};

/**
 * Adds apps/<name>: a Lambda service with the workspace's layout, tags, build, lint, typecheck and test targets.
 * @param {import('@nx/devkit').Tree} tree
 * @param {{ name: string, trigger?: 'http'|'s3'|'schedule'|'eventbridge', access?: 'masked'|'system', description?: string }} options
 */
async function lambdaAppGenerator(tree, options) {
  const name = options.name;
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(name)) {
    throw new Error(`service name '${name}' must be kebab-case, e.g. 'segment-exporter'`);
  }
  const root = `apps/${name}`;
  if (tree.exists(root)) throw new Error(`${root} exists already; pick another name`);
  try {
    readProjectConfiguration(tree, name);
    throw new Error(`a project named '${name}' exists already; pick another name`);
  } catch (error) {
    if (!String(error && error.message).includes('Cannot find configuration')) throw error;
  }
  const trigger = options.trigger ?? 'http';
  const variants = names(name);
  generateFiles(tree, path.join(__dirname, 'files'), root, {
    tmpl: '',
    name,
    trigger,
    access: options.access ?? 'masked',
    description: options.description ?? 'A CUR platform service',
    className: variants.className,
    propertyName: variants.propertyName,
    eventFixture: EVENT_FIXTURE[trigger],
    schemaName: EVENT_SCHEMA[trigger],
  });
  // Only the fixture of the chosen trigger is kept.
  for (const [kind, file] of Object.entries(EVENT_FIXTURE)) {
    if (kind !== trigger) tree.delete(`${root}/tests/events/${file}`);
  }
  return () => {
    console.log(`\nCreated ${root}. Next: npx nx run-many -t lint typecheck test -p ${name}`);
  };
}

module.exports = { lambdaAppGenerator, default: lambdaAppGenerator };
