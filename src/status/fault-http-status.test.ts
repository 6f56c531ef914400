import { describe, expect, it } from 'vitest';
import { CATALOGUE, STATUS_CODES } from './catalogue.js';
import { faultHttpStatus } from './fault-http-status.js';

describe('the HTTP status of a SOAP Fault', () => {
  it("is SOAP 1.1's 500 unless the catalogue entry names another: 413 for a body over the limit", () => {
    expect(faultHttpStatus('SOAP_CONTRACT')).toBe(500);
    expect(faultHttpStatus('INTERNAL_ERROR')).toBe(500);
    expect(faultHttpStatus('XML_TOO_LARGE')).toBe(413);
  });

  it('is named only on fault-level codes, and only as an HTTP error status', () => {
    for (const code of STATUS_CODES) {
      const entry: { readonly soap: string; readonly faultHttp?: number } = CATALOGUE[code];
      if (entry.faultHttp === undefined) continue;
      expect(entry.soap, code).toBe('fault');
      expect(entry.faultHttp, code).toBeGreaterThanOrEqual(400);
    }
  });
});
