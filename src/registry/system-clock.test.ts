import { describe, expect, it } from 'vitest';
import { localDate } from './system-clock.js';

describe('localDate', () => {
  it('turns at local midnight in Brussels, also right after a same-minute answer was reused', () => {
    expect(localDate(new Date('2024-03-30T22:59:00.000Z'), 'Europe/Brussels')).toBe('2024-03-30');
    expect(localDate(new Date('2024-03-30T22:59:59.999Z'), 'Europe/Brussels')).toBe('2024-03-30');
    expect(localDate(new Date('2024-03-30T23:00:00.000Z'), 'Europe/Brussels')).toBe('2024-03-31');
    // Summer time (UTC+2): midnight is 22:00 UTC.
    expect(localDate(new Date('2024-07-01T21:59:59.000Z'), 'Europe/Brussels')).toBe('2024-07-01');
    expect(localDate(new Date('2024-07-01T22:00:00.000Z'), 'Europe/Brussels')).toBe('2024-07-02');
  });

  it('keeps time zones apart', () => {
    const instant = new Date('2024-07-01T22:30:00.000Z');
    expect(localDate(instant, 'Europe/Brussels')).toBe('2024-07-02');
    expect(localDate(instant, 'UTC')).toBe('2024-07-01');
    expect(localDate(instant, 'Europe/Brussels')).toBe('2024-07-02');
  });
});
