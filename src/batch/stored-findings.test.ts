import { describe, expect, it } from 'vitest';
import { finding, localise } from '../status/finding.js';
import { loadFindings, storeFindings, submittedIds } from './stored-findings.js';

describe('stored result findings', () => {
  it('round-trips code, location, value and parameters, so texts render in any language later', () => {
    const original = [
      finding('COVID_LOT_MISSING', { location: '/kmehrmessage/folder[2]/transaction[1]/item[1]' }),
      finding('PROBABLE_DUPLICATE', { location: '/kmehrmessage/folder[1]/transaction[1]', value: 'ABC', params: { detail: 'same patient' } }),
      finding('BATCH_REPLACED', { value: '0123456789ABCDEF0123456789ABCDEF' }),
    ];
    const loaded = loadFindings(storeFindings(original));
    expect(loaded.map((f) => [f.code, f.severity, f.location, f.value])).toEqual(original.map((f) => [f.code, f.severity, f.location, f.value]));
    for (const language of ['en', 'nl', 'fr'] as const) {
      expect(loaded.map((f) => localise(f, language))).toEqual(original.map((f) => localise(f, language)));
    }
  });

  it('keeps an accepted transaction compact', () => {
    expect(storeFindings([])).toBe('[]');
    expect(loadFindings('[]')).toEqual([]);
  });

  it('gives KMEHR ids back as submitted, in the result shape', () => {
    expect(
      submittedIds([
        { s: 'ID-KMEHR', sv: '1.0', value: '1' },
        { s: 'LOCAL', sl: 'UUID', sv: '1.0', value: 'u-1' },
      ]),
    ).toEqual([
      { value: '1', S: 'ID-KMEHR', SV: '1.0' },
      { value: 'u-1', S: 'LOCAL', SV: '1.0', SL: 'UUID' },
    ]);
  });
});
