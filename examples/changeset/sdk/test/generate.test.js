import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generate, operations } from '../scripts/generate.mjs';

const SCHEMA = `openapi: 3.0.3
paths:
  /orders:
    get:
      operationId: listOrders
    post:
      operationId: "placeOrder"
  /orders/{id}:
    parameters:
      - name: id
    delete:
      operationId: cancelOrder
components:
  schemas:
    Order:
      type: object
`;

test('one operation per method under paths, named by its operationId, in the file order', () => {
  assert.deepEqual(operations(SCHEMA), [
    { id: 'listOrders', method: 'GET', path: '/orders' },
    { id: 'placeOrder', method: 'POST', path: '/orders' },
    { id: 'cancelOrder', method: 'DELETE', path: '/orders/{id}' },
  ]);
});

test('the client has a method per operation calling its path', () => {
  const client = generate(SCHEMA);
  assert.match(client, /placeOrder: \(params = \{\}, body\) => request\(baseUrl, 'POST', '\/orders', params, body\)/);
  assert.match(client, /cancelOrder: .*'DELETE', '\/orders\/\{id\}'/);
});
