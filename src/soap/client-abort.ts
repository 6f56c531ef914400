/**
 * Whether `error` only says the client went away mid-request (closed or reset the connection before the body was
 * read): Node's `aborted` / ECONNRESET / EPIPE. Nothing is wrong with the registry, so it is logged once at info
 * without a stack — a client can abort as many requests as it likes, and each used to write an error with a stack.
 */
export function isClientAbort(error: unknown): boolean {
  if (error === null || typeof error !== 'object') return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  return code === 'ECONNRESET' || code === 'EPIPE' || code === 'ECONNABORTED' || code === 'ERR_STREAM_PREMATURE_CLOSE' || message === 'aborted';
}
