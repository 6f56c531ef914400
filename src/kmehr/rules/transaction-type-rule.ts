import { VACCINATION_TRANSACTION } from '../codelists/item-types.js';
import { locate } from '../model.js';
import { finding, type Finding } from '../../status/finding.js';
import type { TransactionScope } from './rule-context.js';

// The usual answer, shared (its list is empty and frozen: callers copy findings out, never into it).
const VACCINATION = Object.freeze({ findings: Object.freeze([]) as unknown as Finding[], otherType: false });

/**
 * Rule 7 (ours): `transaction/cd[S=CD-TRANSACTION]` is "vaccination" (compared case-insensitively).
 * A missing or empty type gets its own code (the freehealth-connector sample sends `<cd S="CD-TRANSACTION"/>`:
 * our choice is to refuse it, with a message that says what is missing, rather than to guess).
 * @returns the findings and whether the transaction is of another type (then its other rules are not run:
 *   a sumehr checked against vaccination rules only produces noise)
 */
export function transactionTypeRule(s: TransactionScope): { readonly findings: Finding[]; readonly otherType: boolean } {
  const cds = s.transaction.cds;
  let j = 0;
  while (j < cds.length && cds[j]!.s !== 'CD-TRANSACTION' && cds[j]!.s.toUpperCase() !== 'CD-TRANSACTION') j++;
  if (j === cds.length) return { findings: [finding('KMEHR_TRANSACTION_TYPE_MISSING', { location: locate.transaction(s.f, s.t) })], otherType: false };
  const value = cds[j]!.value.trim();
  if (value === VACCINATION_TRANSACTION) return VACCINATION;
  const location = `${locate.transaction(s.f, s.t)}/cd[${j + 1}]`;
  if (value === '') return { findings: [finding('KMEHR_TRANSACTION_TYPE_MISSING', { location, value })], otherType: false };
  if (value.toLowerCase() !== VACCINATION_TRANSACTION) {
    return { findings: [finding('KMEHR_NOT_VACCINATION', { location, value })], otherType: true };
  }
  return { findings: [], otherType: false };
}
