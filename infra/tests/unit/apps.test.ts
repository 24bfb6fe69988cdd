import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_NAMES, APP_SPECS, CONSTRUCT_FUNCTION_APPS } from '../../src/config/apps';
import { INFRA_ROOT, WORKSPACE_ROOT } from '../../src/config/paths';
import { appBundleDir } from '../../src/constructs/service-function';

interface ProjectJson {
  readonly implicitDependencies?: string[];
  readonly targets: Record<string, { options?: { outputPath?: string } }>;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

const readProject = (dir: string): ProjectJson => JSON.parse(readFileSync(join(dir, 'project.json'), 'utf8')) as ProjectJson;

describe('Constant: APP_NAMES', () => {
  it('lists exactly the folders under apps/', () => {
    const folders = readdirSync(join(WORKSPACE_ROOT, 'apps'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);

    expect([...APP_NAMES, ...CONSTRUCT_FUNCTION_APPS].sort()).toEqual(folders.sort());
  });

  it('is the implicit dependency list of the infra project, so the graph rebuilds infra when an app changes', () => {
    expect([...(readProject(INFRA_ROOT).implicitDependencies ?? [])].sort()).toEqual([...APP_NAMES, ...CONSTRUCT_FUNCTION_APPS].sort());
  });

  it.each(APP_NAMES)('%s builds its bundle into the folder its stack takes the code from', (app) => {
    const build = readProject(join(WORKSPACE_ROOT, 'apps', app)).targets['build'];

    expect(join(WORKSPACE_ROOT, build?.options?.outputPath ?? '')).toBe(appBundleDir(app));
  });

  it('gives every app at least one trigger', () => {
    for (const app of APP_NAMES) expect(APP_SPECS[app].triggers.length, app).toBeGreaterThan(0);
  });

  it('deploys no live trigger for an app whose code still answers NOT_IMPLEMENTED', () => {
    const stubs = APP_NAMES.filter((app) => sourceFiles(join(WORKSPACE_ROOT, 'apps', app, 'src')).some((file) => /NOT_IMPLEMENTED|NotImplementedError/.test(readFileSync(file, 'utf8'))));
    for (const app of stubs) {
      for (const trigger of APP_SPECS[app].triggers) {
        expect(trigger.kind === 'event-rule' && trigger.disabledBecause !== undefined, `${app}: ${trigger.kind} trigger is live`).toBe(true);
      }
    }
  });
});
