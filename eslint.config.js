import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Workflows run in Temporal's deterministic sandbox: no Node built-ins, no I/O clients, no db.
const workflowForbiddenImports = {
  patterns: [
    { group: ['node:*'], message: 'Workflows must be deterministic: no Node built-ins.' },
    { group: ['**/db/*', '**/db'], message: 'Workflows reach I/O only through activities.' },
    {
      group: ['**/activities/*', '**/activities'],
      allowTypeImports: true,
      message: 'Workflows import activities by type only (proxyActivities).',
    },
  ],
  paths: [
    'fs',
    'path',
    'os',
    'crypto',
    'http',
    'https',
    'net',
    'child_process',
    'ioredis',
    'pg',
    'drizzle-orm',
    'express',
    'pino',
  ].map((name) => ({ name, message: 'Workflows must be deterministic: no I/O modules.' })),
};

export default tseslint.config(
  // Generated: migrations by drizzle-kit, released workflow bundles by scripts/bundle-released-workflows.ts.
  {
    ignores: [
      'node_modules/',
      'dist/',
      '.gavel/',
      'db/migrations/',
      'test/fixtures/workflow-bundles/',
      'web/dist/',
      'web/src/api/schema.d.ts',
      'cli/api/schema.d.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js', 'cli/gavel.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite', 'before', 'after'] },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration through config/env.ts.' },
      ],
    },
  },
  {
    // The config modules own process.env (the servers', the command line's); the provisioning scripts and
    // tests set up child environments.
    files: ['config/env.ts', 'cli/environment.ts', 'scripts/**', 'test/**', 'bench/**'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    // The web app: event handlers may be async (Preact ignores what they return); Vite's config is a build script.
    files: ['web/**'],
    rules: {
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      'no-restricted-properties': 'off',
    },
  },
  {
    files: ['workflows/**'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', workflowForbiddenImports] },
  },
  {
    files: ['*.js', 'cli/gavel.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);
