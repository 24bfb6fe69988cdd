import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const read = (path: string): string => readFileSync(join(root, path), 'utf8');
const nx = (...args: string[]): string =>
  execFileSync(process.execPath, [`${root}node_modules/nx/dist/bin/nx.js`, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' } });

/** Every Python project: a folder under apps/ or libs/ with a pyproject.toml (docs/STYLE.md, "Python, where AWS runs Python"). */
const pythonProjects = ['apps', 'libs']
  .flatMap((group) => readdirSync(join(root, group), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => `${group}/${e.name}`))
  .filter((dir) => existsSync(join(root, dir, 'pyproject.toml')));

/** The quoted strings of a TOML array `key = [...]` (enough for the few arrays these files hold). */
function tomlStrings(toml: string, key: string): string[] {
  const array = new RegExp(`^${key} = \\[([^\\]]*)\\]`, 'm').exec(toml)?.[1] ?? '';
  return [...array.matchAll(/"([^"]+)"/g)].map((match) => match[1] ?? '');
}

/**
 * Projects with their own locked environment (their own uv.lock and `.venv`, created by their own `setup` target
 * after python-env's): those whose pins clash with the workspace's, such as the MWAA DAG's Airflow.
 */
const ownEnvironment = pythonProjects.filter((dir) => existsSync(join(root, dir, 'uv.lock')));
const workspaceMembers = pythonProjects.filter((dir) => !ownEnvironment.includes(dir));

interface Target {
  options?: { command?: string };
  dependsOn?: string[];
  inputs?: string[];
}

describe('the Python side', () => {
  it('has the spark runner among its projects', () => {
    expect(pythonProjects).toContain('libs/spark-runner');
  });

  it.each(workspaceMembers)('%s is a member of the one uv workspace, with its layout', (dir) => {
    expect(tomlStrings(read('pyproject.toml'), 'members')).toContain(dir);
    expect(existsSync(join(root, dir, 'src'))).toBe(true);
    expect(existsSync(join(root, dir, 'tests'))).toBe(true);
  });

  it.each(ownEnvironment)('%s has its own locked environment, set up after the workspace\'s uv, with its layout', (dir) => {
    const project = JSON.parse(read(`${dir}/project.json`)) as { implicitDependencies?: string[]; targets: Record<string, Target> };
    expect(tomlStrings(read('pyproject.toml'), 'members')).not.toContain(dir);
    expect(read(`${dir}/pyproject.toml`)).toContain('required-version = "==');
    expect(project.targets['setup']?.dependsOn).toContain('python-env:setup');
    expect(project.implicitDependencies).toContain('python-env');
    expect(existsSync(join(root, dir, 'tests'))).toBe(true);
    const tools = { lint: 'ruff check', typecheck: 'mypy', test: 'pytest' };
    for (const [target, tool] of Object.entries(tools)) {
      const definition = project.targets[target];
      expect(definition?.options?.command, `${dir}:${target}`).toContain(`.venv/bin/${tool}`);
      expect(definition?.options?.command, `${dir}:${target}`).not.toContain('../../.venv');
      expect(definition?.dependsOn, `${dir}:${target}`).toContain('setup');
    }
  });

  it.each(workspaceMembers)('%s lints, typechecks and tests with the locked tools, after the environment is set up', (dir) => {
    const project = JSON.parse(read(`${dir}/project.json`)) as { implicitDependencies?: string[]; targets: Record<string, Target> };
    expect(project.implicitDependencies).toContain('python-env');
    const tools = { lint: 'ruff check', typecheck: 'mypy', test: 'pytest' };
    for (const [target, tool] of Object.entries(tools)) {
      const definition = project.targets[target];
      expect(definition?.options?.command, `${dir}:${target}`).toContain(`../../.venv/bin/${tool}`);
      expect(definition?.dependsOn, `${dir}:${target}`).toContain('^setup');
    }
  });

  it('pins every Python dependency and dev tool to one version', () => {
    const specs = [
      ...tomlStrings(read('pyproject.toml'), 'dev'),
      ...pythonProjects.flatMap((dir) => tomlStrings(read(`${dir}/pyproject.toml`), 'dependencies')),
      ...pythonProjects.flatMap((dir) => tomlStrings(read(`${dir}/pyproject.toml`), 'local')),
      ...ownEnvironment.flatMap((dir) => tomlStrings(read(`${dir}/pyproject.toml`), 'dev')),
    ];
    expect(specs).toContain('pyspark==3.5.6'); // Glue 5.1's Spark
    for (const spec of specs) {
      expect(spec).toMatch(/^[\w.-]+==\d+(\.\d+)*$/);
    }
  });

  it('bootstraps uv from one pinned, hashed version that the workspace requires', () => {
    const requirements = read('tools/python-env/requirements-uv.txt');
    const pin = /^uv==(\d+\.\d+\.\d+)/m.exec(requirements)?.[1];
    expect(pin).toBeDefined();
    expect(requirements).toMatch(/--hash=sha256:[0-9a-f]{64}/);
    expect(read('pyproject.toml')).toContain(`required-version = "==${pin}"`);
    expect(read('uv.lock')).toMatch(/^requires-python = "==3\.11\.\*"$/m);
  });

  it('keeps the environment and the bootstrapped uv out of git', () => {
    const ignored = read('.gitignore').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['.venv/', 'tools/python-env/.uv/', '__pycache__/']));
  });

  it('a change to the lock affects the environment and every Python project, so nx affected runs them', () => {
    const affected = nx('show', 'projects', '--affected', '--files=uv.lock').trim().split('\n').sort();
    expect(affected).toEqual(expect.arrayContaining(['python-env', ...pythonProjects.map((dir) => dir.split('/')[1])]));
    // libs/pipeline's tests run the Spark parity check, so the lock affects them; the contracts never use Python.
    expect(affected).not.toContain('contracts');
  });
});
