// The products API that openapi.yaml describes: GET /products and GET /products/{id}.
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';

const PRODUCTS = [
  { id: 'kettle', name: 'Kettle', priceCents: 2599 },
  { id: 'teapot', name: 'Teapot', priceCents: 1850 },
];

/** The HTTP server over `products` (the sample list by default); not listening yet. */
export function createService(products = PRODUCTS) {
  return createServer((req, res) => {
    const send = (status, body) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method !== 'GET') return send(405, { error: 'method not allowed' });
    if (path === '/products') return send(200, products);
    const one = /^\/products\/([^/]+)$/.exec(path);
    const product = one && products.find((p) => p.id === decodeURIComponent(one[1]));
    if (product) return send(200, product);
    return send(404, { error: `no such product: ${path}` });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const port = Number(process.env.PORT ?? 3000);
  createService().listen(port, () => console.log(`products on http://localhost:${port}`));
}
