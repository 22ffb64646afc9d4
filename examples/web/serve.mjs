#!/usr/bin/env node
// A tiny static server for the example page: `/` serves examples/web, `/loansyncro/` serves
// the npm package (its web/ build). Loopback only.
//   node examples/web/serve.mjs [--port 8080] [--pkg bindings/wasm/pkg] [--root examples/web]
//                               [--port-file FILE]   (writes the bound port: use --port 0)
import { createServer } from 'node:http';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : dflt;
};
const root = resolve(opt('root', here));
const pkg = resolve(opt('pkg', join(here, '..', '..', 'bindings', 'wasm', 'pkg')));
const port = Number(opt('port', '8080'));
const portFile = opt('port-file', null);

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ts': 'text/plain; charset=utf-8',
};

function inside(base, rel) {
  const p = normalize(join(base, rel));
  return p === base || p.startsWith(base + sep) ? p : null;
}

const server = createServer(async (req, res) => {
  try {
    const url = new URL(req.url, 'http://localhost');
    let path = decodeURIComponent(url.pathname);
    let file;
    if (path.startsWith('/loansyncro/')) file = inside(pkg, path.slice('/loansyncro/'.length));
    else file = inside(root, path === '/' ? 'index.html' : path.slice(1));
    if (!file) throw Object.assign(new Error('forbidden'), { status: 403 });
    if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
    const body = await readFile(file);
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] || 'application/octet-stream',
      'cache-control': 'no-store',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  } catch (e) {
    const status = e.status || (e.code === 'ENOENT' ? 404 : 500);
    res.writeHead(status, { 'content-type': 'text/plain' });
    res.end(`${status}\n`);
  }
});

server.listen(port, '127.0.0.1', async () => {
  const bound = server.address().port;
  if (portFile) await writeFile(portFile, String(bound));
  console.log(`LoanSyncro example: http://127.0.0.1:${bound}/  (package from ${pkg})`);
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.close(() => process.exit(0)));
