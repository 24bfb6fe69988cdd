import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const projectDirs = ['apps', 'libs', 'tools']
  .flatMap((group) => readdirSync(join(root, group), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => `${group}/${e.name}`))
  .concat(existsSync(join(root, 'infra/project.json')) ? ['infra'] : [])
  .filter((dir) => existsSync(join(root, dir, 'project.json')));
const readJson = (path: string): Record<string, unknown> => JSON.parse(readFileSync(join(root, path), 'utf8')) as Record<string, unknown>;
/** Python projects (a pyproject.toml) and the Python environment are Nx projects, not npm packages. */
const isPython = (dir: string): boolean => dir === 'tools/python-env' || existsSync(join(root, dir, 'pyproject.toml'));

describe('every project', () => {
  it('includes the seven services', () => {
    for (const app of ['ingestion-controller', 'masking-key-service', 'dq-notifier', 'model-history', 'retrieval-api', 'oracle-replicator', 'pipeline-trigger']) {
      expect(projectDirs).toContain(`apps/${app}`);
    }
  });

  it.each(projectDirs)('%s has one type, scope and access tag', (dir) => {
    const tags = readJson(`${dir}/project.json`)['tags'] as string[];
    for (const dimension of ['type', 'scope', 'access']) {
      expect(tags.filter((tag) => tag.startsWith(`${dimension}:`)), `${dir} ${dimension}`).toHaveLength(1);
    }
  });

  it.each(projectDirs.filter((dir) => !isPython(dir)))('%s is a workspace package with exports, so module boundaries see its imports', (dir) => {
    const pkg = readJson(`${dir}/package.json`);
    expect(pkg['name']).toMatch(/^@cur\//);
    expect(pkg['exports']).toBeDefined();
    expect(pkg['private']).toBe(true);
  });

  it.each(projectDirs.filter((dir) => dir.startsWith('apps/')))('%s builds one minified ESM bundle with a sourcemap', (dir) => {
    const build = (readJson(`${dir}/project.json`)['targets'] as Record<string, { executor: string; options: Record<string, unknown> }>)['build'];
    expect(build?.executor).toBe('@nx/esbuild:esbuild');
    expect(build?.options).toMatchObject({ format: ['esm'], bundle: true, minify: true, sourcemap: true, target: 'node22', outputPath: `dist/${dir}` });
  });
});

describe('the root package', () => {
  const pkg = readJson('package.json');

  it('pins every dependency to an exact version', () => {
    for (const [name, version] of Object.entries({ ...(pkg['dependencies'] as object), ...(pkg['devDependencies'] as object) })) {
      expect(version, name).toMatch(/^\d+\.\d+\.\d+(-[\w.]+)?$/);
    }
  });

  it('keeps the two commands the README promises', () => {
    const scripts = pkg['scripts'] as Record<string, string>;
    expect(scripts['start']).toBe('cur demo');
    expect(scripts['test']).toContain('lint');
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    expect(readme).toContain('npm ci && npm start');
    expect(readme).toContain('npm test');
    const ci = readFileSync(join(root, '.ci/run'), 'utf8');
    expect(ci).toContain('npm ci');
    expect(ci).toContain('npm test');
  });
});
