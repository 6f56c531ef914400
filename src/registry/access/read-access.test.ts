import { describe, expect, it } from 'vitest';
import { DOCTORS, ORGANISATIONS } from '../demo-personas.js';
import { doctorKey, organisationKey, type DoctorProfile, type OrganisationProfile } from '../profile.js';
import type { Vaccination } from '../vaccination.js';
import type { AccessFacts, ConsentEvent, Exclusion, TherapeuticLink } from './access-model.js';
import { DEFAULT_ACCESS_SETTINGS, defaultLinkEnd } from './access-settings.js';
import { decideReadAccess, readerParties, registeredBy, type Reader } from './read-access.js';

const P = '85071412330';
const NOW = '2025-06-01T10:00:00.000Z';
const PEETERS = doctorKey(DOCTORS.peeters.nihii);
const CLAES = doctorKey(DOCTORS.claes.nihii);
const LINDE = organisationKey(ORGANISATIONS.deLinde.idType, ORGANISATIONS.deLinde.id);

const consent = (state: ConsentEvent['state'], since = '2025-01-01T00:00:00.000Z'): ConsentEvent => ({
  patientInsz: P,
  id: `c-${state}-${since}`,
  state,
  since,
  recordedBy: 'operator:test',
  channel: 'cli',
});
const link = (party: string, extra: Partial<TherapeuticLink> = {}): TherapeuticLink => ({
  patientInsz: P,
  id: `l-${party}`,
  party,
  type: 'gp',
  proof: 'eid-chip',
  start: '2025-01-01T00:00:00.000Z',
  end: '2026-04-01T00:00:00.000Z',
  declaredBy: 'operator:test',
  ...extra,
});
const exclusion = (party: string, extra: Partial<Exclusion> = {}): Exclusion => ({
  patientInsz: P,
  id: `x-${party}`,
  party,
  since: '2025-02-01T00:00:00.000Z',
  recordedBy: 'operator:test',
  ...extra,
});
const doctor = (own: string, shared: string[] = []): Reader => ({ kind: 'party', parties: { own, shared } });
const decide = (reader: Reader, facts: Partial<AccessFacts>, breakTheGlassEnabled = false) =>
  decideReadAccess({ reader, facts: { links: [], exclusions: [], ...facts }, at: NOW, breakTheGlassEnabled });

