import { finding, type Finding } from '../status/finding.js';

/**
 * A store that cannot be reached for now (no free connection within its wait, the database restarting, the network
 * down): transient, unlike a bug. The store adapters throw it (store/postgres-connection.ts); every channel answers it
 * as STORE_UNAVAILABLE — retry: true, HTTP 503 — instead of INTERNAL_ERROR, and never waits without bound.
 */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';

  constructor(detail: string, options?: { cause?: unknown }) {
    super(`store unavailable: ${detail}`, options);
  }
}

/** The finding for an error no use case expected: STORE_UNAVAILABLE when the store is out of reach, else INTERNAL_ERROR. */
export function unexpectedFailure(error: unknown, reference: string): Finding {
  return finding(error instanceof StoreUnavailableError ? 'STORE_UNAVAILABLE' : 'INTERNAL_ERROR', { params: { reference } });
}
