import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ESLint } from 'eslint';

const root = join(__dirname, '../..');

/** Lints `code` as if it were a new file at `path`, returning the boundary violations. */
async function violations(path: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: root });
  const [result] = await eslint.lintText(code, { filePath: join(root, path) });
  return result!.messages
    .filter((m) => m.ruleId === '@nx/enforce-module-boundaries')
    .map((m) => m.message);
}

describe('module boundaries', () => {
  beforeAll(() => {
    // The boundary rule reads Nx's project graph; make sure it is computed for this tree.
    execFileSync(process.execPath, [join(root, 'node_modules/nx/dist/bin/nx.js'), 'show', 'projects'], { cwd: root, stdio: 'ignore' });
  }, 120_000);

  it.each([
    ['a projection importing a database driver', 'libs/case-ledger/projections/src/x.ts', "import { Pool } from 'pg';\nexport const p = Pool;\n", /is not allowed to import "pg"/],
    ['a projection importing a logger', 'libs/case-ledger/projections/src/x.ts', "import pino from 'pino';\nexport const p = pino;\n", /is not allowed to import "pino"/],
    ['a port importing Nest', 'libs/platform/event-store/port/src/x.ts', "import { Injectable } from '@nestjs/common';\nexport const i = Injectable;\n", /is not allowed to import "@nestjs\/common"/],
    ['a projection importing the SQL utility', 'libs/case-ledger/projections/src/x.ts', "import { migrate } from '@doorbraak/sql';\nexport const m = migrate;\n", /can only depend on libs tagged with/],
    ['a platform adapter importing the case ledger', 'libs/platform/event-store/postgres/src/x.ts', "import { allProjections } from '@doorbraak/projections';\nexport const a = allProjections;\n", /can only depend on libs tagged with/],
    ['an app importing test helpers', 'apps/api/src/x.ts', "import { uniqueSchema } from '@doorbraak/testing';\nexport const u = uniqueSchema;\n", /can only depend on libs tagged with/],
  ])('rejects %s', async (_what, path, code, expected) => {
    const found = await violations(path, code);
    expect(found.length).toBeGreaterThan(0);
    expect(found.join('\n')).toMatch(expected);
  });

  it('accepts a projection that imports the event store port', async () => {
    const code = "import { START } from '@doorbraak/event-store';\nexport const s = START;\n";
    expect(await violations('libs/case-ledger/projections/src/x.ts', code)).toEqual([]);
  });
});