describe('the read rule (decideReadAccess)', () => {
  it('consent active and a link valid now → everything, naming the link', () => {
    expect(decide(doctor(PEETERS), { consent: consent('active'), links: [link(PEETERS)] })).toEqual({
      scope: 'all',
      basis: 'consent-and-link',
      linkId: `l-${PEETERS}`,
      via: PEETERS,
    });
  });

  it('no consent ever recorded, or consent revoked → own registrations only, ACCESS_NO_CONSENT', () => {
    expect(decide(doctor(PEETERS), { links: [link(PEETERS)] })).toEqual({ scope: 'own', refusal: 'ACCESS_NO_CONSENT' });
    expect(decide(doctor(PEETERS), { consent: consent('revoked', '2025-05-01T00:00:00.000Z'), links: [link(PEETERS)] })).toEqual({
      scope: 'own',
      refusal: 'ACCESS_NO_CONSENT',
    });
  });

  it('a consent given after the moment of the read does not count yet', () => {
    expect(decide(doctor(PEETERS), { consent: consent('active', '2025-06-02T00:00:00.000Z'), links: [link(PEETERS)] })).toMatchObject({
      refusal: 'ACCESS_NO_CONSENT',
    });
  });

  it('consent but no link, or only a link of another party → ACCESS_NO_LINK', () => {
    expect(decide(doctor(PEETERS), { consent: consent('active') })).toEqual({ scope: 'own', refusal: 'ACCESS_NO_LINK' });
    expect(decide(doctor(PEETERS), { consent: consent('active'), links: [link(CLAES)] })).toEqual({ scope: 'own', refusal: 'ACCESS_NO_LINK' });
  });

  it('an expired link, a link not started yet, a revoked link → ACCESS_NO_LINK', () => {
    const c = consent('active');
    expect(decide(doctor(PEETERS), { consent: c, links: [link(PEETERS, { end: NOW })] })).toMatchObject({ refusal: 'ACCESS_NO_LINK' });
    expect(decide(doctor(PEETERS), { consent: c, links: [link(PEETERS, { start: '2025-06-01T10:00:00.001Z' })] })).toMatchObject({ refusal: 'ACCESS_NO_LINK' });
    expect(decide(doctor(PEETERS), { consent: c, links: [link(PEETERS, { revokedAt: '2025-05-31T00:00:00.000Z', revokedBy: 'x' })] })).toMatchObject({
      refusal: 'ACCESS_NO_LINK',
    });
    // Revoked later than the moment asked about: it still counted then.
    expect(decide(doctor(PEETERS), { consent: c, links: [link(PEETERS, { revokedAt: '2025-06-02T00:00:00.000Z' })] })).toMatchObject({ scope: 'all' });
  });

  it('an exclusion beats consent and link; a lifted one does not', () => {
    const facts = { consent: consent('active'), links: [link(PEETERS)] };
    expect(decide(doctor(PEETERS), { ...facts, exclusions: [exclusion(PEETERS)] })).toEqual({ scope: 'own', refusal: 'ACCESS_EXCLUDED' });
    expect(decide(doctor(PEETERS), { ...facts, exclusions: [exclusion(PEETERS, { liftedAt: '2025-03-01T00:00:00.000Z' })] })).toMatchObject({ scope: 'all' });
  });

  it('excluded wins over "no consent" in the code: the person said so explicitly', () => {
    expect(decide(doctor(PEETERS), { exclusions: [exclusion(PEETERS)] })).toEqual({ scope: 'own', refusal: 'ACCESS_EXCLUDED' });
  });

  it("a shared party's link counts (group practice, stagemeester), unless that party is excluded", () => {
    const facts = { consent: consent('active'), links: [link(LINDE, { type: 'organisation', proof: 'gmd' })] };
    expect(decide(doctor(PEETERS, [LINDE]), facts)).toMatchObject({ scope: 'all', via: LINDE });
    expect(decide(doctor(PEETERS, [LINDE]), { ...facts, exclusions: [exclusion(LINDE)] })).toEqual({ scope: 'own', refusal: 'ACCESS_NO_LINK' });
    // Not the other way: the practice does not read through a member's own link.
    expect(decide(doctor(LINDE), { consent: consent('active'), links: [link(PEETERS)] })).toMatchObject({ refusal: 'ACCESS_NO_LINK' });
  });

  it('an operator reads with a reason (flagged), and is refused without one or with only spaces', () => {
    expect(decide({ kind: 'operator', reason: ' ticket 42 ' }, {})).toEqual({ scope: 'all', basis: 'operator', reason: 'ticket 42' });
    expect(decide({ kind: 'operator' }, {})).toEqual({ scope: 'none', refusal: 'ACCESS_REASON_REQUIRED' });
    expect(decide({ kind: 'operator', reason: '   ' }, {})).toEqual({ scope: 'none', refusal: 'ACCESS_REASON_REQUIRED' });
  });

  it('break-the-glass: refused when disabled or without a reason, allowed (flagged) when enabled, never past an exclusion', () => {
    const glass = (reason?: string): Reader => ({
      kind: 'party',
      parties: { own: PEETERS, shared: [] },
      breakTheGlass: reason === undefined ? {} : { reason },
    });
    expect(decide(glass('unconscious patient'), {}, false)).toEqual({ scope: 'none', refusal: 'ACCESS_BREAK_GLASS_DISABLED' });
    expect(decide(glass(), {}, true)).toEqual({ scope: 'none', refusal: 'ACCESS_REASON_REQUIRED' });
    expect(decide(glass('unconscious patient'), {}, true)).toEqual({
      scope: 'all',
      basis: 'break-the-glass',
      reason: 'unconscious patient',
      overrides: 'ACCESS_NO_CONSENT',
    });
    expect(decide(glass('unconscious patient'), { exclusions: [exclusion(PEETERS)] }, true)).toEqual({ scope: 'own', refusal: 'ACCESS_EXCLUDED' });
    // With consent and a link the glass need not be broken: an ordinary read.
    expect(decide(glass('x'), { consent: consent('active'), links: [link(PEETERS)] }, true)).toMatchObject({ basis: 'consent-and-link' });
  });
});

