import type { Finding } from '../../status/finding.js';

/** A request to the XSD worker thread: validate `file` against the KMEHR schema set in `schemaDir`. */
export interface XsdWorkerRequest {
  readonly id: number;
  readonly schemaDir: string;
  readonly file: string;
}

/** The worker's answer: the findings, or why the file could not be validated (unreadable, schema missing). */
export type XsdWorkerReply = { readonly id: number; readonly findings: readonly Finding[] } | { readonly id: number; readonly error: string };
