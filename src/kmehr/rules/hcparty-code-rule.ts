import { isHcpartyType } from '../codelists/hcparty-types.js';
import type { HcParty } from '../model.js';
import type { PartyPlace } from './hcparty-id-rule.js';
import { finding, type Finding } from '../../status/finding.js';

/**
 * Code list CD-HCPARTY: every `hcparty/cd[S=CD-HCPARTY]` is in the KMEHR table, compared case-insensitively
 * (real read-backs send "APPLICATION").
 * @param parties - the hcparty elements of one sender/recipient/author
 * @param base - XPath of their parent, e.g. `/kmehrmessage/header/sender` from `f`, `t`, `i` (computed only for a finding)
 */
export function hcpartyCodeRule(parties: readonly HcParty[], base: PartyPlace, f = 0, t = 0, i = 0): Finding[] {
  const out: Finding[] = [];
  for (let k = 0; k < parties.length; k++) {
    const cds = parties[k]!.cds;
    for (let j = 0; j < cds.length; j++) {
      const c = cds[j]!;
      if ((c.s === 'CD-HCPARTY' || c.s.toUpperCase() === 'CD-HCPARTY') && !isHcpartyType(c.value.trim())) {
        out.push(
          finding('KMEHR_CODE_UNKNOWN', { location: `${base(f, t, i)}/hcparty[${k + 1}]/cd[${j + 1}]`, value: c.value, params: { field: 'CD-HCPARTY' } }),
        );
      }
    }
  }
  return out;
}
