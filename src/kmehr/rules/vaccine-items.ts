import { itemType, type Item, type Transaction } from '../model.js';

/** The `vaccine` items of a transaction with their index among all items (for `locate.item`). */
export function vaccineItems(transaction: Transaction): readonly { readonly item: Item; readonly i: number }[] {
  return transaction.items.flatMap((item, i) => (itemType(item) === 'vaccine' ? [{ item, i }] : []));
}
