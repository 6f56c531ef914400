import type { X509Certificate } from 'node:crypto';
import type { Logger } from 'pino';
import { describeCaller } from '../registry/caller-identity.js';
import type { SecurityRefusal } from '../soap/security-refusal.js';
import { maskNationalNumbers } from './logger.js';
import type { Metrics } from './metrics.js';

export interface SecurityEventContext {
  readonly service: string;
  readonly operation: string;
  readonly remoteAddress?: string;
  /** The TLS client certificate of the connection, when there was one. */
  readonly peerCertificate?: X509Certificate;
}

export interface SecurityLog {
  refused(refusal: SecurityRefusal, context: SecurityEventContext): void;
}

/** Longest message text written per event: a refusal's text may echo caller-chosen values. */
const MAX_MESSAGE_CHARS = 256;

/**
 * The security-event log (issue 11.7): one JSON line per refused authentication on the pino child `event:
 * "security"` (warn level), with the SHA-256 fingerprint of the certificate concerned, its subject (SSINs masked,
 * names kept), the remote address, service, operation and code — and counted in
 * `vaccinnet_security_events_total{code}`. Calls refused before any patient is known leave this as their only trace.
 */
export function createSecurityLog(log: Logger, metrics: Metrics): SecurityLog {
  const events = log.child({ event: 'security' });
  return {
    refused({ finding, identity }, context) {
      const params = finding.params ?? {};
      const peer = context.peerCertificate;
      // The certificate the refusal is about (a certificate-stage finding names it), else the verified caller's, else TLS's.
      const fingerprint = stringParam(params.fingerprint) ?? identity?.fingerprint ?? (peer && peerFingerprint(peer));
      const subject = identity
        ? describeCaller(identity)
        : stringParam(params.fingerprint) !== undefined && finding.value !== undefined
          ? String(finding.value)
          : peer && maskNationalNumbers(peer.subject.replaceAll('\n', ', '));
      // The connection's certificate too, when it is not the one named (a signature refused over mutual TLS).
      const tlsFingerprint = stringParam(params.tlsFingerprint) ?? (peer && peerFingerprint(peer));
      const message = finding.message.length > MAX_MESSAGE_CHARS ? `${finding.message.slice(0, MAX_MESSAGE_CHARS)}…` : finding.message;
      events.warn(
        {
          code: finding.code,
          service: context.service,
          operation: context.operation,
          remoteAddress: context.remoteAddress,
          fingerprint,
          subject,
          ...(tlsFingerprint !== undefined && tlsFingerprint !== fingerprint && { tlsFingerprint }),
          detail: message,
        },
        'authentication refused',
      );
      metrics.securityEvents.inc({ code: finding.code });
    },
  };
}

function stringParam(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

const fingerprints = new WeakMap<X509Certificate, string>();

/** Same form as the certificate verifier's: hex, upper case, no colons. */
function peerFingerprint(cert: X509Certificate): string {
  let fp = fingerprints.get(cert);
  if (fp === undefined) {
    fp = cert.fingerprint256.replaceAll(':', '');
    fingerprints.set(cert, fp);
  }
  return fp;
}
