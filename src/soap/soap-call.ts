import type { X509Certificate } from 'node:crypto';
import type { SecurityRefusal } from './security-refusal.js';

/** A SOAP request as the HTTP adapter hands it to a service handler: plain data, no framework objects. */
export interface SoapCall {
  /** The raw request bytes, exactly as received (the signature covers them). */
  readonly body: Buffer;
  readonly soapAction?: string;
  /** The TLS client certificate, when mutual TLS presented one. */
  readonly peerCertificate?: X509Certificate;
  /** Preferred language of status messages (from Accept-Language), default English. */
  readonly language?: 'en' | 'nl' | 'fr';
}

/** What the HTTP adapter sends back, plus what it logs and counts. */
export interface SoapAnswer {
  readonly httpStatus: number;
  readonly xml: string;
  readonly operation: string;
  /** The call-level code (Status/Code, foutCode or the fault's code). */
  readonly code: string;
  /** Who called, for the log line (already masked). */
  readonly caller?: string;
  /** Set when the call was refused at authentication: the adapter writes it to the security-event log. */
  readonly security?: SecurityRefusal;
}
