import type { SecurityRefusal } from '../security-refusal.js';

/** What the BatchUpload handler hands the HTTP adapter: like SoapAnswer, but a result body may be streamed. */
export interface BatchAnswer {
  readonly httpStatus: number;
  /** The whole XML, or its pieces in order (big ResultaatVerwerking answers). */
  readonly body: string | AsyncIterable<string>;
  readonly operation: string;
  /** foutCode, the fault's code, or OK. */
  readonly code: string;
  /** Who called, already masked, for the log line. */
  readonly caller?: string;
  /** The transactionId given to an accepted delivery. */
  readonly transactionId?: string;
  /** Set when the call was refused at authentication: the adapter writes it to the security-event log. */
  readonly security?: SecurityRefusal;
}
