import { Transform } from 'node:stream';
import { FindingError } from '../status/finding.js';
import type { WsSecurityStreamVerifier } from './create-ws-security-stream-verifier.js';

/**
 * A pass-through stream that feeds every chunk to a streaming verifier on its way (e.g. from the request to a
 * spool file): `await pipeline(request.body, createWsSecurityTap(v), createWriteStream(spool)); const r = v.end();`.
 * With `abortOnFailure` (default true) the pipeline fails with a FindingError as soon as the verifier has one,
 * so a bad signature stops a 120 MB upload early instead of spooling it.
 */
export function createWsSecurityTap(verifier: WsSecurityStreamVerifier, options: { readonly abortOnFailure?: boolean } = {}): Transform {
  const abort = options.abortOnFailure ?? true;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback): void {
      verifier.write(chunk);
      const failure = verifier.failure;
      if (abort && failure !== undefined) callback(new FindingError(failure));
      else callback(null, chunk);
    },
  });
}
