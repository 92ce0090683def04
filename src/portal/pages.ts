/**
 * The portal's page: built static files (scripts/build.mjs bundles src/portal/client into
 * dist/portal/), served from memory with the strict CSP of every response. No CDN, no inline
 * script or style: the page is `index.html`, `portal.js` and `portal.css`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServerResponse } from 'node:http';
import { SECURITY_HEADERS } from './httpKit';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};
const FILES = ['index.html', 'portal.js', 'portal.css'];

export class Pages {
  private readonly files = new Map<string, Buffer>();

  constructor(dir: string) {
    for (const file of FILES) if (existsSync(join(dir, file))) this.files.set(file, readFileSync(join(dir, file)));
  }

  /** Serves `path` when it is one of the page's files (any unknown path under / is the page: its own router). */
  serve(path: string, res: ServerResponse): boolean {
    const name = path === '/' ? 'index.html' : path.replace(/^\/assets\//, '');
    const body = this.files.get(name);
    if (!body) return false;
    const type = TYPES[name.slice(name.lastIndexOf('.'))] ?? 'application/octet-stream';
    res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': type, 'cache-control': 'no-cache' }).end(body);
    return true;
  }
}
