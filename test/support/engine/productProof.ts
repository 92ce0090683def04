// The Product feature's proof (docs/proof.md) as its proof agent writes it on examples/shop: REQ-1.1
// and REQ-1.2 through the shop's HTTP API (server/index.js serves every entity module, so on the
// base /api/products answers 404), REQ-2.1 (the screen in a browser) left to the review. And the
// loosened copy a layer tries to write over it.

/** proof: on examples/shop, in the backend's folder (its owns, server/**, covers it). */
export { PROOF_CONFIG as PRODUCT_PROOF_CONFIG } from './pricingProof';

export const PRODUCT_PROOF_FILE = 'server/test/acceptance/products.test.js';

const header = `'use strict';
// REQ-1: creating a product through the shop's API, on a server of the test's own.
const test = require('node:test');
const assert = require('node:assert/strict');
const { createServer } = require('../../index.js');

/** POSTs \`product\` to /api/products; the answer's status and JSON body. */
async function post(product) {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    const res = await fetch(\`http://127.0.0.1:\${server.address().port}/api/products\`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(product),
    });
    return { status: res.status, body: await res.json() };
  } finally {
    server.close();
  }
}

test('REQ-1.1 stores a product with a name and a price and answers 201 with it and its id', async () => {
  const { status, body } = await post({ name: 'Tea', price: 3.5 });
  assert.equal(status, 201, JSON.stringify(body));
  assert.equal(typeof body.id, 'number');
  assert.deepEqual({ name: body.name, price: body.price }, { name: 'Tea', price: 3.5 });
});
`;

export const PRODUCT_PROOF = `${header}
test('REQ-1.2 answers 400 with the errors for a blank name or a price that is not a number >= 0', async () => {
  for (const product of [{ name: '  ', price: 1 }, { name: 'Tea', price: -1 }, { name: 'Tea', price: 'free' }]) {
    const { status, body } = await post(product);
    assert.equal(status, 400, JSON.stringify(product));
    assert.ok(Array.isArray(body.errors) && body.errors.length > 0, JSON.stringify(body));
  }
});
`;

/** What a layer would rather it said: REQ-1.2 asks nothing. */
export const PRODUCT_PROOF_LOOSENED = `${header}
test('REQ-1.2 answers 400 with the errors for a blank name or a price that is not a number >= 0', async () => {
  assert.ok(true);
});
`;

/** The proof agent's answer (submit_proof): a test per criterion it can test, REQ-2.1 left to the review. */
export const PRODUCT_PROOF_ANSWER = {
  tests: [
    {
      criterion: 'REQ-1.1',
      file: PRODUCT_PROOF_FILE,
      name: 'REQ-1.1 stores a product with a name and a price and answers 201 with it and its id',
    },
    {
      criterion: 'REQ-1.2',
      file: PRODUCT_PROOF_FILE,
      name: 'REQ-1.2 answers 400 with the errors for a blank name or a price that is not a number >= 0',
    },
    {
      criterion: 'REQ-2.1',
      untestable: 'the products screen is rendered in a browser, which these tests do not drive',
    },
  ],
};
