import { idOf, locate, type HcParty, type Header, type Transaction } from '../kmehr/model.js';
import { finding, type Finding } from '../status/finding.js';
import type { Profile } from './profile.js';

/** Identifier schemes an organisation's certificate identifier can appear under in `hcparty/id`. */
const ORGANISATION_ID_SCHEMES = ['ID-HCPARTY', 'ID-CBE', 'ID-EHP'] as const;

function ids(party: HcParty, scheme: string): string[] {
  return party.ids.filter((i) => i.s.toUpperCase() === scheme).map((i) => i.value);
}

/** The NIHII of a party (`id[@S='ID-HCPARTY']`), if any. */
export function partyNihii(party: HcParty): string | undefined {
  return idOf(party.ids, 'ID-HCPARTY')?.value;
}

function isDoctor(party: HcParty, nihii: string, ssin?: string): boolean {
  return ids(party, 'ID-HCPARTY').includes(nihii) || (ssin !== undefined && ids(party, 'INSS').includes(ssin));
}

function isOrganisation(party: HcParty, profile: Profile & { kind: 'organisation' }): boolean {
  return ORGANISATION_ID_SCHEMES.some((s) => ids(party, s).includes(profile.id)) || ids(party, 'LOCAL').includes(profile.userCode);
}

/**
 * Rule 12, sender half: one of the `header/sender/hcparty` is the authenticated caller — the doctor by NIHII or SSIN
 * (INSS), the organisation by its certificate identifier or its Vaccinnet user code (`id[@S='LOCAL']`); a group
 * practice's software may also name one of its member doctors.
 */
export function checkSender(header: Header, profile: Profile): Finding | undefined {
  const matches = header.senders.some((party) => {
    if (profile.kind === 'doctor') return isDoctor(party, profile.nihii, profile.ssin);
    return isOrganisation(party, profile) || (profile.type === 'group-practice' && profile.members.some((m) => isDoctor(party, m)));
  });
  if (matches) return undefined;
  const first = header.senders[0];
  const shown = first ? (first.ids[0]?.value ?? first.name ?? '') : '';
  return finding('SENDER_MISMATCH', { location: `${locate.header()}/sender`, value: shown });
}

export interface AuthorCheck {
  readonly findings: readonly Finding[];
  /** The responsible doctor to store: the author (stagemeester for a HAIO), or an organisation's first responsible doctor. */
  readonly responsibleNihii?: string;
}

/**
 * Rule 12, author half, for one transaction: a doctor is its own author; a HAIO's author is a stagemeester linked
 * to it; a group practice's author is a member doctor; another organisation may name any author (its doctors are
 * not all known to the registry) and falls back to its responsible doctor.
 */
export function checkAuthor(transaction: Transaction, f: number, t: number, profile: Profile): AuthorCheck {
  const location = `${locate.transaction(f, t)}/author`;
  const authors = transaction.authors;
  const nihiis = authors.map(partyNihii).filter((n): n is string => n !== undefined);
  const shown = nihiis[0] ?? authors[0]?.ids[0]?.value ?? '';
  if (profile.kind === 'doctor') {
    if (profile.roles.includes('haio')) {
      const linked = nihiis.find((n) => profile.stagemeesters.includes(n));
      return linked ? { findings: [], responsibleNihii: linked } : { findings: [finding('PROFILE_HAIO_STAGEMEESTER_NOT_LINKED', { location, value: shown })] };
    }
    return authors.some((a) => isDoctor(a, profile.nihii, profile.ssin))
      ? { findings: [], responsibleNihii: profile.nihii }
      : { findings: [finding('AUTHOR_MISMATCH', { location, value: shown })] };
  }
  if (profile.type === 'group-practice') {
    const member = nihiis.find((n) => profile.members.includes(n));
    return member ? { findings: [], responsibleNihii: member } : { findings: [finding('AUTHOR_MISMATCH', { location, value: shown })] };
  }
  return { findings: [], responsibleNihii: nihiis[0] ?? profile.responsibleDoctors[0] };
}
