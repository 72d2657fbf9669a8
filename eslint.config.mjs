import nx from '@nx/eslint-plugin';

const pureBans = ['@nestjs/*', 'nestjs-pino', 'pg', 'pg-*', '@electric-sql/*', '@kurrent/*', '@eventstore/*', 'pino', 'pino-*', 'fastify', 'commander'];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  { ignores: ['**/dist', '**/node_modules', '**/.nx', 'data/**', 'tmp/**'] },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'type:kernel', onlyDependOnLibsWithTags: ['type:kernel'], bannedExternalImports: pureBans },
            { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:kernel', 'type:domain'], bannedExternalImports: pureBans },
            { sourceTag: 'type:projections', onlyDependOnLibsWithTags: ['type:domain', 'type:kernel', 'type:port'], bannedExternalImports: pureBans },
            { sourceTag: 'type:port', onlyDependOnLibsWithTags: ['type:kernel'], bannedExternalImports: pureBans },
            { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:kernel', 'type:util'] },
            { sourceTag: 'type:adapter', onlyDependOnLibsWithTags: ['type:port', 'type:kernel', 'type:util'] },
            { sourceTag: 'type:application', onlyDependOnLibsWithTags: ['type:domain', 'type:projections', 'type:port', 'type:kernel', 'type:util'] },
            { sourceTag: 'type:app', notDependOnLibsWithTags: ['type:testing', 'type:app', 'type:e2e'] },
            { sourceTag: 'type:testing', notDependOnLibsWithTags: ['type:app', 'type:e2e'] },
            { sourceTag: 'scope:case-ledger', onlyDependOnLibsWithTags: ['scope:case-ledger', 'scope:platform', 'scope:shared'] },
            { sourceTag: 'scope:platform', onlyDependOnLibsWithTags: ['scope:platform', 'scope:shared'] },
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
          ],
        },
      ],
    },
  },
];
