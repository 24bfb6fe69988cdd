'use strict';
// Plain CommonJS on purpose: Nx loads generators with require() and would need an extra TypeScript transpiler
// package for a .ts generator. The templates it writes are TypeScript.
const { execFileSync } = require('node:child_process');
const path = require('node:path');
const { formatFiles, generateFiles, names, readProjectConfiguration, updateJson } = require('@nx/devkit');

const EVENT_SCHEMA = { http: 'ApiGatewayV2RequestSchema', s3: 'S3EventSchema', schedule: 'ScheduledEventSchema', eventbridge: 'eventBridgeEventSchema' };

const EVENT_FIXTURE = {
  http: 'apigw-v2-request.json',
  s3: 's3-object-created.json',
  schedule: 'scheduled-event.json',
  eventbridge: 'eventbridge-event.json',
};

/** Where infra keeps its list of deployable apps (APP_NAMES and APP_SPECS) and the project that depends on them. */
const INFRA_APPS_FILE = 'infra/src/config/apps.ts';
const INFRA_PROJECT_FILE = 'infra/project.json';

/** Updates package-lock.json for the new workspace package through npm itself, without touching node_modules. */
const LOCK_UPDATE = ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund'];

/**
 * Adds apps/<name>: a Lambda service with the workspace's layout, tags, build, lint, typecheck and test targets;
 * registers it in infra (APP_NAMES, a deployment spec with no live trigger, the infra project's implicit
 * dependencies); formats what it wrote; and returns the callback that updates package-lock.json with npm, so
 * `npm ci` and `npm test` stay green right after generating.
 * @param {import('@nx/devkit').Tree} tree
 * @param {{ name: string, trigger?: 'http'|'s3'|'schedule'|'eventbridge', access?: 'masked'|'system', description?: string, skipInstall?: boolean }} options
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
  const access = options.access ?? 'masked';
  const description = options.description ?? 'A CUR platform service';
  const variants = names(name);
  generateFiles(tree, path.join(__dirname, 'files'), root, {
    tmpl: '',
    name,
    trigger,
    access,
    description,
    className: variants.className,
    propertyName: variants.propertyName,
    eventFixture: EVENT_FIXTURE[trigger],
    schemaName: EVENT_SCHEMA[trigger],
  });
  // Only the fixture of the chosen trigger is kept.
  for (const [kind, file] of Object.entries(EVENT_FIXTURE)) {
    if (kind !== trigger) tree.delete(`${root}/tests/events/${file}`);
  }
  registerInInfra(tree, { name, trigger, access, description });
  await formatFiles(tree);
  return () => {
    if (!options.skipInstall) {
      console.log('\nUpdating package-lock.json: npm ' + LOCK_UPDATE.join(' '));
      execFileSync('npm', LOCK_UPDATE, { cwd: tree.root, stdio: 'inherit' });
    }
    console.log(
      `\nCreated ${root} and registered it in ${INFRA_APPS_FILE}. Next: npm install (links @cur/${name}), then ` +
        `npx nx run-many -t lint typecheck test -p ${name} infra, and commit infra/tests/unit/__snapshots__/${name}.template.json, ` +
        'the stack template its first run writes',
    );
  };
}

/**
 * Registers the app where infra lists the deployable apps: its name at the end of APP_NAMES, a spec in APP_SPECS,
 * and an implicit dependency of the infra project (infra's apps test holds the three and apps/ together). The
 * generated core throws NotImplementedError, so its only trigger is a disabled event rule: infra deploys no live
 * trigger for an app that cannot work yet, and the service's real trigger replaces it when the core is written.
 * @param {import('@nx/devkit').Tree} tree
 * @param {{ name: string, trigger: string, access: string, description: string }} app
 */
function registerInInfra(tree, app) {
  const source = tree.read(INFRA_APPS_FILE, 'utf8');
  if (source === null) throw new Error(`${INFRA_APPS_FILE} is missing: the generator registers the app there`);
  tree.write(INFRA_APPS_FILE, addToAppsFile(source, app));
  if (!tree.exists(INFRA_PROJECT_FILE)) throw new Error(`${INFRA_PROJECT_FILE} is missing: the generator adds the app to its implicitDependencies`);
  updateJson(tree, INFRA_PROJECT_FILE, (project) => {
    const dependencies = project.implicitDependencies ?? [];
    if (!dependencies.includes(app.name)) dependencies.push(app.name);
    return { ...project, implicitDependencies: dependencies };
  });
}

