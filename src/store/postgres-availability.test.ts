import { describe, expect, it } from 'vitest';
import { isUnavailable } from './postgres-availability.js';

const pgError = (code: string, message = 'x'): Error => Object.assign(new Error(message), { code });

describe('isUnavailable: which PostgreSQL errors mean "retry later"', () => {
  it('counts a lost or refused connection, a restart and a full pool as unavailable', () => {
    for (const e of [
      new Error('timeout exceeded when trying to connect'),
      new Error('Connection terminated unexpectedly'),
      pgError('ECONNREFUSED'),
      pgError('57P01', 'terminating connection due to administrator command'),
      pgError('57P03', 'the database system is starting up'),
      pgError('53300', 'too many connections'),
      pgError('08006', 'connection failure'),
    ])
      expect(isUnavailable(e), e.message).toBe(true);
  });

  it('leaves statement errors (constraint, syntax, serialization) and non-errors to INTERNAL_ERROR or their handlers', () => {
    for (const e of [pgError('23505', 'duplicate key'), pgError('42601', 'syntax error'), pgError('40001', 'could not serialize'), new Error('boom')])
      expect(isUnavailable(e), e.message).toBe(false);
    expect(isUnavailable('timeout exceeded when trying to connect')).toBe(false);
  });
});
