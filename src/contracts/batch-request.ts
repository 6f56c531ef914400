import type { Finding } from '../status/finding.js';
import type { BatchOperation } from './operations.js';

/** `extraInfo` of a delivery (wire-contracts.md §2). */
export interface ExtraInfo {
  /** The real test tool sends `auth_eHealth_org`. */
  readonly type: string;
  /** The organisation's softwareID. */
  readonly pakket: string;
}

/** Aanleveren (deliver) or Aanvulling (supplement), without the KMEHR message itself. */
export interface BatchDeliveryHead {
  readonly operation: 'Aanleveren' | 'Aanvulling';
  readonly extraInfo: ExtraInfo;
}

/** A delivery read in memory: the inline `kmehr:kmehrmessage` as a standalone UTF-8 document. */
export interface BatchDelivery extends BatchDeliveryHead {
  readonly kmehr: Buffer;
}

/** ResultaatVerwerking: ask for the processing result of an earlier delivery. */
export interface BatchResultRequest {
  readonly operation: 'ResultaatVerwerking';
  /** The `transactionId` the delivery answer gave. */
  readonly requestId: string;
  /** The organisation's Vaccinnet user code. */
  readonly gebruikersId: string;
}

export type BatchRequest = BatchDelivery | BatchResultRequest;

export type BatchReadResult =
  { readonly ok: true; readonly request: BatchRequest } | { readonly ok: false; readonly finding: Finding; readonly operation?: BatchOperation };

/** A streamed delivery: the KMEHR went to the sink; `kmehrBytes` is how many UTF-8 bytes were written there. */
export interface StreamedBatchDelivery extends BatchDeliveryHead {
  readonly kmehrBytes: number;
}

export type BatchStreamResult =
  | { readonly ok: true; readonly request: StreamedBatchDelivery | BatchResultRequest }
  | { readonly ok: false; readonly finding: Finding; readonly operation?: BatchOperation };
