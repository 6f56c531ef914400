import type { XmlLimits } from '../../kmehr/xml-limits.js';
import { screenXml } from '../../kmehr/xml-limits.js';
import { listenForRegistratieRequest, plainUtf8Text, readRegistratieRequest } from '../envelope/read-registratie-request.js';
import type { RegistratieReadResult } from '../../contracts/registratie-request.js';
import {
  createWsSecurityStreamVerifier,
  verifyWsSecurity,
  type WsSecurityResult,
  type WsSecurityVerifyOptions,
} from '../../wssec/verify-ws-security.js';

export interface SignedRegistratieRead {
  readonly read: RegistratieReadResult;
  /** The WS-Security check of the same bytes; absent when the request could not be read (it is refused for that). */
  readonly signature?: WsSecurityResult;
}

/**
 * Reads a RegistratieService request that must have its WS-Security signature checked, scanning the envelope once
 * for both (issue 4: the signed path used to parse it twice, saxes for the request and the verifier's scanner for
 * the signature). The outcome is exactly that of `readRegistratieRequest` followed by `verifyWsSecurity`: the request
 * comes from the verifier's events when the signature verified (so the scanner accepted the whole document) and they
 * give a valid request, else from `readRegistratieRequest` (a contract violation, a refused signature, a body the
 * scanner refuses); a body that is not plain UTF-8 is read and verified separately, as before.
 */
export function readSignedRegistratieRequest(
  body: Buffer,
  soapAction: string | undefined,
  limits: XmlLimits,
  verify: WsSecurityVerifyOptions,
): SignedRegistratieRead {
  const text = screenXml(body, limits) === undefined ? plainUtf8Text(body) : undefined;
  if (text === undefined) {
    const read = readRegistratieRequest(body, soapAction, limits);
    return read.ok ? { read, signature: verifyWsSecurity(body, verify) } : { read };
  }
  const listener = listenForRegistratieRequest(soapAction, limits);
  const verifier = createWsSecurityStreamVerifier({ ...verify, observer: listener.handlers });
  verifier.write(text);
  const signature = verifier.end();
  // Only a verified signature says the scanner accepted the whole document; otherwise (refused anyway) read again.
  const read = (signature.ok ? listener.result() : undefined) ?? readRegistratieRequest(body, soapAction, limits);
  return read.ok ? { read, signature } : { read };
}
