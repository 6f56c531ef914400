import { locate, type Header, type KmehrMessage } from '../model.js';
import type { Finding } from '../../status/finding.js';
import { administrationDateRule } from './administration-date-rule.js';
import { covidAdverseEventRule } from './covid-adverse-event-rule.js';
import { covidLotRule } from './covid-lot-rule.js';
import { hcpartyCodeRule } from './hcparty-code-rule.js';
import { authorNihiiPresentRule, hcpartyIdRule } from './hcparty-id-rule.js';
import { indicationCodeRule } from './indication-code-rule.js';
import { itemCodeRule } from './item-code-rule.js';
import { lifecycleRule } from './lifecycle-rule.js';
import { patientInszRule } from './patient-insz-rule.js';
import { productRule } from './product-rule.js';
import { quantityRule } from './quantity-rule.js';
import type { RuleContext, TransactionScope } from './rule-context.js';
import { transactionTypeRule } from './transaction-type-rule.js';
import { vaccineItemCountRule } from './vaccine-item-count-rule.js';
import { vaccineItems } from './vaccine-items.js';

export type { RuleContext } from './rule-context.js';

/**
 * The registry's own checks on a parsed message (kmehr-vaccination.md rules 2, 3, 4 (INSZ), 7, 8, 9, 11, 13 and
 * the code lists), documented in docs/kmehr-rules.md. Collects every problem; never stops at the first.
 * Rules that need more than the message (4: person known, 5, 6, 10, 12, 14) belong to the registry use cases.
 * @param message - a parsed (or built) message
 * @param ctx - today's date (Europe/Brussels) and the vaccine reference table
 * @returns the findings: header, then per folder the patient and each transaction (within one, grouped by rule)
 */
export function checkMessage(message: KmehrMessage, ctx: RuleContext): Finding[] {
  const out = checkHeader(message);
  message.folders.forEach((folder, f) => {
    out.push(...patientInszRule(message, f, ctx));
    folder.transactions.forEach((_, t) => out.push(...checkTransactionOnly(message, f, t, ctx)));
  });
  return out;
}

/**
 * The same rules for one transaction, for per-transaction batch results: the header's findings (sender) and the
 * folder's patient findings are included, because they make this transaction fail too.
 * @param f - folder index (0-based)
 * @param t - transaction index within the folder (0-based)
 */
export function checkTransaction(message: KmehrMessage, f: number, t: number, ctx: RuleContext): Finding[] {
  const out = checkHeader(message);
  append(out, patientInszRule(message, f, ctx));
  return append(out, checkTransactionOnly(message, f, t, ctx));
}

/** Header rules: sender NIHII/CBE check digits (rule 11) and CD-HCPARTY of sender and recipient. */
export function checkHeader(message: KmehrMessage): Finding[] {
  if (message.header === lastHeader) return [...lastHeaderFindings];
  const out = hcpartyIdRule(message.header.senders, senderAt);
  append(out, hcpartyCodeRule(message.header.senders, senderAt));
  append(out, hcpartyCodeRule(message.header.recipients, recipientAt));
  lastHeader = message.header;
  lastHeaderFindings = Object.freeze([...out]);
  return out;
}

/** Only the transaction's own rules (no header or patient findings). */
export function checkTransactionOnly(message: KmehrMessage, f: number, t: number, ctx: RuleContext): Finding[] {
  const folder = message.folders[f]!;
  const transaction = folder.transactions[t]!;
  const vaccine = vaccineItems(transaction);
  let covid = false;
  for (let k = 0; k < vaccine.length && !covid; k++) covid = ctx.reference.isCovid19Item(vaccine[k]!.item);
  const s: TransactionScope = { message, f, t, folder, transaction, ctx, covid };
  const type = transactionTypeRule(s);
  if (type.otherType) return type.findings;
  // Locations are computed only when a rule reports something: building them cost more than the rules themselves.
  const out: Finding[] = [];
  append(out, type.findings);
  append(out, vaccineItemCountRule(s));
  append(out, authorNihiiPresentRule(transaction.authors, transactionAuthorAt, f, t));
  append(out, hcpartyIdRule(transaction.authors, transactionAuthorAt, f, t));
  append(out, hcpartyCodeRule(transaction.authors, transactionAuthorAt, f, t));
  for (let i = 0; i < transaction.items.length; i++) {
    const item = transaction.items[i]!;
    if (item.authors.length === 0) continue;
    append(out, hcpartyIdRule(item.authors, itemAuthorAt, f, t, i));
    append(out, hcpartyCodeRule(item.authors, itemAuthorAt, f, t, i));
  }
  append(out, itemCodeRule(s));
  append(out, indicationCodeRule(s));
  append(out, productRule(s));
  append(out, lifecycleRule(s));
  append(out, covidLotRule(s));
  append(out, covidAdverseEventRule(s));
  append(out, administrationDateRule(s));
  return append(out, quantityRule(s));
}

const senderAt = (): string => `${locate.header()}/sender`;
const recipientAt = (): string => `${locate.header()}/recipient`;
const transactionAuthorAt = (f: number, t: number): string => `${locate.transaction(f, t)}/author`;
const itemAuthorAt = (f: number, t: number, i: number): string => `${locate.item(f, t, i)}/author`;

// The header is readonly (model.ts) and shared by every transaction of a batch: its findings are computed once per header.
let lastHeader: Header | undefined;
let lastHeaderFindings: readonly Finding[] = [];

/** Pushes `more` onto `out` in order (no spread: most rule results are empty). */
function append(out: Finding[], more: readonly Finding[]): Finding[] {
  for (let i = 0; i < more.length; i++) out.push(more[i]!);
  return out;
}
