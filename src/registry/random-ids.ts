import { randomBytes, randomUUID } from 'node:crypto';
import type { IdGenerator } from './ports.js';

/** Production ids: random 128-bit VaccinationIds (a GUID without dashes, as real ids look) and UUIDs for audit rows. */
export const randomIds: IdGenerator = Object.freeze({
  vaccinationId: (): string => randomBytes(16).toString('hex').toUpperCase(),
  auditId: (): string => randomUUID(),
});

