import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { readJson, readProjectConfiguration, type Tree } from '@nx/devkit';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const { lambdaAppGenerator } = require('../../src/lambda-app/generator.cjs') as {
  lambdaAppGenerator: (tree: Tree, options: Record<string, string | boolean>) => Promise<() => void>;
};

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const APPS_FILE = 'infra/src/config/apps.ts';

/** A virtual workspace holding the real infra files the generator registers apps in. */
function workspace(): Tree {
  const tree = createTreeWithEmptyWorkspace();
  for (const file of [APPS_FILE, 'infra/project.json']) tree.write(file, readFileSync(`${root}${file}`, 'utf8'));
  return tree;
}

/** APP_NAMES and the keys of APP_SPECS as the TypeScript parser reads them from the apps file. */
function registeredApps(tree: Tree): { names: string[]; specs: Record<string, string>; errors: number } {
  const file = ts.createSourceFile(APPS_FILE, tree.read(APPS_FILE, 'utf8') ?? '', ts.ScriptTarget.Latest, true);
  const result = { names: [] as string[], specs: {} as Record<string, string>, errors: 0 };
  const diagnostics = ts.transpileModule(file.text, { reportDiagnostics: true, compilerOptions: { target: ts.ScriptTarget.ES2022 } }).diagnostics ?? [];
  result.errors = diagnostics.length;
  for (const statement of file.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      let init = declaration.initializer;
      while (init && (ts.isAsExpression(init) || ts.isSatisfiesExpression(init))) init = init.expression;
      if (!init || !ts.isIdentifier(declaration.name)) continue;
      if (declaration.name.text === 'APP_NAMES' && ts.isArrayLiteralExpression(init)) result.names = init.elements.map((element) => (element as ts.StringLiteral).text);
      if (declaration.name.text === 'APP_SPECS' && ts.isObjectLiteralExpression(init)) {
        for (const property of init.properties) {
          if (ts.isPropertyAssignment(property) && ts.isStringLiteral(property.name)) result.specs[property.name.text] = property.initializer.getText(file);
        }
      }
    }
  }
  return result;
}

describe('lambda-app generator', () => {
  it('creates a service with the standard layout, tags and targets', async () => {
    const tree = workspace();
    await lambdaAppGenerator(tree, { name: 'segment-exporter', trigger: 'schedule' });

    const project = readProjectConfiguration(tree, 'segment-exporter');
    expect(project.tags).toEqual(['type:app', 'scope:segment-exporter', 'access:masked']);
    expect(Object.keys(project.targets ?? {})).toEqual(['build', 'lint', 'typecheck', 'test', 'deploy']);
    expect(project.targets?.['deploy']?.options?.command).toContain('/segment-exporter"');
    expect(project.targets?.['build']?.options).toMatchObject({ outputPath: 'dist/apps/segment-exporter', target: 'node22', minify: true, sourcemap: true });
    for (const file of ['package.json', 'src/handler.ts', 'src/core.ts', 'src/constants.ts', 'tests/unit/handler.test.ts', 'tests/unit/bundle.test.ts', 'tests/events/scheduled-event.json']) {
      expect(tree.exists(`apps/segment-exporter/${file}`), file).toBe(true);
    }
    expect(tree.exists('apps/segment-exporter/tests/events/s3-object-created.json')).toBe(false);
    expect(tree.read('apps/segment-exporter/src/handler.ts', 'utf8')).toContain('ScheduledEventSchema');
    expect(tree.read('apps/segment-exporter/src/core.ts', 'utf8')).toContain("new NotImplementedError('segment-exporter')");
    expect(JSON.parse(tree.read('apps/segment-exporter/package.json', 'utf8') ?? '{}')).toMatchObject({ name: '@cur/segment-exporter', exports: { '.': './src/handler.ts' } });
  });

  it('registers the app where infra lists its apps: APP_NAMES, APP_SPECS with no live trigger, implicit dependencies', async () => {
    const tree = workspace();
    const before = registeredApps(tree);
    const dependenciesBefore = readJson<{ implicitDependencies: string[] }>(tree, 'infra/project.json').implicitDependencies;
    await lambdaAppGenerator(tree, { name: 'segment-exporter', trigger: 'schedule', description: "Exports a segment's members" });

    const after = registeredApps(tree);
    expect(after.errors).toBe(0);
    expect(after.names).toEqual([...before.names, 'segment-exporter']);
    expect(Object.keys(after.specs)).toEqual([...Object.keys(before.specs), 'segment-exporter']);
    for (const app of before.names) expect(after.specs[app], app).toBe(before.specs[app]);
    const spec = after.specs['segment-exporter'] ?? '';
    expect(spec).toContain(`description: "Exports a segment's members"`);
    expect(spec).toContain("principalClass: 'service'");
    expect(spec).toContain("kind: 'event-rule'");
    expect(spec).toContain("disabledBecause: 'segment-exporter is generated and its core still throws NotImplementedError'");
    expect(readJson<{ implicitDependencies: string[] }>(tree, 'infra/project.json').implicitDependencies).toEqual([...dependenciesBefore, 'segment-exporter']);
  });

  it.each(['http', 's3', 'eventbridge'])('writes a handler for the %s trigger', async (trigger) => {
    const tree = workspace();
    await lambdaAppGenerator(tree, { name: `svc-${trigger}`, trigger, access: 'system' });
    const handler = tree.read(`apps/svc-${trigger}/src/handler.ts`, 'utf8') ?? '';
    expect(handler).toContain('export const handler = instrumentHandler(handleSvc');
    expect(readProjectConfiguration(tree, `svc-${trigger}`).tags).toContain('access:system');
    expect(registeredApps(tree).specs[`svc-${trigger}`]).toContain("principalClass: 'system'");
  });

  it('registers two apps one after the other', async () => {
    const tree = workspace();
    await lambdaAppGenerator(tree, { name: 'first-svc' });
    await lambdaAppGenerator(tree, { name: 'second-svc' });
    const { names, errors } = registeredApps(tree);
    expect(errors).toBe(0);
    expect(names.slice(-2)).toEqual(['first-svc', 'second-svc']);
  });

  it('refuses a name that is not kebab-case or that exists already, and a workspace without the infra app list', async () => {
    const tree = workspace();
    await expect(lambdaAppGenerator(tree, { name: 'SegmentExporter' })).rejects.toThrow(/kebab-case/);
    await lambdaAppGenerator(tree, { name: 'dup' });
    await expect(lambdaAppGenerator(tree, { name: 'dup' })).rejects.toThrow(/exists already/);
    await expect(lambdaAppGenerator(createTreeWithEmptyWorkspace(), { name: 'lonely' })).rejects.toThrow(/infra\/src\/config\/apps\.ts is missing/);
  });
});
