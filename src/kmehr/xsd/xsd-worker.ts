/**
 * Child-process entry of `validateFileInWorker`: a file's validation waits synchronously for `xmllint --stream`
 * (seconds on a batch), so it runs here, off the caller's event loop. Each request names its schema directory;
 * `createXsdValidator` compiles a schema once per process and directory, and this process lives across requests.
 * It exits when its parent goes away (the IPC channel closes).
 */
import { createXsdValidator } from './xsd-validator.js';
import type { XsdWorkerReply, XsdWorkerRequest } from './xsd-worker-protocol.js';

const send = process.send?.bind(process);
if (send === undefined) throw new Error('xsd-worker must run as a child process with an IPC channel');
process.on('disconnect', () => process.exit(0));
process.on('message', (request: XsdWorkerRequest) => {
  let reply: XsdWorkerReply;
  try {
    reply = { id: request.id, findings: createXsdValidator(request.schemaDir).validateFile(request.file) };
  } catch (err) {
    reply = { id: request.id, error: err instanceof Error ? err.message : String(err) };
  }
  send(reply);
});
