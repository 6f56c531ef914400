import { createWsSecurityStreamVerifier, type WsSecurityResult, type WsSecurityVerifyOptions } from './create-ws-security-stream-verifier.js';

export { createWsSecurityStreamVerifier, type WsSecurityResult, type WsSecurityVerifyOptions } from './create-ws-security-stream-verifier.js';

/**
 * Verifies the WS-Security X.509 signature of a whole SOAP 1.1 envelope held in memory (RegistratieService calls).
 * Same code path as the streaming verifier, fed in one write. Certificate trust is the caller's next step.
 */
export function verifyWsSecurity(envelope: Buffer | string, opts: WsSecurityVerifyOptions): WsSecurityResult {
  const verifier = createWsSecurityStreamVerifier(opts);
  verifier.write(envelope);
  return verifier.end();
}
