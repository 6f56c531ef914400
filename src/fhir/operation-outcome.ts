import type { OperationOutcome, OperationOutcomeIssue } from '@medplum/fhirtypes';
import type { Language } from '../status/catalogue.js';
import { CATALOGUE } from '../status/catalogue.js';
import { localise, type Finding } from '../status/finding.js';
import { SYSTEM } from './fhir-systems.js';

const SEVERITY = { error: 'error', warning: 'warning', info: 'information' } as const;

/** The FHIR issue type of a code, from the HTTP status the catalogue gives it. */
function issueType(f: Finding): OperationOutcomeIssue['code'] {
  if (f.severity !== 'error') return 'informational';
  const http = CATALOGUE[f.code].http;
  if (http === 401 || http === 403) return f.code === 'AUTH_NOT_AUTHENTICATED' ? 'login' : 'forbidden';
  if (http === 404) return 'not-found';
  if (http === 409) return f.code === 'SENDER_IDS_REUSED' ? 'duplicate' : 'conflict';
  if (http === 413) return 'too-long';
  if (http >= 500) return 'exception';
  if (http === 422) return 'business-rule';
  return 'invalid';
}

/**
 * Findings as an OperationOutcome: each issue's `details.coding` is our status code (system
 * `urn:vaccinnet:status-code`, the catalogue of docs/status-codes.md), `details.text` its text in the caller's
 * language (bounded, INSZ masked: echo.ts), `expression` the FHIRPath of the offending element when there is one.
 * @param expressionOf - the FHIRPath of a finding (KMEHR XPaths mapped back), or undefined for none
 */
export function operationOutcome(
  findings: readonly Finding[],
  language: Language,
  expressionOf: (f: Finding) => string | undefined = () => undefined,
): OperationOutcome {
  const issue = findings.map((f): OperationOutcomeIssue => {
    const expression = expressionOf(f);
    return {
      severity: SEVERITY[f.severity],
      code: issueType(f),
      details: { coding: [{ system: SYSTEM.statusCode, code: f.code }], text: localise(f, language) },
      ...(expression !== undefined && { expression: [expression] }),
    };
  });
  return { resourceType: 'OperationOutcome', issue: issue.length > 0 ? issue : [{ severity: 'information', code: 'informational', details: { text: 'OK' } }] };
}
