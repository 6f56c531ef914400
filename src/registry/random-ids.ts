import { randomBytes, randomUUID } from 'node:crypto';
import type { IdGenerator } from './ports.js';

// One randomBytes call per id cost ~15 µs per registration; drawing 256 ids' worth at once costs the same as one.
const POOL_IDS = 256;
let pool = Buffer.alloc(0);
let offset = 0;

function random128(): string {
  if (offset >= pool.length) {
    pool = randomBytes(16 * POOL_IDS);
    offset = 0;
  }
  offset += 16;
  return pool.toString('hex', offset - 16, offset).toUpperCase();
}

/** Production ids: random 128-bit VaccinationIds (a GUID without dashes, as real ids look) UUIDs for audit rows, 16-hex ids for consent, link and exclusion rows. */
export const randomIds: IdGenerator = Object.freeze({
  vaccinationId: random128,
  // randomUUID keeps its own pool of random bytes already.
  auditId: (): string => randomUUID(),
  // Typed by operators (`admin links end INSZ ID`): 64 bits in hex, unique per person (the key is (INSZ, id)).
  accessId: (): string => randomBytes(8).toString('hex'),
});
