// Compiles apps/ and libs/ to dist/ with swc, rewriting the @doorbraak/* paths of tsconfig.base.json to
// relative requires so that plain `node dist/apps/api/src/main.js` runs. Type checking is `npm run typecheck`.
import { transformFile } from '@swc/core';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';

const { root, tsPaths, swcOptions } = createRequire(import.meta.url)('./swc-options.cjs');
const skip = /\.(spec|behaviour)\.ts$|\/contract-tests\//;

async function* sources(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sources(path);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') && !skip.test(path)) yield path;
  }
}

await rm(join(root, 'dist'), { recursive: true, force: true });
let count = 0;
for (const top of ['apps', 'libs']) {
  for await (const file of sources(join(root, top))) {
    const out = join(root, 'dist', relative(root, file)).replace(/\.ts$/, '.js');
    const { code, map } = await transformFile(file, {
      ...swcOptions,
      filename: file,
      jsc: { ...swcOptions.jsc, baseUrl: root, paths: tsPaths },
      sourceFileName: relative(dirname(out), file),
    });
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, `${code}\n//# sourceMappingURL=${out.split('/').pop()}.map\n`);
    if (map) await writeFile(`${out}.map`, map);
    count++;
  }
}
console.log(`built ${count} files into dist/`);
