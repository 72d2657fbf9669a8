import nx from '@nx/eslint-plugin';

// Pure code (kernel, domain, projections, ports) may not reach frameworks, drivers or loggers.
const pureBans = ['@nestjs/*', 'nestjs-pino', 'pg', 'pg-*', '@electric-sql/*', '@kurrent/*', '@eventstore/*', 'pino', 'pino-*', 'fastify', 'commander'];

const allLibs = ['type:kernel', 'type:domain', 'type:projections', 'type:port', 'type:util', 'type:adapter', 'type:application', 'type:composition'];

/** Module boundaries (docs/adr/0002). Specs may additionally use test libraries and real adapters. */
function depConstraints({ forTests }) {
  const extra = forTests ? ['type:testing', 'type:adapter'] : [];
  const only = (sourceTag, tags, bans) => ({
    sourceTag,
    onlyDependOnLibsWithTags: [...tags, ...extra],
    ...(bans ? { bannedExternalImports: bans } : {}),
  });
  return [
    only('type:kernel', ['type:kernel'], pureBans),
    only('type:domain', ['type:kernel', 'type:domain'], pureBans),
    only('type:projections', ['type:domain', 'type:kernel', 'type:port'], pureBans),
    only('type:port', ['type:kernel'], pureBans),
    only('type:util', ['type:kernel', 'type:util']),
    only('type:adapter', ['type:port', 'type:kernel', 'type:util']),
    only('type:application', ['type:domain', 'type:projections', 'type:port', 'type:kernel', 'type:util']),
    only('type:composition', allLibs),
    only('type:app', allLibs),
    only('type:testing', [...allLibs, 'type:testing']),
    only('type:e2e', [...allLibs, 'type:testing', 'type:app']),
    only('type:bench', [...allLibs, 'type:testing']),
    // The web pages run in the browser and talk to the API over HTTP only: no libraries, no packages. Their specs
    // may check them against the ledger's own pure code (the Merkle proofs).
    { sourceTag: 'type:web', onlyDependOnLibsWithTags: forTests ? ['type:kernel'] : [], ...(forTests ? {} : { allowedExternalImports: [] }) },
    { sourceTag: 'scope:case-ledger', onlyDependOnLibsWithTags: ['scope:case-ledger', 'scope:platform', 'scope:shared'] },
    { sourceTag: 'scope:platform', onlyDependOnLibsWithTags: ['scope:platform', 'scope:shared'] },
    { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared', ...(forTests ? ['scope:platform'] : [])] },
  ];
}

// End-to-end specs and the benchmark drive the apps in-process through their entry points.
const boundaries = (forTests, allow = forTests ? ['@doorbraak/api', '@doorbraak/cli'] : []) => [
  'error',
  {
    enforceBuildableLibDependency: false,
    allow,
    depConstraints: depConstraints({ forTests }),
  },
];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  { ignores: ['**/dist', '**/node_modules', '**/.nx', 'data/**', 'tmp/**'] },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@nx/enforce-module-boundaries': boundaries(false),
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.behaviour.ts', 'test/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': boundaries(true) },
  },
  {
    files: ['apps/bench/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': boundaries(false, ['@doorbraak/api']) },
  },
];
