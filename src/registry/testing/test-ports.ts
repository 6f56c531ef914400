import type { Clock, IdGenerator } from '../ports.js';

/** A clock that stays where it is put; `set` moves it (tests of "today" and registration times). */
export function fixedClock(iso: string): Clock & { set(iso: string): void } {
  let now = new Date(iso);
  return { now: (): Date => new Date(now.getTime()), set: (next: string): void => void (now = new Date(next)) };
}

/** Predictable ids: VaccinationIds `0000…0001`, `0000…0002` (32 upper-case hex) audit ids `audit-000001`, access ids `access-0001`. */
export function sequentialIds(): IdGenerator {
  let v = 0;
  let a = 0;
  let c = 0;
  return {
    vaccinationId: (): string => (++v).toString(16).toUpperCase().padStart(32, '0'),
    auditId: (): string => `audit-${String(++a).padStart(6, '0')}`,
    accessId: (): string => `access-${String(++c).padStart(4, '0')}`,
  };
}
