import { isHcpartyType } from '../codelists/hcparty-types.js';
import type { HcParty } from '../model.js';
import { finding, type Finding } from '../../status/finding.js';

/**
 * Code list CD-HCPARTY: every `hcparty/cd[S=CD-HCPARTY]` is in the KMEHR table, compared case-insensitively
 * (real read-backs send "APPLICATION").
 * @param parties - the hcparty elements of one sender/recipient/author
 * @param base - XPath of their parent, e.g. `/kmehrmessage/header/sender`
 */
export function hcpartyCodeRule(parties: readonly HcParty[], base: string): Finding[] {
  const out: Finding[] = [];
  parties.forEach((p, k) => {
    p.cds.forEach((c, j) => {
      if (c.s.toUpperCase() === 'CD-HCPARTY' && !isHcpartyType(c.value.trim())) {
        out.push(finding('KMEHR_CODE_UNKNOWN', { location: `${base}/hcparty[${k + 1}]/cd[${j + 1}]`, value: c.value, params: { field: 'CD-HCPARTY' } }));
      }
    });
  });
  return out;
}
