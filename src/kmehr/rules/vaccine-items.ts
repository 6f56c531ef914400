import { itemType, type Item, type Transaction } from '../model.js';

type VaccineItem = { readonly item: Item; readonly i: number };

// Transactions are readonly (model.ts); five rules ask for the same list while one transaction is checked, so the last answer
// is kept (a WeakMap over millions of transactions costs more in garbage collection than it saves).
let lastTransaction: Transaction | undefined;
let lastItems: readonly VaccineItem[] = [];

/** The `vaccine` items of a transaction with their index among all items (for `locate.item`); frozen, as the list is shared by the callers of one transaction. */
export function vaccineItems(transaction: Transaction): readonly VaccineItem[] {
  if (transaction === lastTransaction) return lastItems;
  const out: VaccineItem[] = [];
  const items = transaction.items;
  for (let i = 0; i < items.length; i++) if (itemType(items[i]!) === 'vaccine') out.push(Object.freeze({ item: items[i]!, i }));
  const frozen = Object.freeze(out);
  lastTransaction = transaction;
  lastItems = frozen;
  return frozen;
}
