// The product list as HTML, read from the API through the sdk.
import { createClient } from '@changeset-example/sdk';

const escape = (text) =>
  String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

/** `2599` → `€25.99`. */
export const price = (cents) => `€${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;

/** The `<ul>` of the products the API at `baseUrl` lists. */
export async function productList(baseUrl) {
  const products = await createClient(baseUrl).listProducts();
  const items = products.map((p) => `<li>${escape(p.name)} ${price(p.priceCents)}</li>`);
  return `<ul>${items.join('')}</ul>`;
}
