import type { StatusCode } from '../status/catalogue.js';
import { finding, type Finding } from '../status/finding.js';

/**
 * Thrown by the profile checks to stop at the first failure; the stream verifier catches it and keeps its finding.
 * A throw rather than a returned result: a check deep inside the header analysis ends the whole verification, and
 * the parser callbacks that run it can only stop the scan by throwing.
 */
export class WsSecurityRefusal extends Error {
  constructor(readonly finding: Finding) {
    super(finding.message);
    this.name = 'WsSecurityRefusal';
  }
}

export function refuse(code: StatusCode, detail: string, location?: string): never {
  throw new WsSecurityRefusal(finding(code, { ...(location !== undefined && { location }), params: { detail } }));
}

/** Anything outside the profile, a bad signature or a wrapping attempt: AUTH_SIGNATURE_INVALID. */
export function refuseSignature(detail: string): never {
  return refuse('AUTH_SIGNATURE_INVALID', detail);
}
