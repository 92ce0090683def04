import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createService } from '../src/server.js';

async function listening(t) {
  const server = createService([{ id: 'mug', name: 'Mug', priceCents: 700 }]);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => server.close());
  return `http://127.0.0.1:${server.address().port}`;
}

test('GET /products lists every product', async (t) => {
  const base = await listening(t);
  const res = await fetch(`${base}/products`);
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), [{ id: 'mug', name: 'Mug', priceCents: 700 }]);
});

test('GET /products/{id} gives one product, or 404', async (t) => {
  const base = await listening(t);
  assert.deepEqual(await (await fetch(`${base}/products/mug`)).json(), { id: 'mug', name: 'Mug', priceCents: 700 });
  assert.equal((await fetch(`${base}/products/cup`)).status, 404);
});
