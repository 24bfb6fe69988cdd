import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_NAMES } from '../../src/config/apps';
import { CONFIG_DIR, INFRA_ROOT } from '../../src/config/paths';

const readme = readFileSync(join(INFRA_ROOT, 'README.md'), 'utf8');
const project = JSON.parse(readFileSync(join(INFRA_ROOT, 'project.json'), 'utf8')) as { targets: Record<string, unknown> };

describe('README', () => {
  it('names only infra targets that exist', () => {
    const targets = [...readme.matchAll(/npx nx run infra:([a-z-]+)/g)].map((match) => match[1]);

    expect(targets.length).toBeGreaterThan(0);
    for (const target of targets) expect(Object.keys(project.targets), target).toContain(target);
  });

  it('deploys a stack id that the stage has', () => {
    const stackIds = [...readme.matchAll(/cdk deploy --app \S+ (dev\/[a-z-]+)/g)].map((match) => match[1]);

    for (const stackId of stackIds) expect(APP_NAMES.map((app) => `dev/${app}`), stackId).toContain(stackId);
  });

  it('documents the config file that exists', () => {
    expect(readme).toContain('config/<stage>.json');
    expect(readFileSync(join(CONFIG_DIR, 'dev.json'), 'utf8')).toContain('"stage": "dev"');
  });
});
