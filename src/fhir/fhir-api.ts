import { randomUUID, type X509Certificate } from 'node:crypto';
import { unexpectedFailure } from '../registry/store-unavailable.js';
import type { Bundle, BundleEntry, BundleLink, Immunization, OperationOutcome, Patient, Resource } from '@medplum/fhirtypes';
import type { Logger } from 'pino';
import type { CertificateVerifier } from '../pki/certificate-verifier.js';
import type { CallerIdentity } from '../registry/caller-identity.js';
import { getHistory } from '../registry/get-history.js';
import { getVaccination } from '../registry/get-vaccination.js';
import { allFindings, registerVaccinations } from '../registry/register-vaccinations.js';
import type { RegistryPorts } from '../registry/registry-ports.js';
import { removeVaccinationById } from '../registry/remove-vaccination-by-id.js';
import { checkServiceAccess } from '../registry/service-access.js';
import { CATALOGUE, type Language } from '../status/catalogue.js';
import { finding, type Finding } from '../status/finding.js';
import { capabilityStatement } from './capability-statement.js';
import { SYSTEM } from './fhir-systems.js';
import { fhirPathOf } from './fhirpath-of.js';
import { fromImmunization } from './from-immunization.js';
import { operationOutcome } from './operation-outcome.js';
import { readJson } from './read-json.js';
import { earliestDate, matches, parseImmunizationSearch, parseSsinToken, type ImmunizationSearch } from './search-parameters.js';
import { toImmunization } from './to-immunization.js';

/** One HTTP request to `/fhir`, transport-neutral (the Fastify plugin in src/server builds it). */
export interface FhirRequest {
  readonly method: string;
  /** The path below `/fhir`, e.g. `/Immunization/3F2A…`. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly body?: Buffer;
  readonly peerCertificate?: X509Certificate;
  /** `X-Vaccinnet-Software-Id` (our choice: FHIR has no field for it). */
  readonly softwareId?: string;
  readonly language: Language;
  /** `https://host:port/fhir`, for links and Location. */
  readonly baseUrl: string;
}

export interface FhirAnswer {
  readonly status: number;
  readonly resource: Resource;
  readonly location?: string;
  /** The status code of the answer, for the log line and metrics. */
  readonly code: string;
}

export interface FhirDeps {
  readonly ports: RegistryPorts;
  readonly certificates: CertificateVerifier;
  readonly log: Logger;
}

/** Header the caller's softwareID travels in (docs/fhir.md). */
export const SOFTWARE_ID_HEADER = 'x-vaccinnet-software-id';

/**
 * The FHIR R4 API (issue 13 §4): every read through `getHistory` (so the access rule and its audit apply), every
 * write through `registerVaccinations` / `removeVaccination`, the same use cases as SOAP. Never throws: an
 * unexpected error is logged and answered INTERNAL_ERROR with a reference.
 */
export async function handleFhirRequest(req: FhirRequest, deps: FhirDeps): Promise<FhirAnswer> {
  try {
    return await route(req, deps);
  } catch (error) {
    const reference = randomUUID();
    const failure = unexpectedFailure(error, reference);
    deps.log[failure.code === 'INTERNAL_ERROR' ? 'error' : 'warn']({ err: error, reference, path: req.path.slice(0, 200) }, 'FHIR request failed');
    return refusal(failure, req.language);
  }
}

async function route(req: FhirRequest, deps: FhirDeps): Promise<FhirAnswer> {
  const parts = req.path.split('/').filter(Boolean);
  const [type, id, extra] = parts;
  if (req.method === 'GET' && type === 'metadata' && parts.length === 1) {
    return { status: 200, code: 'OK', resource: capabilityStatement(req.baseUrl, deps.ports.clock.now().toISOString()) };
  }
  const known =
    extra === undefined &&
    ((type === 'Immunization' && id === undefined && (req.method === 'GET' || req.method === 'POST')) ||
      (type === 'Immunization' && id !== undefined && (req.method === 'GET' || req.method === 'DELETE')) ||
      (type === 'Patient' && id === undefined && req.method === 'GET'));
  if (!known) return refusal(finding('FHIR_NOT_FOUND', { value: `${req.method} /fhir/${parts.join('/')}`.slice(0, 120) }), req.language);
  const caller = authenticate(req, deps);
  if (!caller.ok) return refusal(caller.finding, req.language);
  const identity = caller.identity;
  if (type === 'Patient') return searchPatient(req, identity, deps);
  if (req.method === 'POST') return create(req, identity, deps);
  if (id === undefined) return searchImmunizations(req, identity, deps);
  return req.method === 'GET' ? read(req, id, identity, deps) : remove(req, id, identity, deps);
}

