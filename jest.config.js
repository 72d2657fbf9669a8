// One jest run for the whole workspace. Test tiers live in file names: *.unit.spec.ts, *.int.spec.ts,
// *.e2e.spec.ts; files with `.pg.` in their name need a PostgreSQL server (see the global setup), files with
// `.kurrentdb.` a KurrentDB server named by KURRENTDB_CONNECTION_STRING, files with `.browser.` Chromium.
const { spawnSync } = require('node:child_process');
const { existsSync, readFileSync } = require('node:fs');

const { paths } = JSON.parse(readFileSync(`${__dirname}/tsconfig.base.json`, 'utf8')).compilerOptions;
const moduleNameMapper = Object.fromEntries(Object.entries(paths).map(([alias, [target]]) => [`^${alias}$`, `<rootDir>/${target}`]));

function postgresAvailable() {
  if (process.env.DATABASE_URL) return true;
  const probe = spawnSync('sh', ['-c', 'command -v initdb || ls /usr/lib/postgresql/*/bin/initdb'], { encoding: 'utf8' });
  return probe.status === 0 && probe.stdout.trim() !== '';
}

const testPathIgnorePatterns = ['/node_modules/', '/dist/'];
if (!postgresAvailable()) {
  if (process.env.CI === 'true') {
    throw new Error('CI=true: the PostgreSQL tests must run, but there is no DATABASE_URL and no initdb to start a server');
  }
  process.env.LEDGER_TEST_POSTGRES = 'absent';
  testPathIgnorePatterns.push('\\.pg\\.');
  console.warn('PostgreSQL tests left out: no DATABASE_URL and no initdb found. Install PostgreSQL or set DATABASE_URL.');
}

// Files with `.browser.` in their name drive the web pages in Debian's Chromium.
if (!existsSync('/usr/bin/chromium')) {
  if (process.env.CI === 'true') throw new Error('CI=true: the browser tests must run, but /usr/bin/chromium is missing (apt-get install chromium)');
  testPathIgnorePatterns.push('\\.browser\\.');
  console.warn('Browser tests left out: no Chromium at /usr/bin/chromium. Install it (apt-get install chromium).');
}

if (!process.env.KURRENTDB_CONNECTION_STRING) {
  testPathIgnorePatterns.push('\\.kurrentdb\\.');
  console.warn('KurrentDB contract suite skipped: KURRENTDB_CONNECTION_STRING is not set (no KurrentDB server can run on this machine)');
}

module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/{apps,libs,test}/**/*.spec.ts'],
  testPathIgnorePatterns,
  moduleNameMapper,
  // Transpile only (type checking is `npm run typecheck`), as the build does.
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', diagnostics: false }] },
  globalSetup: '<rootDir>/libs/shared/testing/src/jest-global-setup.ts',
  globalTeardown: '<rootDir>/libs/shared/testing/src/jest-global-teardown.ts',
  testTimeout: 60_000,
};
