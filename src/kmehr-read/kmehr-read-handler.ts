import type { X509Certificate } from 'node:crypto';
import { unexpectedFailure } from '../registry/store-unavailable.js';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { describeCaller, type CallerIdentity } from '../registry/caller-identity.js';
import { getHistory } from '../registry/get-history.js';
import type { RegistryPorts } from '../registry/registry-ports.js';
import { checkServiceAccess } from '../registry/service-access.js';
import { vitalinkEntries } from '../registry/vitalink-entries.js';
import type { KmehrReadList, KmehrReadRefusal } from '../contracts/kmehr-read.js';
import { auditSecurityRefusal } from '../soap/audit-security-refusal.js';
import { authenticateTlsCaller, type AuthenticationDeps } from '../soap/caller-authentication.js';
import type { SecurityRefusal } from '../soap/security-refusal.js';
import { CATALOGUE, formatMessage, type Language, type StatusCode } from '../status/catalogue.js';
import { finding, localise, type Finding } from '../status/finding.js';
import { checkReadQuery } from './read-query.js';

/** One KMEHR read, as the HTTP route hands it over (framework-free, so it is tested without a server). */
export interface KmehrReadCall {
  /** The `<SSIN>` path segment, as sent. */
  readonly ssin: string;
  /** `…/vaccination/<id>/<version>`: one message instead of the list. */
  readonly entry?: { readonly id: string; readonly version: string };
  readonly query: Readonly<Record<string, unknown>>;
  readonly peerCertificate?: X509Certificate;
  readonly language: Language;
}

export interface KmehrReadAnswer {
  readonly httpStatus: number;
  readonly contentType: string;
  readonly body: string;
  readonly code: StatusCode;
  readonly caller?: string;
  /** A refused credential, for the security-event log. */
  readonly security?: SecurityRefusal;
}

export interface KmehrReadDeps {
  readonly ports: RegistryPorts;
  readonly authentication: AuthenticationDeps;
  readonly log: Logger;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const XML_TYPE = 'application/xml; charset=utf-8';
/** What the audit calls this read, as SOAP calls are called by their operation. */
const OPERATION = 'KmehrRead';

/**
 * `GET /kmehr/subject/<SSIN>/vaccination[/<id>/<version>]`: query → caller (the TLS client certificate, checked as
 * on SOAP) → service access (the callers of GetVaccinations) → `getHistory`, which authorises the softwareID and
 * profile, applies the read rule and audits the read, refused or not → one Vitalink-shaped message per dose.
 * Refusals carry their catalogued code and its HTTP status. Never throws.
 */
export async function handleKmehrRead(call: KmehrReadCall, deps: KmehrReadDeps): Promise<KmehrReadAnswer> {
  const query = checkReadQuery(call.query);
  if (!query.ok) return refusal(query.finding, call.language);
  const { softwareId, since } = query;
  const now = deps.ports.clock.now();
  const auth = authenticateTlsCaller(call.peerCertificate, now, deps.authentication);
  if (!auth.ok) return await securityRefusal(call, { finding: auth.finding, ...(auth.identity && { identity: auth.identity }) }, softwareId, deps);
  const caller = auth.identity;
  const access = checkServiceAccess(caller, 'registratie');
  if (access) return await securityRefusal(call, { finding: access, identity: caller }, softwareId, deps);
  try {
    return await read(call, caller, softwareId, since, deps);
  } catch (error) {
    const reference = randomUUID();
    const failure = unexpectedFailure(error, reference);
    deps.log[failure.code === 'INTERNAL_ERROR' ? 'error' : 'warn']({ err: error, reference }, 'KMEHR read failed');
    return refusal(failure, call.language, caller);
  }
}

async function read(
  call: KmehrReadCall,
  caller: CallerIdentity,
  softwareId: string | undefined,
  since: string | undefined,
  deps: KmehrReadDeps,
): Promise<KmehrReadAnswer> {
  const outcome = await getHistory(
    {
      actor: caller,
      ...(softwareId !== undefined && { softwareId }),
      channel: 'kmehr-read',
      insz: call.ssin,
      inszLocation: 'the path segment <SSIN>',
      ...(since !== undefined && { since }),
    },
    deps.ports,
  );
  if (!outcome.ok) return refusal(outcome.findings[0] ?? finding('INTERNAL_ERROR'), call.language, caller);
  const now = deps.ports.clock.now();
  const batch = `VACCINNET.${now.getTime()}.${randomUUID().slice(0, 8)}`;
  const person = await deps.ports.persons.findPerson(call.ssin);
  const entries = vitalinkEntries({
    vaccinations: outcome.vaccinations,
    ...(person && { person }),
    caller,
    softwareId: softwareId ?? '',
    now,
    timeZone: deps.ports.settings.timeZone,
    messageId: (i) => `${batch}.${i + 1}`,
  });
  const described = describeCaller(caller);
  if (call.entry) {
    const uri = `/subject/${call.ssin}/vaccination/${call.entry.id}/${call.entry.version}`;
    const hit = entries.find((e) => e.uri === uri);
    if (!hit)
      return refusal(finding('VACCINATION_NOT_FOUND', { value: `${call.entry.id}/${call.entry.version}`, location: 'the path' }), call.language, caller);
    return { httpStatus: 200, contentType: XML_TYPE, body: hit.kmehr, code: 'OK', caller: described };
  }
  // An allowed read the rule flags (ACCESS_OWN_ONLY: only the caller's own doses; break-the-glass, operator) says so
  // in the list's status, still HTTP 200: a client that reads the status learns why doses may be missing.
  const notice = outcome.findings?.[0];
  const status = notice ? { code: notice.code, message: localise(notice, call.language) } : { code: 'OK', message: formatMessage('OK', {}, call.language) };
  const list: KmehrReadList = { status, subject: call.ssin, entries };
  return { httpStatus: 200, contentType: JSON_TYPE, body: JSON.stringify(list), code: notice?.code ?? 'OK', caller: described };
}

/** A refused credential or service: audited against the path's person (when a valid INSZ), as on SOAP. */
async function securityRefusal(call: KmehrReadCall, security: SecurityRefusal, softwareId: string | undefined, deps: KmehrReadDeps): Promise<KmehrReadAnswer> {
  await auditSecurityRefusal(
    security,
    { patientId: call.ssin, ...(softwareId !== undefined && { softwareId }), operation: OPERATION },
    'kmehr-read',
    deps.ports,
  );
  return { ...refusal(security.finding, call.language, security.identity), security };
}

function refusal(f: Finding, language: Language, caller?: CallerIdentity): KmehrReadAnswer {
  return {
    httpStatus: CATALOGUE[f.code].http,
    contentType: JSON_TYPE,
    body: JSON.stringify({ status: { code: f.code, message: localise(f, language) } } satisfies KmehrReadRefusal),
    code: f.code,
    ...(caller && { caller: describeCaller(caller) }),
  };
}
