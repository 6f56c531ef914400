/**
 * Child-process entry of `validateFileInWorker`: a file's validation waits synchronously for `xmllint --stream`
 * (seconds on a batch), so it runs here, off the caller's event loop. Each request names its schema directory;
 * xmllint compiles the schema itself (tens of ms): this process compiles none, so a restarted worker is ready at once.
 * It exits when its parent goes away (the IPC channel closes).
 */
import { createFileXsdValidator } from './xsd-validator.js';
import type { XsdWorkerReply, XsdWorkerRequest } from './xsd-worker-protocol.js';

const send = process.send?.bind(process);
if (send === undefined) throw new Error('xsd-worker must run as a child process with an IPC channel');
process.on('disconnect', () => process.exit(0));
process.on('message', (request: XsdWorkerRequest) => {
  let reply: XsdWorkerReply;
  try {
    reply = { id: request.id, findings: createFileXsdValidator(request.schemaDir).validateFile(request.file) };
  } catch (err) {
    reply = { id: request.id, error: err instanceof Error ? err.message : String(err) };
  }
  send(reply);
});
