import type { X509Certificate } from 'node:crypto';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { FastifyRequest } from 'fastify';

const peerCertificates = new WeakMap<Socket, X509Certificate | null>();

/** The TLS client certificate of the connection, read once per socket (keep-alive connections carry many calls). */
export function peerCertificate(req: FastifyRequest): X509Certificate | undefined {
  const socket = req.raw.socket;
  let cert = peerCertificates.get(socket);
  if (cert === undefined) {
    const tls = socket as TLSSocket;
    cert = typeof tls.getPeerX509Certificate === 'function' ? (tls.getPeerX509Certificate() ?? null) : null;
    peerCertificates.set(socket, cert);
  }
  return cert ?? undefined;
}

/** The answer's language from Accept-Language: nl or fr when asked first, else en. */
export function language(req: FastifyRequest): 'en' | 'nl' | 'fr' {
  const accept = String(req.headers['accept-language'] ?? '')
    .slice(0, 2)
    .toLowerCase();
  return accept === 'nl' || accept === 'fr' ? accept : 'en';
}
