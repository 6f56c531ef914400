import { idOf, type Item, type Transaction } from '../kmehr/model.js';
import { writeItem } from '../kmehr/write-kmehr.js';
import type { VaccineReference } from '../kmehr/codelists/vaccine-reference.js';
import { contentDigest } from './content-digest.js';
import type { Channel, NewVaccination } from './vaccination.js';
import { vaccineProduct } from './vaccine-product.js';

/** The idempotency key of a transaction (rule 14): the sender's LOCAL UUID when present, else message id + position. */
export function senderKey(messageId: string | undefined, transaction: Transaction, f: number, t: number): string {
  const local = idOf(transaction.ids, 'LOCAL');
  return local ? `local:${local.sl ?? ''}:${local.value}` : `kmehr:${messageId ?? ''}:${f}:${t}`;
}

/** What one transaction that passed the rules contributes to the dose the registry stores. */
export interface DoseSource {
  readonly insz: string;
  readonly transaction: Transaction;
  /** The transaction's vaccine item, with its administration date. */
  readonly item: Item;
  readonly administeredOn: string;
  readonly f: number;
  readonly t: number;
  /** `header/id[@S='ID-KMEHR']`. */
  readonly messageId: string | undefined;
  readonly registrantKey: string;
  readonly responsibleNihii: string | undefined;
  readonly softwareId: string;
  readonly channel: Channel;
  readonly disableStockChange?: boolean | undefined;
  readonly reference: VaccineReference;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * The one way every channel turns a checked transaction into the dose it stores (product resolved against the
 * reference table, sender key, content digest). `id` and `registeredAt` come from the registry's id generator and
 * clock: the batch planner, which runs on a planning thread, leaves them empty and the slice fills them in.
 */
export function newVaccination(src: DoseSource, id: string, registeredAt: string): NewVaccination {
  const { item, transaction } = src;
  const local = idOf(transaction.ids, 'LOCAL')?.value;
  // Optional fields assigned, not spread from conditional literals: this runs for every dose (see store/rows.ts).
  const v: Mutable<NewVaccination> = {
    id,
    patientInsz: src.insz,
    product: vaccineProduct(item, src.reference),
    administeredOn: src.administeredOn,
    registrantKey: src.registrantKey,
    softwareId: src.softwareId,
    channel: src.channel,
    senderKey: senderKey(src.messageId, transaction, src.f, src.t),
    registeredAt,
    itemXml: writeItem(item),
  };
  if (item.quantity) v.quantity = item.quantity.decimal;
  if (item.batch !== undefined) v.lot = item.batch;
  if (src.disableStockChange !== undefined) v.disableStockChange = src.disableStockChange;
  if (src.responsibleNihii !== undefined) v.responsibleNihii = src.responsibleNihii;
  if (src.messageId !== undefined) v.senderMessageId = src.messageId;
  if (local !== undefined) v.senderLocalId = local;
  v.contentDigest = contentDigest(v);
  return v;
}
