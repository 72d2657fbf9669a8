const {PGlite}=require('@electric-sql/pglite');
const fs=require('fs'); const path=require('path');
const dir=path.dirname(require.resolve('@electric-sql/pglite'));
(async()=>{
  let t=Date.now();
  const [pg, init] = await Promise.all([WebAssembly.compile(fs.readFileSync(path.join(dir,'pglite.wasm'))), WebAssembly.compile(fs.readFileSync(path.join(dir,'initdb.wasm')))]);
  const data = new Blob([fs.readFileSync(path.join(dir,'pglite.data'))]);
  console.log('compile', Date.now()-t); t=Date.now();
  const db = await PGlite.create({pgliteWasmModule: pg, initdbWasmModule: init, fsBundle: data});
  console.log('first', Date.now()-t); t=Date.now();
  const db2 = await PGlite.create({pgliteWasmModule: pg, initdbWasmModule: init, fsBundle: data});
  console.log('second', Date.now()-t); t=Date.now();
  const tar = await db.dumpDataDir('none');
  const db3 = await PGlite.create({pgliteWasmModule: pg, initdbWasmModule: init, fsBundle: data, loadDataDir: tar});
  console.log('from tar', Date.now()-t);
  console.log((await db3.query('select 1 as x')).rows);
})();
