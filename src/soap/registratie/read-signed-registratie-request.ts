import type { XmlLimits } from '../../kmehr/xml-limits.js';
import { screenXml } from '../../kmehr/xml-limits.js';
import { listenForRegistratieRequest, readScreenedWithSaxes } from '../envelope/read-registratie-request.js';
import { plainUtf8Text } from '../envelope/scanner-readable.js';
import type { RegistratieReadResult } from '../../contracts/registratie-request.js';
import { createWsSecurityStreamVerifier, verifyWsSecurity, type WsSecurityResult, type WsSecurityVerifyOptions } from '../../wssec/verify-ws-security.js';

export interface SignedRegistratieRead {
  readonly read: RegistratieReadResult;
  /** The WS-Security check of the same bytes; absent when the request could not be read (it is refused for that). */
  readonly signature?: WsSecurityResult;
}

/**
 * Reads a RegistratieService request that must have its WS-Security signature checked, in one read (issue 4 and
 * issue 12 §2): the screen (size, DOCTYPE) once, then one scan by the verifier, whose events also feed the request
 * listener — to the document's end even when the signature is refused, so the request (or the read's own finding)
 * comes from that same scan and a refused body is never read again. The outcome is that of reading, then verifying:
 * a read failure wins over a refused signature. A body that is not plain UTF-8 is read with saxes and verified
 * separately (the verifier reads UTF-8 only).
 */
export function readSignedRegistratieRequest(
  body: Buffer,
  soapAction: string | undefined,
  limits: XmlLimits,
  verify: WsSecurityVerifyOptions,
): SignedRegistratieRead {
  const screened = screenXml(body, limits);
  if (screened !== undefined) return { read: { ok: false, finding: screened } };
  const text = plainUtf8Text(body);
  if (text === undefined) {
    const read = readScreenedWithSaxes(body, soapAction, limits);
    return read.ok ? { read, signature: verifyWsSecurity(body, verify) } : { read };
  }
  const listener = listenForRegistratieRequest(text, soapAction, limits);
  const verifier = createWsSecurityStreamVerifier({ ...verify, observer: listener.handlers });
  listener.readFrom(verifier);
  verifier.write(text);
  const signature = verifier.end();
  const scanFailure = verifier.scanFailure;
  const read = listener.result(scanFailure === undefined ? undefined : { ...scanFailure, ...listener.positionAt(verifier.offset) });
  return read.ok ? { read, signature } : { read };
}
