// Types shared with the backend (server/entities/*.js) and the one fetch helper every
// feature module uses. Paths are always literal '/api/<entity path>' strings so that
// scripts/check-web.mjs can check them against the server's entities.

/** @typedef {{ id: number, name: string, email: string, createdAt: string }} Customer */
/** @typedef {{ name: string, email: string }} CustomerInput */
/** @typedef {'pending' | 'paid' | 'shipped' | 'cancelled'} OrderStatus */
/** @typedef {{ id: number, orderId: number, product: string, quantity: number, unitPrice: number }} OrderLine */
/** @typedef {{ id: number, customerId: number, status: OrderStatus, createdAt: string, lines: OrderLine[], total: number }} Order */
/** @typedef {{ customerId: number, status?: OrderStatus, lines: { product: string, quantity: number, unitPrice: number }[] }} OrderInput */

export class ApiError extends Error {
  /** @param {number} status @param {string} message @param {string[]} [errors] */
  constructor(status, message, errors = []) {
    super(message);
    this.status = status;
    this.errors = errors;
  }
}

/**
 * @template T
 * @param {string} path an '/api/…' path
 * @param {{ method?: string, body?: unknown }} [options]
 * @returns {Promise<T>}
 */
export async function request(path, options = {}) {
  const res = await fetch(path, {
    method: options.method || 'GET',
    headers: options.body === undefined ? {} : { 'content-type': 'application/json' },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new ApiError(res.status, data.error || res.statusText, data.errors);
  return data;
}

/** @param {string} text @returns {string} text safe to put inside HTML */
export function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
