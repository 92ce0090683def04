import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { test } from 'node:test';
import { price, productList } from '../src/productList.js';

test('the list shows each product the API gives, its name escaped, its price in euros', async (t) => {
  const server = createServer((req, res) => {
    res.writeHead(req.url === '/products' ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify([{ id: 'k', name: 'Kettle <2L>', priceCents: 2599 }]));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => server.close());
  const html = await productList(`http://127.0.0.1:${server.address().port}`);
  assert.equal(html, '<ul><li>Kettle &lt;2L&gt; €25.99</li></ul>');
});

test('prices keep their cents', () => {
  assert.equal(price(1805), '€18.05');
  assert.equal(price(7), '€0.07');
});
