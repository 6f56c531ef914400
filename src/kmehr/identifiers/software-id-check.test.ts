import { describe, expect, it } from 'vitest';
import { checkSoftwareId } from './software-id-check.js';

describe('checkSoftwareId (identity.md §3, our choice)', () => {
  it('accepts the real examples', () => {
    expect(checkSoftwareId('taktik_medispring', 'personal')).toEqual({ ok: true });
    expect(checkSoftwareId('DXC_VACCINNET_TEST', 'organisation')).toEqual({ ok: true });
    expect(checkSoftwareId('acme-health_vacc.app_UZ-Gent', 'organisation')).toEqual({ ok: true });
  });
  it('needs two parts for personal and three for organisation software', () => {
    expect(checkSoftwareId('DXC_VACCINNET_TEST', 'personal')).toMatchObject({ ok: false });
    expect(checkSoftwareId('taktik_medispring', 'organisation')).toMatchObject({ ok: false });
    expect(checkSoftwareId('taktik', 'personal')).toMatchObject({ ok: false });
  });
  it('refuses empty parts, spaces, other characters and more than 50 characters', () => {
    expect(checkSoftwareId('', 'personal')).toEqual({ ok: false, detail: 'empty' });
    expect(checkSoftwareId('taktik_', 'personal')).toMatchObject({ ok: false });
    expect(checkSoftwareId('taktik_medi spring', 'personal')).toMatchObject({ ok: false });
    expect(checkSoftwareId('taktik_medi/spring', 'personal')).toMatchObject({ ok: false });
    const long = `${'a'.repeat(25)}_${'b'.repeat(25)}`;
    expect(long.length).toBe(51);
    expect(checkSoftwareId(long, 'personal')).toEqual({ ok: false, detail: 'longer than 50 characters' });
    expect(checkSoftwareId(long.slice(1), 'personal')).toEqual({ ok: true });
  });
});
