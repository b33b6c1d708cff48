// price-order: prices an order, in JavaScript. Money is computed in decimal with
// big.js (no binary floating point: 0.1 + 0.2 is 0.3), rounded half-up to cents.
//
// Input:  {"orderId": "o-1", "items": [{"sku": "A", "quantity": 2, "price": 12.5}],
//          "discountPercent": 10, "taxRate": 0.2, "currency": "EUR"}
//         (discountPercent, taxRate and currency are optional: 0, 0, "USD")
// Output: {"orderId": "o-1", "currency": "EUR", "subtotal": 25, "discount": 2.5,
//          "tax": 4.5, "total": 27, "lines": [{"sku": "A", "quantity": 2, "amount": 25}]}
// Error:  Pricing.InvalidOrder, cause JSON {"orderId": ..., "reason": ...}
//
// scripts/build-guests bundles it (esbuild) and builds target/guests/price-order.wasm
// with componentize-js against wit/task.wit.

import Big from 'big.js';
import { log, heartbeat } from 'stepwise:task/context@0.1.0';

class InvalidOrder extends Error {}

function decimal(value, what) {
  if (typeof value !== 'number' && typeof value !== 'string') {
    throw new InvalidOrder(`${what} must be a number`);
  }
  try {
    return new Big(value);
  } catch {
    throw new InvalidOrder(`${what} is not a number: ${JSON.stringify(value)}`);
  }
}

const cents = (big) => Number(big.round(2, Big.roundHalfUp).toFixed(2));

export function price(order) {
  if (order === null || typeof order !== 'object' || Array.isArray(order)) {
    throw new InvalidOrder('the input must be an object');
  }
  if (!Array.isArray(order.items) || order.items.length === 0) {
    throw new InvalidOrder('the order has no items');
  }
  let subtotal = new Big(0);
  const lines = order.items.map((item, i) => {
    const quantity = decimal(item?.quantity, `items[${i}].quantity`);
    const price = decimal(item?.price, `items[${i}].price`);
    if (quantity.lt(1) || !quantity.round(0).eq(quantity)) {
      throw new InvalidOrder(`items[${i}].quantity must be a whole number from 1`);
    }
    if (price.lt(0)) throw new InvalidOrder(`items[${i}].price must not be negative`);
    const amount = price.times(quantity);
    subtotal = subtotal.plus(amount);
    return { sku: item.sku, quantity: Number(quantity), amount: cents(amount) };
  });
  const percent = decimal(order.discountPercent ?? 0, 'discountPercent');
  if (percent.lt(0) || percent.gt(100)) throw new InvalidOrder('discountPercent must be from 0 to 100');
  const rate = decimal(order.taxRate ?? 0, 'taxRate');
  if (rate.lt(0)) throw new InvalidOrder('taxRate must not be negative');
  const discount = subtotal.times(percent).div(100).round(2, Big.roundHalfUp);
  const taxed = subtotal.minus(discount);
  const tax = taxed.times(rate).round(2, Big.roundHalfUp);
  return {
    orderId: order.orderId,
    currency: order.currency ?? 'USD',
    subtotal: cents(subtotal),
    discount: cents(discount),
    tax: cents(tax),
    total: cents(taxed.plus(tax)),
    lines,
  };
}

// The component's export: run(input: string) -> result<string, task-error>.
// Returning a string is `ok`; throwing is `err`, with a task-error as the payload.
export function run(input) {
  heartbeat();
  let order;
  try {
    order = JSON.parse(input);
  } catch (e) {
    throw { error: 'Pricing.InvalidOrder', cause: JSON.stringify({ reason: `not JSON: ${e.message}` }) };
  }
  try {
    const priced = price(order);
    log('info', `order ${priced.orderId}: total ${priced.total} ${priced.currency}`);
    return JSON.stringify(priced);
  } catch (e) {
    if (!(e instanceof InvalidOrder)) throw e;
    log('warn', `order ${order?.orderId}: ${e.message}`);
    throw {
      error: 'Pricing.InvalidOrder',
      cause: JSON.stringify({ orderId: order?.orderId ?? null, reason: e.message }),
    };
  }
}
