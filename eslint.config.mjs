import { readdirSync } from 'node:fs';
import nx from '@nx/eslint-plugin';

/**
 * Project boundaries (docs/ARCHITECTURE.md, "Project graph"). Every project.json carries one `type:`, one `scope:`
 * and one `access:` tag; a dependency must satisfy every constraint whose source tag the importing project has.
 */
const AWS_ONLY = ['@aws-sdk/*', 'aws-cdk-lib', 'aws-cdk-lib/*', 'constructs', 'cdk-nag', 'oracledb', '@duckdb/*'];

export const depConstraints = [
  // type: what kind of code may use what. Nothing may import an app or a tool.
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:runtime', 'type:adapter', 'type:domain', 'type:contract', 'type:util'] },
  { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:runtime', 'type:adapter', 'type:domain', 'type:contract', 'type:util'] },
  { sourceTag: 'type:infra', onlyDependOnLibsWithTags: ['type:domain', 'type:contract', 'type:util'] },
  { sourceTag: 'type:runtime', onlyDependOnLibsWithTags: ['type:adapter', 'type:domain', 'type:contract', 'type:util'] },
  { sourceTag: 'type:adapter', onlyDependOnLibsWithTags: ['type:domain', 'type:contract', 'type:util'] },
  { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain', 'type:contract', 'type:util'], bannedExternalImports: AWS_ONLY },
  { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:contract'], bannedExternalImports: AWS_ONLY },
  { sourceTag: 'type:contract', onlyDependOnLibsWithTags: [], bannedExternalImports: AWS_ONLY },
  // scope: a service's code sees its own scope and the shared libs only.
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
  { sourceTag: 'scope:infra', onlyDependOnLibsWithTags: ['scope:shared'] },
  { sourceTag: 'scope:tools', onlyDependOnLibsWithTags: ['scope:shared', 'scope:tools'] },
  // access: masked code never links the detokenize path.
  { sourceTag: 'access:masked', onlyDependOnLibsWithTags: ['access:masked'] },
];

/**
 * Tests may reach further down than the code they test: a domain lib's integration test runs against real local
 * adapters (dynalite, a temp lake folder) through the runtime, never against a hand-written fake. Apps and tools
 * stay off limits.
 */
const testDepConstraints = depConstraints.map((constraint) =>
  ['type:domain', 'type:util', 'type:contract'].includes(constraint.sourceTag)
    ? { ...constraint, onlyDependOnLibsWithTags: [...constraint.onlyDependOnLibsWithTags, 'type:runtime', 'type:adapter', 'type:util', 'type:contract', 'type:domain'], bannedExternalImports: [] }
    : constraint,
);

/** Each app is its own `scope:<app>`; generated from the folder names so a new app needs no edit here. */
const serviceScopeConstraints = readdirSync(new URL('./apps/', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => ({ sourceTag: `scope:${entry.name}`, onlyDependOnLibsWithTags: [`scope:${entry.name}`, 'scope:shared'] }));

export default [
  { ignores: ['**/dist', '**/node_modules', '**/.nx', '**/cdk.out', '**/.cur', '**/coverage', 'tools/generators/src/**/files/**'] },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    files: ['**/*.ts', '**/*.mts', '**/*.js', '**/*.mjs', '**/*.cjs'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allowCircularSelfDependency: false,
          banTransitiveDependencies: false,
          checkDynamicDependenciesExceptions: [],
          depConstraints: [...depConstraints, ...serviceScopeConstraints],
        },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Use named exports (docs/STYLE: no default exports).' },
      ],
    },
  },
  {
    files: ['**/tests/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        { enforceBuildableLibDependency: false, allowCircularSelfDependency: false, depConstraints: [...testDepConstraints, ...serviceScopeConstraints] },
      ],
    },
  },
  {
    files: ['**/*.ts', '**/*.mts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Tool configs must default-export, and each project's vitest config extends the one shared file at the root.
    files: ['**/eslint.config.mjs', '**/vitest.config.ts', '**/vitest.shared.ts'],
    rules: { 'no-restricted-syntax': 'off', '@nx/enforce-module-boundaries': 'off' },
  },
];
