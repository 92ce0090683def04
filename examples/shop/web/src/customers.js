// Customer screen — the reference frontend module for the "simple" pattern:
// list + create through request('/api/customers'), render into a given element.
import { request, escapeHtml } from './api.js';

/** @returns {Promise<import('./api.js').Customer[]>} */
export function listCustomers() {
  return request('/api/customers');
}

/** @param {import('./api.js').CustomerInput} input @returns {Promise<import('./api.js').Customer>} */
export function createCustomer(input) {
  return request('/api/customers', { method: 'POST', body: input });
}

/** @param {HTMLElement} root @param {import('./api.js').Customer[]} customers */
export function renderCustomers(root, customers) {
  if (!customers.length) {
    root.innerHTML = '<p>No customers yet.</p>';
    return;
  }
  const rows = customers
    .map((c) => `<tr><td>${c.id}</td><td>${escapeHtml(c.name)}</td><td>${escapeHtml(c.email)}</td></tr>`)
    .join('');
  root.innerHTML = `<table><tr><th>#</th><th>Name</th><th>Email</th></tr>${rows}</table>`;
}
