import { randomBytes, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createCertificateVerifier } from '../../src/pki/certificate-verifier.js';
import { TrustStore } from '../../src/pki/trust-store.js';
import { checkOneCallerIdentity } from '../../src/soap/one-caller-identity.js';
import { claimSignedRequest, signedRequestOf } from '../../src/soap/signed-request-replay.js';
import { openStore } from '../../src/store/open-store.js';
import { CA_CERT_FILE, CRL_FILE } from '../../src/pki/test-ca.js';

export interface AuthCheckSteps {
  readonly method: string;
  /** CPU µs (all threads of this process: the SQLite write thread included) per signed request's replay claim. */
  readonly replayClaimCpuMicros: number;
  /** CPU µs per one-caller-identity check (a call with a TLS client certificate and a signature). */
  readonly identityCheckCpuMicros: number;
}

/**
 * Issue 11's two per-call checks timed on their own, so that their cost can be put beside the server's CPU per
 * request measured in the same run — a ratio the machine's noise does not swing the way throughput pairs do.
 * The replay claim runs against a real SQLite store (the SOAP bench server's engine: its write thread and group
 * commit) in bursts of `concurrency`, as requests arrive under load; the identity check verifies a real
 * development-CA certificate (chain, dates, CRL) and compares subjects, as `caller-authentication.ts` does.
 * @param pkiDir - the bench server's development PKI folder (ca.cert.pem, crl.pem)
 * @param peerPem - the demo doctor's certificate, PEM
 */
export async function measureAuthChecks(pkiDir: string, peerPem: string, rounds = 5, perRound = 2000, concurrency = 64): Promise<AuthCheckSteps> {
  const dir = mkdtempSync(path.join(tmpdir(), 'vaccinnet-auth-bench-'));
  const store = await openStore(`sqlite:${path.join(dir, 'replays.db')}`);
  try {
    await store.migrate();
    const window = { maxAgeSeconds: 600, clockSkewSeconds: 60 };
    let bestClaim = Infinity;
    for (let r = 0; r < rounds; r++) {
      const now = new Date();
      const signatures = Array.from({ length: perRound }, () => ({ signatureValue: randomBytes(256).toString('base64'), created: now }));
      const start = process.cpuUsage();
      for (let i = 0; i < perRound; i += concurrency) {
        const burst = signatures.slice(i, i + concurrency);
        const refused = await Promise.all(burst.map((s) => claimSignedRequest(signedRequestOf(s, window), store.signatureReplays, now)));
        if (refused.some((f) => f !== undefined)) throw new Error('a fresh signature was refused as a replay');
      }
      const used = process.cpuUsage(start);
      bestClaim = Math.min(bestClaim, (used.user + used.system) / perRound);
    }

    const trust = TrustStore.load({ caFiles: [path.join(pkiDir, CA_CERT_FILE)], crlFiles: [path.join(pkiDir, CRL_FILE)] });
    const verifier = createCertificateVerifier(trust);
    const peer = new X509Certificate(peerPem);
    const now = new Date();
    const signer = verifier.verifyCertificate(peer, now);
    if (!signer.ok) throw new Error(`the demo doctor's certificate does not verify: ${signer.finding.code}`);
    let bestIdentity = Infinity;
    for (let r = 0; r < rounds; r++) {
      const start = process.cpuUsage();
      for (let i = 0; i < perRound; i++) {
        if (checkOneCallerIdentity(signer.identity, peer, now, verifier) !== undefined) throw new Error('one caller refused as two');
      }
      const used = process.cpuUsage(start);
      bestIdentity = Math.min(bestIdentity, (used.user + used.system) / perRound);
    }
    return {
      method: `${rounds} rounds × ${perRound} calls, best round; replay claims in bursts of ${concurrency} on a fresh SQLite store`,
      replayClaimCpuMicros: Math.round(bestClaim * 10) / 10,
      identityCheckCpuMicros: Math.round(bestIdentity * 10) / 10,
    };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