/**
 * The apps file with the app appended to APP_NAMES and APP_SPECS. Parsed with TypeScript so the insertion points are
 * the array's and the object's real last elements, whatever their formatting; the rest of the file is kept byte for
 * byte.
 * @param {string} source
 * @param {{ name: string, trigger: string, access: string, description: string }} app
 * @returns {string}
 */
function addToAppsFile(source, app) {
  const ts = require('typescript');
  const file = ts.createSourceFile(INFRA_APPS_FILE, source, ts.ScriptTarget.Latest, true);
  const initializerOf = (variable) => {
    for (const statement of file.statements) {
      if (!ts.isVariableStatement(statement)) continue;
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name) && declaration.name.text === variable && declaration.initializer) {
          let node = declaration.initializer;
          while (ts.isAsExpression(node) || ts.isSatisfiesExpression(node) || ts.isParenthesizedExpression(node)) node = node.expression;
          return node;
        }
      }
    }
    throw new Error(`${INFRA_APPS_FILE} has no ${variable}; the generator cannot register the app`);
  };
  const appNames = initializerOf('APP_NAMES');
  const appSpecs = initializerOf('APP_SPECS');
  if (!ts.isArrayLiteralExpression(appNames) || !ts.isObjectLiteralExpression(appSpecs)) {
    throw new Error(`${INFRA_APPS_FILE}: APP_NAMES must be an array literal and APP_SPECS an object literal`);
  }
  if (appNames.elements.some((element) => ts.isStringLiteral(element) && element.text === app.name)) {
    throw new Error(`${INFRA_APPS_FILE} lists '${app.name}' already`);
  }
  const quote = (text) => (/['\\]/.test(text) ? JSON.stringify(text) : `'${text}'`);
  const spec = [
    `  ${quote(app.name)}: {`,
    `    description: ${quote(app.description)},`,
    `    principalClass: '${app.access === 'system' ? 'system' : 'service'}',`,
    `    // Generated by @cur/tools:lambda-app with a ${app.trigger} trigger. Its core throws NotImplementedError, so the rule`,
    `    // is deployed disabled; replace it with the real trigger and grant its data access when the core works.`,
    `    triggers: [`,
    `      {`,
    `        kind: 'event-rule',`,
    `        bus: 'platform',`,
    `        source: PLATFORM_EVENT_SOURCE,`,
    `        detailType: ${quote(`${app.name} placeholder`)},`,
    `        disabledBecause: ${quote(`${app.name} is generated and its core still throws NotImplementedError`)},`,
    `      },`,
    `    ],`,
    `    access: {},`,
    `  },`,
  ].join('\n');
  // Insert from the end of the file backwards so the earlier offsets stay valid.
  const edits = [
    { at: listEnd(source, appNames.elements, appNames), text: `  ${quote(app.name)},\n` },
    { at: listEnd(source, appSpecs.properties, appSpecs), text: `${spec}\n` },
  ].sort((a, b) => b.at - a.at);
  let result = source;
  for (const edit of edits) result = result.slice(0, edit.at) + edit.text + result.slice(edit.at);
  if (!/\bPLATFORM_EVENT_SOURCE\b/.test(source.slice(0, appNames.pos))) {
    result = `import { PLATFORM_EVENT_SOURCE } from '@cur/contracts';\n${result}`;
  }
  return result;
}

/**
 * The offset at which a new line-per-element entry goes: the start of the line after the last element and its
 * trailing comma.
 */
function listEnd(source, elements, list) {
  if (elements.length === 0) throw new Error(`${INFRA_APPS_FILE}: the list at offset ${list.getStart()} is empty; the generator appends to a non-empty one`);
  const last = elements[elements.length - 1];
  let at = last.end;
  if (source[at] !== ',') throw new Error(`${INFRA_APPS_FILE}: add a trailing comma after the last entry of the list at offset ${at}`);
  at = source.indexOf('\n', at) + 1;
  return at;
}

module.exports = { lambdaAppGenerator, addToAppsFile, default: lambdaAppGenerator };