const doctorProfile = (d: (typeof DOCTORS)[keyof typeof DOCTORS], extra: Partial<DoctorProfile> = {}): DoctorProfile => ({
  ...d,
  kind: 'doctor',
  key: doctorKey(d.nihii),
  stagemeesters: [],
  groupPractices: [],
  ...extra,
});

describe('who reads through whom (readerParties) and what is "own" (registeredBy)', () => {
  it('a HAIO shares its stagemeesters’ links and its practices’; a stagemeester not its HAIO’s', () => {
    const haio = doctorProfile(DOCTORS.janssens, { stagemeesters: [DOCTORS.maes.nihii], groupPractices: [LINDE] });
    expect(readerParties(haio)).toEqual({ own: doctorKey(DOCTORS.janssens.nihii), shared: [LINDE, doctorKey(DOCTORS.maes.nihii)] });
    expect(readerParties(doctorProfile(DOCTORS.maes))).toEqual({ own: doctorKey(DOCTORS.maes.nihii), shared: [] });
  });

  it('registrant, responsible doctor, or a group practice for its members', () => {
    const dose = (registrantKey: string, responsibleNihii?: string) => ({ registrantKey, ...(responsibleNihii && { responsibleNihii }) }) as Vaccination;
    const peeters = doctorProfile(DOCTORS.peeters);
    expect(registeredBy(peeters, dose(PEETERS))).toBe(true);
    expect(registeredBy(peeters, dose(CLAES))).toBe(false);
    expect(registeredBy(doctorProfile(DOCTORS.maes), dose(doctorKey(DOCTORS.janssens.nihii), DOCTORS.maes.nihii))).toBe(true);
    const linde: OrganisationProfile = { ...ORGANISATIONS.deLinde, kind: 'organisation', key: LINDE, responsibleDoctors: [], members: [DOCTORS.peeters.nihii] };
    expect(registeredBy(linde, dose(PEETERS))).toBe(true);
    expect(registeredBy(linde, dose(CLAES))).toBe(false);
  });
});

describe('default link validity', () => {
  it('15 months after an eID reading, 3 otherwise; month ends roll back, never forward', () => {
    expect(defaultLinkEnd('eid-chip', '2025-01-15T08:00:00.000Z', DEFAULT_ACCESS_SETTINGS)).toBe('2026-04-15T08:00:00.000Z');
    expect(defaultLinkEnd('eid-card-number', '2025-01-15T08:00:00.000Z', DEFAULT_ACCESS_SETTINGS)).toBe('2026-04-15T08:00:00.000Z');
    expect(defaultLinkEnd('gmd', '2025-01-15T08:00:00.000Z', DEFAULT_ACCESS_SETTINGS)).toBe('2025-04-15T08:00:00.000Z');
    expect(defaultLinkEnd('operator', '2025-11-30T00:00:00.000Z', DEFAULT_ACCESS_SETTINGS)).toBe('2026-02-28T00:00:00.000Z');
    expect(defaultLinkEnd('gmd', '2025-01-15T08:00:00.000Z', { ...DEFAULT_ACCESS_SETTINGS, otherLinkMonths: 1 })).toBe('2025-02-15T08:00:00.000Z');
  });
});