/** The TLS client certificate, checked as on SOAP (chain, CRL, eHealth subject), and the service it may use. */
function authenticate(req: FhirRequest, deps: FhirDeps): { ok: true; identity: CallerIdentity } | { ok: false; finding: Finding } {
  if (!req.peerCertificate) return { ok: false, finding: finding('AUTH_NOT_AUTHENTICATED', { params: { detail: 'no client certificate (mutual TLS)' } }) };
  const verified = deps.certificates.verifyCertificate(req.peerCertificate, deps.ports.clock.now());
  if (!verified.ok) return verified;
  // our choice: FHIR serves what RegistratieService serves (doctors, group practices), to the same certificates.
  const access = checkServiceAccess(verified.identity, 'registratie');
  return access ? { ok: false, finding: access } : { ok: true, identity: verified.identity };
}

/**
 * A read refused by the core: INSZ_FORMAT / _CHECKSUM / _DATE / _BIRTH_IN_FUTURE are the caller's malformed input
 * (400); anything else — profile, softwareID, and the access rule's codes as they come — is 403.
 */
function readRefusalStatus(f: Finding): number {
  if (f.code.startsWith('INSZ_') && f.code !== 'INSZ_UNKNOWN') return 400;
  return f.code === 'AUTH_NOT_AUTHENTICATED' ? 401 : 403;
}

async function history(req: FhirRequest, identity: CallerIdentity, deps: FhirDeps, insz: string, location: string, since?: string) {
  return getHistory(
    { actor: identity, softwareId: req.softwareId ?? '', channel: 'fhir', insz, inszLocation: location, ...(since !== undefined && { since }) },
    deps.ports,
  );
}

async function searchImmunizations(req: FhirRequest, identity: CallerIdentity, deps: FhirDeps): Promise<FhirAnswer> {
  const parsed = parseImmunizationSearch(req.query);
  if (!parsed.ok) return refusal(parsed.finding, req.language);
  const search = parsed.value;
  const outcome = await history(req, identity, deps, search.insz, 'patient.identifier', earliestDate(search.dates));
  if (!outcome.ok) return readRefusal(outcome.findings, req.language);
  // A person's history is small (tens of doses): filtered here, after the one read the access rule guards.
  const all = outcome.vaccinations.map(toImmunization).filter((i) => matches(i, search));
  const page = all.slice(search.offset, search.offset + search.count);
  const notices = outcome.findings ?? [];
  const bundle = searchset(req, 'Immunization', all.length, page, pageLinks(req, search, all.length), noticeOutcome(notices, req.language));
  return { status: 200, code: notices[0]?.code ?? 'OK', resource: bundle };
}

/**
 * What the read rule says about an allowed read (ACCESS_OWN_ONLY: only the caller's own doses; ACCESS_BREAK_GLASS,
 * ACCESS_OPERATOR_READ: a flagged read), as the Bundle's `search.mode = outcome` entry (FHIR R4 §3.1.1.4.4).
 */
function noticeOutcome(notices: readonly Finding[], language: Language): OperationOutcome | undefined {
  return notices.length > 0 ? operationOutcome(notices, language) : undefined;
}

async function read(req: FhirRequest, id: string, identity: CallerIdentity, deps: FhirDeps): Promise<FhirAnswer> {
  // One core use case: the access rule and audit apply once; an unreadable dose is 404 like an unknown id.
  const outcome = await getVaccination(
    { actor: identity, softwareId: req.softwareId ?? '', channel: 'fhir', id, inszLocation: 'Immunization.patient.identifier' },
    deps.ports,
  );
  if (outcome.ok) return { status: 200, code: 'OK', resource: toImmunization(outcome.vaccination) };
  const first = outcome.findings[0] ?? finding('INTERNAL_ERROR');
  // Removed (entered-in-error): FHIR's answer for a deleted resource is 410 Gone.
  if (first.code === 'VACCINATION_ALREADY_REMOVED') return refusal(first, req.language, 410);
  if (first.code === 'VACCINATION_NOT_FOUND') return refusal(first, req.language);
  return readRefusal(outcome.findings, req.language);
}

async function searchPatient(req: FhirRequest, identity: CallerIdentity, deps: FhirDeps): Promise<FhirAnswer> {
  for (const name of req.query.keys()) {
    if (name !== 'identifier')
      return refusal(finding('FHIR_SEARCH_PARAMETER', { value: name.slice(0, 64), params: { detail: 'supported: identifier' } }), req.language);
  }
  const token = parseSsinToken('identifier', req.query.getAll('identifier').length === 1 ? (req.query.get('identifier') ?? undefined) : undefined);
  if (!token.ok) return refusal(token.finding, req.language);
  // our choice: the person register is read under the same rule as the person's vaccinations (and audited with it).
  const outcome = await history(req, identity, deps, token.value, 'identifier');
  if (!outcome.ok && outcome.findings[0]?.code !== 'INSZ_UNKNOWN') return readRefusal(outcome.findings, req.language);
  const person = outcome.ok ? await deps.ports.persons.findPerson(token.value) : undefined;
  const patients: Patient[] = person
    ? [
        {
          resourceType: 'Patient',
          identifier: [{ system: SYSTEM.ssin, value: person.insz }],
          name: [{ family: person.familyname, given: [person.firstname] }],
          ...(person.birthdate && { birthDate: person.birthdate }),
          ...(person.sex && { gender: person.sex }),
        },
      ]
    : [];
  return { status: 200, code: 'OK', resource: searchset(req, 'Patient', patients.length, patients, [{ relation: 'self', url: selfUrl(req, 'Patient') }]) };
}

