// Order with OrderLine sub-items — the reference module for the "withSubItems" pattern.
// Sub-items are created and returned with their parent; they have no route of their own.
// References Customer (customerId). Tables: db/migrations/002.
'use strict';

const store = require('../store');
const { ValidationError, NotFoundError } = require('../errors');
const { OrderStatus } = require('../enums');
const customer = require('./customer');

const meta = {
  name: 'Order',
  table: 'orders',
  path: 'orders',
  pattern: 'withSubItems',
  refs: ['Customer'],
  subs: ['OrderLine'],
};
const LINES = 'order_lines';

/** @typedef {{ id: number, orderId: number, product: string, quantity: number, unitPrice: number }} OrderLine */
/** @typedef {{ id: number, customerId: number, status: string, createdAt: string, lines: OrderLine[], total: number }} Order */

/** @param {any} input @returns {string[]} one message per invalid field, empty when valid */
function validate(input) {
  const errors = [];
  if (!input || typeof input !== 'object') return ['body must be a JSON object'];
  if (!Number.isInteger(input.customerId)) errors.push('customerId must be an integer');
  else if (!store.find(customer.meta.table, input.customerId)) errors.push(`customerId ${input.customerId} does not exist`);
  if (input.status !== undefined && !OrderStatus.includes(input.status)) {
    errors.push(`status must be one of ${OrderStatus.join(', ')}`);
  }
  if (!Array.isArray(input.lines) || input.lines.length === 0) {
    errors.push('lines must be a non-empty array');
  } else {
    input.lines.forEach((line, i) => {
      if (!line || typeof line.product !== 'string' || !line.product.trim()) errors.push(`lines[${i}].product is required`);
      if (!line || !Number.isInteger(line.quantity) || line.quantity <= 0) errors.push(`lines[${i}].quantity must be a positive integer`);
      if (!line || typeof line.unitPrice !== 'number' || !(line.unitPrice >= 0)) errors.push(`lines[${i}].unitPrice must be a number >= 0`);
    });
  }
  return errors;
}

/** @param {any} row @returns {Order} the order with its lines and total */
function withLines(row) {
  const lines = /** @type {OrderLine[]} */ (store.where(LINES, (l) => l.orderId === row.id));
  const total = Math.round(lines.reduce((sum, l) => sum + l.quantity * l.unitPrice, 0) * 100) / 100;
  return { ...row, lines, total };
}

/** @returns {Order[]} */
function list() {
  return store.all(meta.table).map(withLines);
}

/** @param {number} id @returns {Order} */
function get(id) {
  const row = store.find(meta.table, id);
  if (!row) throw new NotFoundError(meta.name, id);
  return withLines(row);
}

/** @param {any} input @returns {Order} */
function create(input) {
  const errors = validate(input);
  if (errors.length) throw new ValidationError(errors);
  const order = store.insert(meta.table, {
    customerId: input.customerId,
    status: input.status || 'pending',
    createdAt: new Date().toISOString(),
  });
  for (const line of input.lines) {
    store.insert(LINES, { orderId: order.id, product: line.product.trim(), quantity: line.quantity, unitPrice: line.unitPrice });
  }
  return withLines(order);
}

module.exports = { meta, validate, list, get, create };
