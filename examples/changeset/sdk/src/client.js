// Generated from service/openapi.yaml by scripts/generate.mjs (npm run generate): edit the schema, not this file.
import { request } from './request.js';

/** The API at `baseUrl` (http://localhost:3000), one method per operation. */
export function createClient(baseUrl) {
  return {
    /** GET /products */
    listProducts: (params = {}, body) => request(baseUrl, 'GET', '/products', params, body),
    /** GET /products/{id} */
    getProduct: (params = {}, body) => request(baseUrl, 'GET', '/products/{id}', params, body),
  };
}
