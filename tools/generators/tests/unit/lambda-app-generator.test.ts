import { createRequire } from 'node:module';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { readProjectConfiguration, type Tree } from '@nx/devkit';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const { lambdaAppGenerator } = require('../../src/lambda-app/generator.cjs') as {
  lambdaAppGenerator: (tree: Tree, options: Record<string, string>) => Promise<() => void>;
};

describe('lambda-app generator', () => {
  it('creates a service with the standard layout, tags and targets', async () => {
    const tree = createTreeWithEmptyWorkspace();
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

  it.each(['http', 's3', 'eventbridge'])('writes a handler for the %s trigger', async (trigger) => {
    const tree = createTreeWithEmptyWorkspace();
    await lambdaAppGenerator(tree, { name: `svc-${trigger}`, trigger, access: 'system' });
    const handler = tree.read(`apps/svc-${trigger}/src/handler.ts`, 'utf8') ?? '';
    expect(handler).toContain('export const handler = instrumentHandler(handleSvc');
    expect(readProjectConfiguration(tree, `svc-${trigger}`).tags).toContain('access:system');
  });

  it('refuses a name that is not kebab-case or that exists already', async () => {
    const tree = createTreeWithEmptyWorkspace();
    await expect(lambdaAppGenerator(tree, { name: 'SegmentExporter' })).rejects.toThrow(/kebab-case/);
    await lambdaAppGenerator(tree, { name: 'dup' });
    await expect(lambdaAppGenerator(tree, { name: 'dup' })).rejects.toThrow(/exists already/);
  });
});
