import type { VaccineReference } from '../codelists/vaccine-reference.js';
import type { Folder, KmehrMessage, Transaction } from '../model.js';

/** What the message rules need besides the message: the registry's clock and the vaccine reference table. */
export interface RuleContext {
  /** YYYY-MM-DD, the registry's date in Europe/Brussels. */
  readonly today: string;
  readonly reference: VaccineReference;
}

/** One transaction and where it sits, handed to every transaction-level rule. */
export interface TransactionScope {
  readonly message: KmehrMessage;
  readonly f: number;
  readonly t: number;
  readonly folder: Folder;
  readonly transaction: Transaction;
  readonly ctx: RuleContext;
  /** Whether any `vaccine` item of the transaction is a COVID-19 vaccination (rules 2 and 3). */
  readonly covid: boolean;
}
