// Public API of the client library (package export `vaccinnet/client`): the two service clients, the request builders
// and response readers they use (for callers with their own transport), and the KMEHR helpers integrators need.
// It depends only on src/contracts, src/wssec, src/kmehr and src/status, so it can ship without the server.
export { RegistratieClient, REGISTRATIE_PATH, type ClientKey, type RegistratieClientOptions } from './registratie-client.js';
export { BatchClient, BATCH_UPLOAD_PATH, type BatchClientOptions } from './batch-client.js';
export { KmehrReadClient, type KmehrReadClientOptions, type KmehrReadInput, type KmehrReadResult } from './kmehr-read-client.js';
export {
  addVaccinationsEnvelope,
  getVaccinationsEnvelope,
  removeVaccinationEnvelope,
  type AddVaccinationsInput,
  type GetVaccinationsInput,
  type RemoveVaccinationInput,
} from './registratie-requests.js';
export {
  readAddVaccinationsResponse,
  readGetVaccinationsResponse,
  readRemoveVaccinationResponse,
  SoapFaultError,
  type AddVaccinationsResult,
  type GetVaccinationsResult,
  type MessageResult,
  type RemoveVaccinationResult,
  type Status,
} from './registratie-responses.js';
export { deliveryEnvelope, resultEnvelope, type DeliveryOperation, type DeliveryOptions, type ResultRequestInput } from './batch-requests.js';
export {
  NOT_PROCESSED_CODE,
  readDeliveryResponse,
  readResultResponse,
  type DeliveryAnswer,
  type FolderOutcome,
  type ResultAnswer,
  type ResultId,
  type TransactionOutcome,
} from './batch-responses.js';
export { buildRegistrationMessage, writeRegistrationMessage, type RegistrationInput } from './registration-message.js';
export { csvToKmehr, formatCsvErrors, type CsvToKmehrOptions, type CsvToKmehrResult } from './csv-to-kmehr.js';
export { generateBatchFile, type GenerateBatchOptions, type GeneratedBatch } from './batch-generate.js';
export type { BatchSender } from './batch-parties.js';
export type { TransportOptions } from './soap-transport.js';
