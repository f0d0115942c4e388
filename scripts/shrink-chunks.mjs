// Shrinks every module of a split wasm build but the main one (wasm-opt -Oz) in ONE Node process:
// the lazy routes' modules (split_*.wasm) and the chunks they share (chunk_*.wasm).
//
// The wasm-opt on these machines is binaryen's npm build: each run starts Node and loads a 14 MB
// compiler before it reads a byte, about 0.6 s, and a build has ~750 chunks, most a few hundred
// bytes. Loading binaryen once and optimizing every chunk with its JS API costs that start-up once.
// A chunk that does not get smaller, or that binaryen cannot read, is left as the splitter wrote it.
//
//   node scripts/shrink-chunks.mjs <folder> [part parts]
//
// portico_bg.wasm, the main module, is left out. With `part parts` (0 2, 1 2) the process takes every
// parts-th module by size, so two processes share the work evenly on two cores.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [dir, part = '0', parts = '1'] = process.argv.slice(2);
if (!dir || !(Number(part) < Number(parts))) {
  console.error('usage: shrink-chunks.mjs <folder> [part parts]');
  process.exit(2);
}
const here = resolve(new URL('.', import.meta.url).pathname, '..');
const { default: binaryen } = await import(pathToFileURL(join(here, 'end2end/node_modules/binaryen/index.js')).href);

// binaryen takes each chunk's features from its target_features section, as the CLI does, so the
// optimizer uses nothing the compiler did not: no instruction a browser of the supported range lacks.
binaryen.setOptimizeLevel(2);
binaryen.setShrinkLevel(2);

let [files, before, after, kept] = [0, 0, 0, 0];
const modules = readdirSync(dir)
  .filter((n) => /^(chunk|split)_.*\.wasm$/.test(n))
  .map((n) => ({ name: n, size: statSync(join(dir, n)).size }))
  .sort((a, b) => b.size - a.size || a.name.localeCompare(b.name))
  .filter((_, i) => i % Number(parts) === Number(part));
for (const { name } of modules) {
  const path = join(dir, name);
  const bytes = readFileSync(path);
  files += 1;
  before += bytes.length;
  let out = bytes;
  try {
    const module = binaryen.readBinary(bytes);
    module.optimize();
    const shrunk = module.emitBinary();
    module.dispose();
    if (shrunk.length < bytes.length) out = shrunk;
  } catch (e) {
    kept += 1;
  }
  if (out !== bytes) writeFileSync(path, out);
  after += out.length;
}
console.log(`shrink-chunks ${part}/${parts}: ${files} modules, ${before} → ${after} bytes${kept ? `, ${kept} left as they were (unreadable)` : ''}`);
