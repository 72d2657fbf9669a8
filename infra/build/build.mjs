// Compiles apps/ and libs/ to dist/ file by file with TypeScript's transpiler (type checking is
// `npm run typecheck`), rewriting the @doorbraak/* paths of tsconfig.base.json to relative requires so that
// plain `node dist/apps/api/src/main.js` runs.
import { copyFile, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { buildWeb } from './build-web.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const { compilerOptions } = JSON.parse(await readFile(join(root, 'tsconfig.base.json'), 'utf8'));
const paths = Object.entries(compilerOptions.paths).map(([alias, [target]]) => [alias, join(root, target).replace(/\.ts$/, '')]);
const options = {
  ...ts.convertCompilerOptionsFromJson(compilerOptions, root).options,
  sourceMap: true,
  noEmit: false,
};
// apps/web is built for the browser by build-web.mjs.
const skip = /\.(spec|behaviour|fixtures)\.ts$|\/contract-tests\/|\/apps\/web\//;

/** Data files that code requires (reference lists, the demo dataset). */
async function* assets(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* assets(path);
    else if (entry.name.endsWith('.json') && path.includes('/src/')) yield path;
  }
}

async function* sources(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sources(path);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') && !skip.test(path)) yield path;
  }
}

function rewritePaths(code, file) {
  return code.replace(/require\("(@doorbraak\/[^"]+)"\)/g, (whole, specifier) => {
    const target = paths.find(([alias]) => alias === specifier)?.[1];
    if (!target) throw new Error(`${file}: ${specifier} is not in tsconfig.base.json paths`);
    const rel = relative(dirname(file), target);
    return `require("${rel.startsWith('.') ? rel : `./${rel}`}")`;
  });
}

await rm(join(root, 'dist'), { recursive: true, force: true });
let count = 0;
for (const top of ['apps', 'libs']) {
  for await (const file of sources(join(root, top))) {
    const out = join(root, 'dist', relative(root, file)).replace(/\.ts$/, '.js');
    const { outputText, sourceMapText } = ts.transpileModule(await readFile(file, 'utf8'), {
      compilerOptions: options,
      fileName: file,
      reportDiagnostics: false,
    });
    await mkdir(dirname(out), { recursive: true });
    const code = rewritePaths(outputText, file).replace(/\/\/# sourceMappingURL=.*$/m, `//# sourceMappingURL=${out.split('/').pop()}.map`);
    await writeFile(out, code);
    const map = JSON.parse(sourceMapText);
    await writeFile(`${out}.map`, JSON.stringify({ ...map, sources: [relative(dirname(out), file)] }));
    count++;
  }
  for await (const file of assets(join(root, top))) {
    const out = join(root, 'dist', relative(root, file));
    await mkdir(dirname(out), { recursive: true });
    await copyFile(file, out);
  }
}
console.log(`built ${count} files and ${await buildWeb(join(root, 'dist/web'))} web modules into dist/`);
