import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_NAMES, APP_SPECS } from '../../src/config/apps';
import { INFRA_ROOT, WORKSPACE_ROOT } from '../../src/config/paths';
import { appBundleDir } from '../../src/constructs/service-function';

interface ProjectJson {
  readonly implicitDependencies?: string[];
  readonly targets: Record<string, { options?: { outputPath?: string } }>;
}

const readProject = (dir: string): ProjectJson => JSON.parse(readFileSync(join(dir, 'project.json'), 'utf8')) as ProjectJson;

describe('Constant: APP_NAMES', () => {
  it('lists exactly the folders under apps/', () => {
    const folders = readdirSync(join(WORKSPACE_ROOT, 'apps'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);

    expect([...APP_NAMES].sort()).toEqual(folders.sort());
  });

  it('is the implicit dependency list of the infra project, so the graph rebuilds infra when an app changes', () => {
    expect(readProject(INFRA_ROOT).implicitDependencies).toEqual([...APP_NAMES]);
  });

  it.each(APP_NAMES)('%s builds its bundle into the folder its stack takes the code from', (app) => {
    const build = readProject(join(WORKSPACE_ROOT, 'apps', app)).targets['build'];

    expect(join(WORKSPACE_ROOT, build?.options?.outputPath ?? '')).toBe(appBundleDir(app));
  });

  it('gives every app at least one trigger', () => {
    for (const app of APP_NAMES) expect(APP_SPECS[app].triggers.length, app).toBeGreaterThan(0);
  });
});
