// A static file server on 127.0.0.1 (random port) for the browser tests: serves `root`, with
// optional extra response headers (e.g. a Content-Security-Policy), an optional body for "/",
// and an optional onRequest(pathname) hook (to check what a page asked for).
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { join, extname, normalize } from 'node:path';

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2',
  '.json': 'application/json', '.wasm': 'application/wasm' };

export async function serveStatic(root, { headers = {}, index = null, onRequest = null } = {}) {
  const server = createServer(async (req, res) => {
    try {
      const pathname = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      if (onRequest) onRequest(pathname);
      if (pathname === '/' && index !== null) {
        res.writeHead(200, { 'content-type': TYPES['.html'], ...headers });
        res.end(index);
        return;
      }
      let file = join(root, normalize(pathname));
      if (!file.startsWith(root)) throw new Error('outside root');
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] || 'application/octet-stream', ...headers });
      res.end(body);
    } catch {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { base: `http://127.0.0.1:${server.address().port}/`, close: () => server.close() };
}
