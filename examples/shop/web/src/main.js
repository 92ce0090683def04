// Entry point loaded by web/index.html: wires the forms to the feature modules.
import { ApiError, escapeHtml } from './api.js';
import { listCustomers, createCustomer, renderCustomers } from './customers.js';
import { listOrders, createOrder, renderOrders } from './orders.js';

/** @param {string} id @returns {HTMLElement} */
const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

/** @param {string} id @param {unknown} err */
function showError(id, err) {
  $(id).textContent = err instanceof ApiError && err.errors.length ? err.errors.join('; ') : String(err instanceof Error ? err.message : err);
}

async function refresh() {
  const [customers, orders] = await Promise.all([listCustomers(), listOrders()]);
  renderCustomers($('customers'), customers);
  renderOrders($('orders'), orders, customers);
  $('order-customer').innerHTML = customers
    .map((c) => `<option value="${c.id}">${escapeHtml(c.name)}</option>`)
    .join('');
}

$('customer-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = /** @type {HTMLFormElement} */ (event.target);
  const data = new FormData(form);
  try {
    await createCustomer({ name: String(data.get('name')), email: String(data.get('email')) });
    $('customer-error').textContent = '';
    form.reset();
    await refresh();
  } catch (err) {
    showError('customer-error', err);
  }
});

$('order-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = /** @type {HTMLFormElement} */ (event.target);
  const data = new FormData(form);
  try {
    await createOrder({
      customerId: Number(data.get('customerId')),
      lines: [{ product: String(data.get('product')), quantity: Number(data.get('quantity')), unitPrice: Number(data.get('unitPrice')) }],
    });
    $('order-error').textContent = '';
    await refresh();
  } catch (err) {
    showError('order-error', err);
  }
});

refresh().catch((err) => showError('customer-error', err));