async function create(req: FhirRequest, identity: CallerIdentity, deps: FhirDeps): Promise<FhirAnswer> {
  const json = readJson(req.body ?? Buffer.alloc(0));
  if (!json.ok) return refusal(json.finding, req.language);
  const read = fromImmunization(json.value);
  if (!read.ok) {
    const first = read.findings[0]!;
    return answer(CATALOGUE[first.code].http, read.findings, req.language, (f) => f.location);
  }
  const outcome = await registerVaccinations({ caller: identity, softwareId: req.softwareId ?? '', channel: 'fhir', messages: [read.message] }, deps.ports);
  const where = (f: Finding): string => fhirPathOf(f.location, read.paths);
  if (!outcome.ok) return answer(CATALOGUE[outcome.findings[0]!.code].http, outcome.findings, req.language, where);
  const result = outcome.messages[0];
  const findings = result ? allFindings(result) : [];
  const transaction = result?.transactions[0];
  const id = transaction?.vaccinationId;
  const error = findings.find((f) => f.severity === 'error');
  if (id === undefined || (error && !transaction?.replay)) {
    const first = error ?? finding('INTERNAL_ERROR', { params: { reference: 'no vaccination stored' } });
    return answer(CATALOGUE[first.code].http, error ? findings : [first], req.language, where);
  }
  // Stored: the core's warnings (e.g. PROBABLE_DUPLICATE), then what of the resource the registry does not keep.
  const kept = [...findings, ...read.notKept];
  const shown = kept.length > 0 ? kept : [finding('OK')];
  // 201 for a new vaccination; 200 for a replay of the same sender id with the same content (DUPLICATE_REPLAY).
  return { ...answer(transaction?.replay ? 200 : 201, shown, req.language, where), location: `${req.baseUrl}/Immunization/${id}` };
}

async function remove(req: FhirRequest, id: string, identity: CallerIdentity, deps: FhirDeps): Promise<FhirAnswer> {
  // By id alone: the core finds the person, removeVaccination decides, and an unreadable dose answers like an unknown id.
  const outcome = await removeVaccinationById(
    { actor: identity, softwareId: req.softwareId ?? '', channel: 'fhir', id, reason: 'entered-in-error (FHIR DELETE)' },
    deps.ports,
  );
  if (outcome.ok) return answer(200, [finding('OK')], req.language);
  const first = outcome.findings[0]!;
  return answer(CATALOGUE[first.code].http, outcome.findings, req.language);
}

function readRefusal(findings: readonly Finding[], language: Language): FhirAnswer {
  const first = findings[0] ?? finding('INTERNAL_ERROR');
  return answer(readRefusalStatus(first), findings, language);
}

function refusal(f: Finding, language: Language, status = CATALOGUE[f.code].http): FhirAnswer {
  return answer(status, [f], language, (x) => x.location);
}

function answer(status: number, findings: readonly Finding[], language: Language, expressionOf?: (f: Finding) => string | undefined): FhirAnswer {
  const first = findings.find((f) => f.severity === 'error') ?? findings[0];
  return { status, code: first?.code ?? 'OK', resource: operationOutcome(findings, language, expressionOf) };
}

function selfUrl(req: FhirRequest, type: string, query: URLSearchParams = req.query): string {
  const q = query.toString();
  return `${req.baseUrl}/${type}${q ? `?${q}` : ''}`;
}

function pageLinks(req: FhirRequest, search: ImmunizationSearch, total: number): BundleLink[] {
  const at = (offset: number): string => {
    const q = new URLSearchParams(req.query);
    q.set('_count', String(search.count));
    q.set('_offset', String(offset));
    return selfUrl(req, 'Immunization', q);
  };
  const links: BundleLink[] = [{ relation: 'self', url: selfUrl(req, 'Immunization') }];
  if (search.count > 0 && search.offset + search.count < total) links.push({ relation: 'next', url: at(search.offset + search.count) });
  if (search.offset > 0) links.push({ relation: 'previous', url: at(Math.max(0, search.offset - search.count)) });
  return links;
}

function searchset(
  req: FhirRequest,
  type: string,
  total: number,
  resources: readonly (Immunization | Patient)[],
  link: BundleLink[],
  outcome?: OperationOutcome,
): Bundle {
  const entry = resources.map((r): BundleEntry => ({
    ...(r.id !== undefined && { fullUrl: `${req.baseUrl}/${type}/${r.id}` }),
    resource: r,
    search: { mode: 'match' },
  }));
  // Not counted in `total` (matches only); on every page, as it is about the whole read.
  if (outcome) entry.push({ resource: outcome, search: { mode: 'outcome' } });
  return { resourceType: 'Bundle', type: 'searchset', total, link, ...(entry.length > 0 && { entry }) };
}
