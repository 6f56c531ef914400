import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, maskNationalNumbers } from './logger.js';

function memorySink(): { stream: Writable; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  return { stream, lines };
}

describe('logger', () => {
  it('masks INSZ numbers in known fields, nested values, messages and errors', () => {
    const { stream, lines } = memorySink();
    const log = createLogger({ destination: stream });
    log.info({ patientId: '85071412330', detail: { location: 'patient 06070500252 refused' } }, 'registered for 85071412330');
    log.error({ err: new Error('unknown INSZ 72022102793') }, 'failed');
    const text = JSON.stringify(lines);
    expect(text).not.toMatch(/85071412330|06070500252|72022102793/);
    expect(lines[0]).toMatchObject({ patientId: '850714*****', msg: 'registered for 850714*****' });
    expect(text).toContain('060705*****');
  });

  it('leaves other numbers alone', () => {
    expect(maskNationalNumbers('NIHII 14700250004 and CNK 4293254 and id 123456789012')).toBe('NIHII 147002***** and CNK 4293254 and id 123456789012');
  });

  it('passes a fingerprint over whole, even when its digits form an 11-digit run; masks an INSZ beside it', () => {
    const fingerprint = 'A78C803950E0C6D695F4D593238E1AD54558A30308212934B923BC187A039604';
    expect(maskNationalNumbers(`fingerprint ${fingerprint}`)).toBe(`fingerprint ${fingerprint}`);
    expect(maskNationalNumbers(`${fingerprint.toLowerCase()} SSIN=85071412330`)).toBe(`${fingerprint.toLowerCase()} SSIN=850714*****`);
    expect(maskNationalNumbers('code85071412330, ABCDEF85071412330')).toBe('code850714*****, ABCDEF850714*****');
  });
});
