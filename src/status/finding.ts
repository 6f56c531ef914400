import { CATALOGUE, formatMessage, type Language, type MessageParams, type StatusCode } from './catalogue.js';
import { bound, echoParam, TEXT_MAX } from './echo.js';
import type { Severity } from './status-entry.js';

/**
 * One outcome about one place in the input: the currency every validator and use case returns.
 * `location` is an XPath into the submitted message (`/kmehrmessage/folder[1]/transaction[2]/item[1]/batch`)
 * or the SOAP element; `value` is the offending value as submitted, kept whole for the code that judges it. Whatever
 * reaches a caller is rendered through `echo.ts` (bounded, INSZ masked): the texts by `formatMessage`, the value and
 * location of a SOAP Fault's detail by {@link echoedValue} / {@link echoedLocation}.
 */
export interface Finding {
  readonly code: StatusCode;
  readonly severity: Severity;
  /** English text; `localise` gives NL/FR from the same params. */
  readonly message: string;
  readonly location?: string;
  readonly value?: string;
  /** Line and column in the submitted document when known (XSD and well-formedness errors). */
  readonly line?: number;
  readonly column?: number;
  readonly params?: MessageParams;
}

export interface FindingInput {
  readonly location?: string;
  readonly value?: string;
  readonly line?: number;
  readonly column?: number;
  /** Extra placeholders: `detail`, `field`, `date`, `limit`, … */
  readonly params?: MessageParams;
}

export function finding(code: StatusCode, input: FindingInput = {}): Finding {
  const params: MessageParams = { location: input.location, value: input.value, ...input.params };
  return Object.freeze({
    code,
    severity: CATALOGUE[code].severity,
    message: formatMessage(code, params, 'en'),
    ...(input.location !== undefined && { location: input.location }),
    ...(input.value !== undefined && { value: input.value }),
    ...(input.line !== undefined && { line: input.line }),
    ...(input.column !== undefined && { column: input.column }),
    params,
  });
}

export function localise(f: Finding, language: Language): string {
  return formatMessage(f.code, f.params ?? {}, language);
}

/** The finding's value as a caller may see it (bounded; masked when it is an INSZ), or undefined. */
export function echoedValue(f: Finding): string | undefined {
  return f.value === undefined ? undefined : echoParam(f.code, 'value', f.value, f.location);
}

/** The finding's location as a caller may see it (bounded: it can name a hostile document's elements). */
export function echoedLocation(f: Finding): string | undefined {
  return f.location === undefined ? undefined : bound(f.location, TEXT_MAX);
}

export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}

/** Thrown by code that cannot return a finding list (parsers deep in a stream); carries exactly one finding. */
export class FindingError extends Error {
  readonly finding: Finding;
  constructor(f: Finding, options?: ErrorOptions) {
    super(`${f.code}: ${f.message}`, options);
    this.name = 'FindingError';
    this.finding = f;
  }
}
