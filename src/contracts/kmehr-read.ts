/**
 * The KMEHR read over HTTPS (docs/kmehr-read.md), shared by the server route, the client and the tests:
 * `GET /kmehr/subject/<SSIN>/vaccination?softwareId=…[&since=YYYY-MM-DD]` answers {@link KmehrReadList} as JSON;
 * `GET /kmehr` + a vitalinkuri answers that one KMEHR message as `application/xml`. Refusals answer
 * {@link KmehrReadRefusal} with the code's HTTP status.
 */
export const KMEHR_READ_ROOT = '/kmehr';

/** The list path of a person's vaccinations. */
export function kmehrReadPath(ssin: string): string {
  return `${KMEHR_READ_ROOT}/subject/${encodeURIComponent(ssin)}/vaccination`;
}

export interface KmehrReadStatus {
  readonly code: string;
  readonly message: string;
}

export interface KmehrReadEntry {
  /** The vitalinkuri, `/subject/<SSIN>/vaccination/<32-hex id>/<version>`: also this entry's path under `/kmehr`. */
  readonly uri: string;
  /** One whole KMEHR message (XML text), as Vitalink returns one per vaccination. */
  readonly kmehr: string;
}

export interface KmehrReadList {
  readonly status: KmehrReadStatus;
  readonly subject: string;
  readonly entries: readonly KmehrReadEntry[];
}

export interface KmehrReadRefusal {
  readonly status: KmehrReadStatus;
}
