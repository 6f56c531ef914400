import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';

/**
 * our choice: a refused request body of at most this many declared bytes is read to its end and thrown away, so the
 * keep-alive connection stays usable; a larger one (or one of unknown length) is answered `Connection: close`.
 */
export const DRAIN_LIMIT_BYTES = 1024 * 1024;

/** How long a connection answered `Connection: close` keeps swallowing the client's body before it is cut. */
export const LINGER_MS = 2000;

/**
 * For an answer sent before the request body was read to its end (too large, wrong type, authentication refused
 * early): either drain the rest (small bodies: the connection stays open) or say `Connection: close` — truthfully —
 * and close after a lingering read, so the client reads the answer instead of a TCP reset. Returns whether the
 * answer must carry `Connection: close`; `closing`: the answer already says so (Fastify's own body-limit refusal). Without this, BatchUpload answered `keep-alive` and then closed the socket:
 * the client's next request on the pooled connection failed (issue 11.6).
 */
export function settleUnreadBody(req: IncomingMessage, closing = false): 'complete' | 'drain' | 'close' {
  // A request without Content-Length or Transfer-Encoding has no body (its end may just not be parsed yet).
  const chunked = req.headers['transfer-encoding'] !== undefined;
  const declared = chunked ? Number.NaN : Number(req.headers['content-length'] ?? 0);
  if (req.complete || declared === 0) return 'complete';
  // Whatever the handler left unread is discarded as it arrives (never buffered).
  req.resume();
  if (!closing && Number.isFinite(declared) && declared <= DRAIN_LIMIT_BYTES) return 'drain';
  lingerOnClose(req.socket);
  return 'close';
}

const lingering = new WeakSet<Socket>();

/**
 * Node ends and destroys the socket right after a `Connection: close` answer; bytes the client is still sending
 * then arrive at a closed socket and the kernel answers with a reset, which can discard our answer before the client
 * read it. Instead: send our FIN, keep reading (and discarding) until the client closes its side or LINGER_MS pass.
 */
function lingerOnClose(socket: Socket): void {
  if (lingering.has(socket)) return;
  lingering.add(socket);
  socket.destroySoon = function lingeringDestroySoon(this: Socket): void {
    if (this.writable) this.end();
    const timer = setTimeout(() => this.destroy(), LINGER_MS);
    timer.unref();
    this.once('close', () => clearTimeout(timer));
    this.once('end', () => this.destroy());
    this.resume();
  };
}
