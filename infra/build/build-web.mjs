// Compiles the web pages (apps/web/src) into browser ES modules, file by file with TypeScript's transpiler, and
// copies their static files. No bundler: the pages import each other by relative `.js` paths.
// Usage: node infra/build/build-web.mjs <outDir>  (the full build puts them in dist/web, where the API serves them)
import { copyFile, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

const source = join(dirname(fileURLToPath(import.meta.url)), '../../apps/web/src');
const compilerOptions = { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ES2022, isolatedModules: true, strict: true };

async function* files(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else yield path;
  }
}

export async function buildWeb(outDir) {
  await rm(outDir, { recursive: true, force: true });
  let count = 0;
  for await (const file of files(source)) {
    if (/\.spec\.ts$/.test(file)) continue;
    const out = join(outDir, relative(source, file));
    await mkdir(dirname(out), { recursive: true });
    if (file.endsWith('.ts')) {
      const { outputText } = ts.transpileModule(await readFile(file, 'utf8'), { compilerOptions, fileName: file, reportDiagnostics: false });
      await writeFile(out.replace(/\.ts$/, '.js'), outputText);
      count++;
    } else if (/\.(html|css|svg)$/.test(file)) {
      await copyFile(file, out);
    }
  }
  return count;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const outDir = resolve(process.argv[2] ?? 'dist/web');
  console.log(`built ${await buildWeb(outDir)} web modules into ${outDir}`);
}
