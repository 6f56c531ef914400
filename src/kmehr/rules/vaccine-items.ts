import { itemType, type Item, type Transaction } from '../model.js';

type VaccineItem = { readonly item: Item; readonly i: number };

// Transactions are frozen; five rules ask for the same list per transaction.
const cache = new WeakMap<Transaction, readonly VaccineItem[]>();

/** The `vaccine` items of a transaction with their index among all items (for `locate.item`); frozen, cached. */
export function vaccineItems(transaction: Transaction): readonly VaccineItem[] {
  const cached = cache.get(transaction);
  if (cached !== undefined) return cached;
  const out: VaccineItem[] = [];
  const items = transaction.items;
  for (let i = 0; i < items.length; i++) if (itemType(items[i]!) === 'vaccine') out.push(Object.freeze({ item: items[i]!, i }));
  const frozen = Object.freeze(out);
  cache.set(transaction, frozen);
  return frozen;
}
