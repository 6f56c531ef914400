import { VACCINATION_TRANSACTION } from '../codelists/item-types.js';
import { locate } from '../model.js';
import { finding, type Finding } from '../../status/finding.js';
import type { TransactionScope } from './rule-context.js';

/**
 * Rule 7 (ours): `transaction/cd[S=CD-TRANSACTION]` is "vaccination" (compared case-insensitively).
 * A missing or empty type gets its own code (the freehealth-connector sample sends `<cd S="CD-TRANSACTION"/>`:
 * our choice is to refuse it, with a message that says what is missing, rather than to guess).
 * @returns the findings and whether the transaction is of another type (then its other rules are not run:
 *   a sumehr checked against vaccination rules only produces noise)
 */
export function transactionTypeRule(s: TransactionScope): { readonly findings: Finding[]; readonly otherType: boolean } {
  const base = locate.transaction(s.f, s.t);
  const j = s.transaction.cds.findIndex((c) => c.s.toUpperCase() === 'CD-TRANSACTION');
  if (j < 0) return { findings: [finding('KMEHR_TRANSACTION_TYPE_MISSING', { location: base })], otherType: false };
  const location = `${base}/cd[${j + 1}]`;
  const value = s.transaction.cds[j]!.value.trim();
  if (value === '') return { findings: [finding('KMEHR_TRANSACTION_TYPE_MISSING', { location, value })], otherType: false };
  if (value.toLowerCase() !== VACCINATION_TRANSACTION) {
    return { findings: [finding('KMEHR_NOT_VACCINATION', { location, value })], otherType: true };
  }
  return { findings: [], otherType: false };
}
