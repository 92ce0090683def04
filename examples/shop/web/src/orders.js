// Order screen — the reference frontend module for the "withSubItems" pattern:
// an order is created together with its lines and shown with them.
import { request, escapeHtml } from './api.js';

/** @returns {Promise<import('./api.js').Order[]>} */
export function listOrders() {
  return request('/api/orders');
}

/** @param {import('./api.js').OrderInput} input @returns {Promise<import('./api.js').Order>} */
export function createOrder(input) {
  return request('/api/orders', { method: 'POST', body: input });
}

/**
 * @param {HTMLElement} root
 * @param {import('./api.js').Order[]} orders
 * @param {import('./api.js').Customer[]} customers
 */
export function renderOrders(root, orders, customers) {
  if (!orders.length) {
    root.innerHTML = '<p>No orders yet.</p>';
    return;
  }
  const nameOf = (id) => (customers.find((c) => c.id === id) || { name: `#${id}` }).name;
  const rows = orders.map((o) => {
    const lines = o.lines.map((l) => `${l.quantity} × ${escapeHtml(l.product)} @ ${l.unitPrice.toFixed(2)}`).join('<br>');
    return `<tr><td>${o.id}</td><td>${escapeHtml(nameOf(o.customerId))}</td><td>${o.status}</td><td>${lines}</td><td>${o.total.toFixed(2)}</td></tr>`;
  }).join('');
  root.innerHTML = `<table><tr><th>#</th><th>Customer</th><th>Status</th><th>Lines</th><th>Total</th></tr>${rows}</table>`;
}
