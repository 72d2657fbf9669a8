import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * PGlite is a single-process database: two processes opening one data directory would corrupt it. A lock file
 * beside the directory holds the owner's pid; a lock whose process is gone is taken over.
 */
export function lockEmbeddedStore(dataDir: string): () => void {
  const lockFile = `${resolve(dataDir)}.lock`;
  mkdirSync(dirname(lockFile), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockFile, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      const release = () => rmSync(lockFile, { force: true });
      process.once('exit', release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(readFileSync(lockFile, 'utf8'));
      if (isAlive(owner) && owner !== process.pid) {
        throw new Error(
          `the embedded store in ${dataDir} is in use by process ${owner}; stop it first, or set DATABASE_URL to share a PostgreSQL server`,
        );
      }
      rmSync(lockFile, { force: true });
    }
  }
  throw new Error(`could not lock the embedded store in ${dataDir}`);
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
