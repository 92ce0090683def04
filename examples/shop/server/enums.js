// Enumerations shared by entities; .claude/scripts/sync-registry.js copies them to `_enums`.
'use strict';

/** @typedef {'pending' | 'paid' | 'shipped' | 'cancelled'} OrderStatusValue */
const OrderStatus = ['pending', 'paid', 'shipped', 'cancelled'];

module.exports = { OrderStatus };
