// Bundle budget: the app's JavaScript (every chunk, the Cognito SDK's included) must stay within
// 150 KB gzip; the WASM package (its .wasm and JS glue) is measured apart. Reads dist/ after
// `vite build` (with its manifest). Usage: node scripts/bundle-size.mjs [budget KB]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const budget = Number(process.argv[2] ?? 150) * 1024;
const dist = join(process.cwd(), 'dist');
const manifest = JSON.parse(readFileSync(join(dist, '.vite', 'manifest.json'), 'utf8'));
const gz = (file) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

const isWasmPackage = (key) => /bindings\/wasm\/pkg|node_modules\/loansyncro\//.test(key);
const rows = [];
let app = 0;
let wasm = 0;
let initial = 0;
const entry = Object.values(manifest).find((c) => c.isEntry);
const initialFiles = new Set();
(function walk(chunk) {
  if (!chunk || initialFiles.has(chunk.file)) return;
  initialFiles.add(chunk.file);
  for (const k of chunk.imports ?? []) walk(manifest[k]);
})(entry);

for (const [key, chunk] of Object.entries(manifest)) {
  const files = [chunk.file, ...(chunk.assets ?? [])].filter((f) => f.endsWith('.js') || f.endsWith('.wasm'));
  for (const f of new Set(files)) {
    const size = gz(f);
    const kind = isWasmPackage(key) || f.endsWith('.wasm') ? 'wasm package' : 'app';
    if (rows.some((r) => r.file === f)) continue;
    rows.push({ file: f, source: key, kind, gzip: size });
    if (kind === 'app') app += size;
    else wasm += size;
    if (initialFiles.has(f)) initial += size;
  }
}
for (const r of rows) console.log(`${r.kind.padEnd(13)} ${kb(r.gzip).padStart(9)}  ${r.file}  (${r.source})`);
console.log(`app JS: ${kb(app)} gzip (budget ${kb(budget)}); loaded before the first paint: ${kb(initial)}; WASM package: ${kb(wasm)}`);
if (app > budget) {
  console.error(`bundle budget exceeded: app JS ${kb(app)} > ${kb(budget)}`);
  process.exit(1);
}
