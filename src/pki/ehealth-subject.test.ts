import { describe, expect, it } from 'vitest';
import { type SubjectAttribute, ehealthSubject, formatSubject, identityFromSubject } from './ehealth-subject.js';

/** Attributes from an RFC 4514-ordered list (CN first), as identity.md writes them. */
function rfc(...pairs: [string, string][]): SubjectAttribute[] {
  return pairs.map(([type, value]) => ({ type, value })).reverse();
}

describe('identityFromSubject', () => {
  it('reads the identity.md organisation example with its application', () => {
    const attrs = rfc(
      ['CN', 'EHP=1990001916, VITALINKGATEWAY'],
      ['OU', 'eHealth-platform Belgium'],
      ['OU', 'VLAAMS AGENTSCHAP ZORG EN GEZONDHEID'],
      ['OU', 'EHP=1990001916'],
      ['OU', 'VITALINKGATEWAY'],
      ['O', 'Federal Government'],
      ['C', 'BE'],
    );
    expect(identityFromSubject(attrs, 'AB')).toEqual({
      ok: true,
      identity: {
        kind: 'organisation',
        idType: 'EHP',
        id: '1990001916',
        application: 'VITALINKGATEWAY',
        name: 'VLAAMS AGENTSCHAP ZORG EN GEZONDHEID',
        subject:
          'CN="EHP=1990001916, VITALINKGATEWAY", OU=eHealth-platform Belgium, OU=VLAAMS AGENTSCHAP ZORG EN GEZONDHEID, OU="EHP=1990001916", OU=VITALINKGATEWAY, O=Federal Government, C=BE',
        fingerprint: 'AB',
      },
    });
  });

  it('round-trips what ehealthSubject builds, for persons and organisations', () => {
    const person = ehealthSubject({ kind: 'person', ssin: '85071412330', name: 'An Peeters' });
    expect(formatSubject(person)).toBe('CN="SSIN=85071412330", OU=eHealth-platform Belgium, OU=An Peeters, OU="SSIN=85071412330", O=Federal Government, C=BE');
    expect(identityFromSubject(person, 'F')).toMatchObject({
      ok: true,
      identity: { kind: 'person', ssin: '85071412330', name: 'An Peeters' },
    });
    const group = ehealthSubject({ kind: 'organisation', idType: 'NIHII-GROUP_DOCTORS', id: '10012378', name: 'De Linde' });
    const reading = identityFromSubject(group, 'F');
    expect(reading).toMatchObject({ ok: true, identity: { idType: 'NIHII-GROUP_DOCTORS', id: '10012378', name: 'De Linde' } });
    expect(reading.ok && 'application' in reading.identity).toBe(false);
  });

  it('accepts NIHII11 (a type with digits) and unknown types of any length', () => {
    expect(identityFromSubject(rfc(['CN', 'NIHII11=14700250004'], ['OU', 'NIHII11=14700250004']), 'F')).toMatchObject({
      ok: true,
      identity: { kind: 'organisation', idType: 'NIHII11', id: '14700250004' },
    });
    expect(identityFromSubject(rfc(['OU', 'NIHII-PHYSIOTHERAPIST=123']), 'F')).toMatchObject({
      ok: true,
      identity: { idType: 'NIHII-PHYSIOTHERAPIST', id: '123' },
    });
  });

  it('refuses subjects without an identifier, with a wrong length or with two different identifiers', () => {
    expect(identityFromSubject(rfc(['CN', 'An Peeters'], ['OU', 'eHealth-platform Belgium']), 'F')).toEqual({
      ok: false,
      detail: 'no identifier OU',
    });
    expect(identityFromSubject(rfc(['OU', 'NIHII-HOSPITAL=7100043']), 'F')).toEqual({
      ok: false,
      detail: 'NIHII-HOSPITAL must have 8 digits',
    });
    expect(identityFromSubject(rfc(['OU', 'SSIN=85071412330'], ['OU', 'CBE=0314595348']), 'F')).toEqual({
      ok: false,
      detail: 'more than one identifier OU',
    });
    // lower-case or non-digit values are not identifiers
    expect(identityFromSubject(rfc(['OU', 'ssin=85071412330'], ['OU', 'SSIN=8507141233X']), 'F').ok).toBe(false);
  });

  it('does not take an OU named in the CN as application when there are fewer than 4 OUs', () => {
    const r = identityFromSubject(rfc(['CN', 'CBE=0314595348, ACME'], ['OU', 'ACME'], ['OU', 'CBE=0314595348']), 'F');
    expect(r).toMatchObject({ ok: true, identity: { name: 'ACME' } });
    expect(r.ok && 'application' in r.identity).toBe(false);
  });
});
