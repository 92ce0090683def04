import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { test } from 'node:test';
import { createClient } from '../src/client.js';

/** An HTTP server answering as the products API does, recording what it was asked. */
async function api(t) {
  const asked = [];
  const server = createServer((req, res) => {
    asked.push(`${req.method} ${req.url}`);
    const found = req.url === '/products' ? [{ id: 'a b', name: 'A', priceCents: 1 }] : undefined;
    res.writeHead(found ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify(found ?? { error: 'none' }));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => server.close());
  return { client: createClient(`http://127.0.0.1:${server.address().port}`), asked };
}

test('listProducts gets /products and gives its JSON', async (t) => {
  const { client, asked } = await api(t);
  assert.deepEqual(await client.listProducts(), [{ id: 'a b', name: 'A', priceCents: 1 }]);
  assert.deepEqual(asked, ['GET /products']);
});

test('getProduct fills {id}, encoded; a 404 is an error naming it; a missing id is refused before any call', async (t) => {
  const { client, asked } = await api(t);
  await assert.rejects(client.getProduct({ id: 'a b' }), /GET \/products\/a%20b: 404/);
  await assert.rejects(client.getProduct(), /needs id/);
  assert.deepEqual(asked, ['GET /products/a%20b']);
});
