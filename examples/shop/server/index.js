// The shop API: GET /api/<path>, GET /api/<path>/<id>, POST /api/<path> for every entity
// module in server/entities/, plus the static frontend from web/.
// Run: node server/index.js  (PORT defaults to 3000)
'use strict';

const http = require('node:http');
const fs = require('node:fs');
const path = require('node:path');
const { loadEntities } = require('./entities');
const { ValidationError, NotFoundError } = require('./errors');

const WEB = path.resolve(__dirname, '..', 'web');
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css' };

/** @param {http.ServerResponse} res @param {number} status @param {unknown} body */
function send(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

/** @param {http.IncomingMessage} req @returns {Promise<unknown>} */
function readJson(req) {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => { data += chunk; if (data.length > 1e6) req.destroy(); });
    req.on('end', () => {
      try { resolve(data ? JSON.parse(data) : {}); } catch { reject(new ValidationError(['body is not valid JSON'])); }
    });
    req.on('error', reject);
  });
}

function createServer() {
  /** @type {Map<string, any>} */
  const routes = new Map(loadEntities().map(({ mod }) => [mod.meta.path, mod]));

  return http.createServer(async (req, res) => {
    const url = new URL(req.url || '/', 'http://localhost');
    try {
      const api = /^\/api\/([a-z0-9-]+)(?:\/(\d+))?\/?$/.exec(url.pathname);
      if (api) {
        const entity = routes.get(api[1]);
        if (!entity) return send(res, 404, { error: `no entity at /api/${api[1]}` });
        const id = api[2] ? Number(api[2]) : undefined;
        if (req.method === 'GET' && id === undefined) return send(res, 200, entity.list());
        if (req.method === 'GET') return send(res, 200, entity.get(id));
        if (req.method === 'POST' && id === undefined) return send(res, 201, entity.create(await readJson(req)));
        return send(res, 405, { error: `${req.method} not allowed on ${url.pathname}` });
      }
      if (req.method !== 'GET') return send(res, 405, { error: 'method not allowed' });
      const rel = url.pathname === '/' ? 'index.html' : url.pathname.slice(1);
      const file = path.resolve(WEB, rel);
      if (!file.startsWith(WEB + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
        return send(res, 404, { error: 'not found' });
      }
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
      fs.createReadStream(file).pipe(res);
    } catch (err) {
      if (err instanceof ValidationError) return send(res, 400, { error: err.message, errors: err.errors });
      if (err instanceof NotFoundError) return send(res, 404, { error: err.message });
      console.error(err);
      return send(res, 500, { error: 'internal error' });
    }
  });
}

if (require.main === module) {
  const port = Number(process.env.PORT) || 3000;
  createServer().listen(port, () => console.log(`shop: http://localhost:${port}`));
}

module.exports = { createServer };
