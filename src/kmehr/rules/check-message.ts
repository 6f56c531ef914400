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

export type { RuleContext, TransactionScope } from './rule-context.js';

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
  const h = locate.header();
  const out = hcpartyIdRule(message.header.senders, `${h}/sender`);
  append(out, hcpartyCodeRule(message.header.senders, `${h}/sender`));
  append(out, hcpartyCodeRule(message.header.recipients, `${h}/recipient`));
  lastHeader = message.header;
  lastHeaderFindings = Object.freeze([...out]);
  return out;
}

/** Only the transaction's own rules (no header or patient findings). */
export function checkTransactionOnly(message: KmehrMessage, f: number, t: number, ctx: RuleContext): Finding[] {
  const folder = message.folders[f]!;
  const transaction = folder.transactions[t]!;
  const covid = vaccineItems(transaction).some(({ item }) => ctx.reference.isCovid19Item(item));
  const s: TransactionScope = { message, f, t, folder, transaction, ctx, covid };
  const type = transactionTypeRule(s);
  if (type.otherType) return type.findings;
  const tx = locate.transaction(f, t);
  const out = type.findings;
  append(out, vaccineItemCountRule(s));
  append(out, authorNihiiPresentRule(transaction.authors, `${tx}/author`));
  append(out, hcpartyIdRule(transaction.authors, `${tx}/author`));
  append(out, hcpartyCodeRule(transaction.authors, `${tx}/author`));
  for (let i = 0; i < transaction.items.length; i++) {
    const item = transaction.items[i]!;
    if (item.authors.length === 0) continue;
    append(out, hcpartyIdRule(item.authors, `${locate.item(f, t, i)}/author`));
    append(out, hcpartyCodeRule(item.authors, `${locate.item(f, t, i)}/author`));
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

// The header is frozen and shared by every transaction of a batch: its findings are computed once per header.
let lastHeader: Header | undefined;
let lastHeaderFindings: readonly Finding[] = [];

/** Pushes `more` onto `out` in order (no spread: most rule results are empty). */
function append(out: Finding[], more: readonly Finding[]): Finding[] {
  for (let i = 0; i < more.length; i++) out.push(more[i]!);
  return out;
}
