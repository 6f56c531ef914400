import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CATALOGUE, formatMessage, LANGUAGES, STATUS_CODES } from './catalogue.js';
import { finding } from './finding.js';
import { renderStatusDocs } from './status-docs.js';

describe('status-code catalogue', () => {
  it('docs/status-codes.md is the generated rendering of the catalogue (run `npm run docs`)', () => {
    const committed = readFileSync(new URL('../../docs/status-codes.md', import.meta.url), 'utf8');
    expect(committed).toBe(renderStatusDocs());
  });

  it('has every message in every language with the same placeholders', () => {
    for (const code of STATUS_CODES) {
      const names = (s: string): string[] => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();
      const en = names(CATALOGUE[code].text.en);
      for (const lang of LANGUAGES) {
        expect(CATALOGUE[code].text[lang].length, `${code} ${lang}`).toBeGreaterThan(5);
        expect(names(CATALOGUE[code].text[lang]), `${code} ${lang}`).toEqual(en);
      }
    }
  });

  it('fills placeholders and names location and value in the finding', () => {
    const f = finding('COVID_LOT_MISSING', { location: '/kmehrmessage/folder[1]/transaction[2]/item[1]' });
    expect(f.severity).toBe('error');
    expect(f.message).toBe('A COVID-19 vaccination needs a lot number (batch) at /kmehrmessage/folder[1]/transaction[2]/item[1].');
    expect(formatMessage('QUANTITY_NOT_POSITIVE', { value: '0', location: '/x' }, 'nl')).toBe('De hoeveelheid 0 bij /x moet groter zijn dan 0.');
  });
});
