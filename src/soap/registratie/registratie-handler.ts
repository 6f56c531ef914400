import { randomUUID } from 'node:crypto';
import { unexpectedFailure } from '../../registry/store-unavailable.js';
import type { Logger } from 'pino';
import { writeKmehr } from '../../kmehr/write-kmehr.js';
import type { XmlLimits } from '../../kmehr/xml-limits.js';
import type { XsdValidator } from '../../kmehr/xsd/xsd-validator.js';
import { describeCaller, type CallerIdentity } from '../../registry/caller-identity.js';
import { getHistory } from '../../registry/get-history.js';
import { buildHistoryMessage } from '../../registry/history-message.js';
import { registerVaccinations, allFindings, type MessageResult } from '../../registry/register-vaccinations.js';
import type { RegistryPorts } from '../../registry/registry-ports.js';
import { removeVaccination } from '../../registry/remove-vaccination.js';
import { checkServiceAccess } from '../../registry/service-access.js';
import { localDate } from '../../registry/system-clock.js';
import type { KmehrMessage } from '../../kmehr/model.js';
import { CATALOGUE } from '../../status/catalogue.js';
import { finding, type Finding } from '../../status/finding.js';
import { authenticateCaller, needsSignatureCheck, signatureCheckOptions, type AuthenticationDeps } from '../caller-authentication.js';
import type { RegistratieOperation } from '../../contracts/operations.js';
import { readRegistratieRequest } from '../envelope/read-registratie-request.js';
import type { AddVaccinationsRequest, GetVaccinationsRequest, RegistratieRequest, RemoveVaccinationRequest } from '../../contracts/registratie-request.js';
import { callStatus, messageStatus } from '../../status/message-status.js';
import { writeFault } from '../envelope/write-fault.js';
import { faultHttpStatus } from '../../status/fault-http-status.js';
import {
  writeAddVaccinationsResponse,
  writeGetVaccinationsResponse,
  writeRegistratieRefusal,
  writeRemoveVaccinationResponse,
} from '../envelope/write-registratie-response.js';
import type { AddVaccinationResult } from '../../contracts/registratie-replies.js';
import type { SoapAnswer, SoapCall } from '../soap-call.js';
import { auditSecurityRefusal } from '../audit-security-refusal.js';
import type { SecurityRefusal } from '../security-refusal.js';
import { claimSignedRequest } from '../signed-request-replay.js';
import { readSignedRegistratieRequest } from './read-signed-registratie-request.js';
import { checkSubmittedMessageInTurn, type SubmittedMessageCheck } from './submitted-message.js';

export interface RegistratieDeps {
  readonly ports: RegistryPorts;
  readonly authentication: AuthenticationDeps;
  readonly xsd?: XsdValidator;
  readonly limits: XmlLimits;
  readonly log: Logger;
}

/** `Source` of every VaccinationId this registry hands out. */
export const VACCINATION_ID_SOURCE = 'Vaccinnet';

/**
 * RegistratieService (wire-contracts.md §1): envelope → caller (signature or TLS certificate) → service access →
 * operation. Call-level refusals answer with the operation's response and a call-level Status (HTTP 200); only a
 * request that is not a valid call at all gets a SOAP Fault (HTTP 500). Never throws: an unexpected error is logged
 * whole and answered INTERNAL_ERROR with a reference, never a stack trace.
 */
export async function handleRegistratieCall(call: SoapCall, deps: RegistratieDeps): Promise<SoapAnswer> {
  const language = call.language ?? 'en';
  const now = deps.ports.clock.now();
  // A request whose signature is checked is scanned once for both (the outcome is that of reading, then verifying).
  const { read, signature } = needsSignatureCheck(call.body, call.peerCertificate)
    ? readSignedRegistratieRequest(call.body, call.soapAction, deps.limits, signatureCheckOptions(now, deps.authentication))
    : { read: readRegistratieRequest(call.body, call.soapAction, deps.limits), signature: undefined };
  if (!read.ok) {
    // Not a valid call at all (malformed, unknown operation, contract) → Fault; otherwise the operation's own answer.
    if (!read.operation || CATALOGUE[read.finding.code].soap === 'fault') return fault(read.finding, read.operation ?? 'unknown', language);
    return refusal(read.operation, read.finding, language);
  }
  const request = read.request;
  const auth = authenticateCaller(call.body, call.peerCertificate, now, deps.authentication, signature);
  if (!auth.ok) return await securityRefusal(request, { finding: auth.finding, ...(auth.identity && { identity: auth.identity }) }, language, deps);
  const access = checkServiceAccess(auth.identity, 'registratie');
  if (access) return await securityRefusal(request, { finding: access, identity: auth.identity }, language, deps);
  // After every check of the credential: only a request that would run claims its signature (TLS-only calls: nothing to do).
  if (auth.signed) {
    const replayed = await claimSignedRequest(auth.signed, deps.authentication.signatureReplays, now);
    if (replayed) return await securityRefusal(request, { finding: replayed, identity: auth.identity }, language, deps);
  }
  try {
    switch (request.operation) {
      case 'AddVaccinations':
        return await addVaccinations(request, auth.identity, deps, language);
      case 'RemoveVaccination':
        return await remove(request, auth.identity, deps, language);
      case 'GetVaccinations':
        return await history(request, auth.identity, deps, language);
    }
  } catch (error) {
    const reference = randomUUID();
    const failure = unexpectedFailure(error, reference);
    deps.log[failure.code === 'INTERNAL_ERROR' ? 'error' : 'warn']({ err: error, reference, operation: request.operation }, 'RegistratieService call failed');
    return failure.code === 'STORE_UNAVAILABLE' ? fault(failure, request.operation, language) : refusal(request.operation, failure, language, auth.identity);
  }
}

async function addVaccinations(
  request: AddVaccinationsRequest,
  caller: CallerIdentity,
  deps: RegistratieDeps,
  language: 'en' | 'nl' | 'fr',
): Promise<SoapAnswer> {
  // Checked with the other requests of this event-loop turn, back to back: the schema stays in the CPU cache.
  const checks: SubmittedMessageCheck[] = await Promise.all(request.messages.map((m) => checkSubmittedMessageInTurn(m.kmehr, deps.xsd, deps.limits)));
  const accepted = checks.flatMap((c, i) => (c.accepted && c.message ? [{ index: i, message: c.message }] : []));
  // Always through the use case, also when no message passed the transport checks: it authorises the caller (a caller
  // without a profile gets its refusal, not schema findings) and audits the call.
  const outcome = await registerVaccinations(
    {
      caller,
      softwareId: request.softwareId,
      channel: 'registratie',
      messages: accepted.map((a) => a.message),
      patientId: request.patientId,
      disableStockChange: accepted.map((a) => request.messages[a.index]?.disableStockChange),
    },
    deps.ports,
  );
  if (!outcome.ok) {
    return refusal('AddVaccinations', outcome.findings[0] ?? finding('INTERNAL_ERROR'), language, caller);
  }
  const registered = new Map<number, MessageResult>();
  accepted.forEach((a, k) => {
    const r = outcome.messages[k];
    if (r) registered.set(a.index, r);
  });
  const perMessage: Finding[][] = [];
  const results: AddVaccinationResult[] = checks.map((check, i) => {
    const r = registered.get(i);
    const findings = [...check.findings, ...(r ? allFindings(r) : [])];
    perMessage.push(findings);
    const id = r?.transactions[0]?.vaccinationId;
    return {
      kmehrId: kmehrIdOf(check.message) ?? r?.kmehrId ?? '',
      status: messageStatus(findings, language),
      ...(id !== undefined && { vaccinationId: { value: id, source: VACCINATION_ID_SOURCE } }),
    };
  });
  const status = callStatus([], perMessage, language);
  return {
    httpStatus: 200,
    operation: 'AddVaccinations',
    code: status.code,
    caller: describeCaller(caller),
    xml: writeAddVaccinationsResponse({ status, patientId: request.patientId, results }),
  };
}

async function remove(request: RemoveVaccinationRequest, caller: CallerIdentity, deps: RegistratieDeps, language: 'en' | 'nl' | 'fr'): Promise<SoapAnswer> {
  const outcome = await removeVaccination(
    { actor: caller, softwareId: request.softwareId, channel: 'registratie', patientId: request.patientId, vaccinationId: request.vaccinationId },
    deps.ports,
  );
  const status = callStatus(outcome.ok ? [] : outcome.findings, [], language);
  return {
    httpStatus: 200,
    operation: 'RemoveVaccination',
    code: status.code,
    caller: describeCaller(caller),
    xml: writeRemoveVaccinationResponse({
      status,
      patientId: request.patientId,
      ...(outcome.ok && { vaccinationId: request.vaccinationId }),
    }),
  };
}

async function history(request: GetVaccinationsRequest, caller: CallerIdentity, deps: RegistratieDeps, language: 'en' | 'nl' | 'fr'): Promise<SoapAnswer> {
  const outcome = await getHistory(
    {
      actor: caller,
      softwareId: request.softwareId,
      channel: 'registratie',
      insz: request.patientId,
      ...(request.vaccinationDateSince !== undefined && { since: request.vaccinationDateSince }),
    },
    deps.ports,
  );
  // A refusal by the read rule (ACCESS_*) is a normal answer with its Status, like every call-level refusal.
  if (!outcome.ok) return refusal('GetVaccinations', outcome.findings[0] ?? finding('INTERNAL_ERROR'), language, caller);
  // Informational findings (ACCESS_OWN_ONLY: only the caller's own doses) keep the code OK and are listed in the Message.
  const status = callStatus(outcome.findings ?? [], [], language);
  let kmehr: string | undefined;
  // KMEHR needs ≥ 1 transaction per folder: a person without vaccinations gets an OK status and no message.
  if (outcome.vaccinations.length > 0) {
    const now = deps.ports.clock.now();
    const person = await deps.ports.persons.findPerson(request.patientId);
    kmehr = writeKmehr(
      buildHistoryMessage({
        patientInsz: request.patientId,
        ...(person && { person }),
        vaccinations: outcome.vaccinations,
        date: localDate(now, deps.ports.settings.timeZone),
        time: localTime(now, deps.ports.settings.timeZone),
        messageId: `VACCINNET.${now.getTime()}.${randomUUID().slice(0, 8)}`,
        recipient: caller.kind === 'person' ? { ssin: caller.ssin, ...(caller.name && { name: caller.name }) } : { name: caller.name ?? caller.id },
      }),
    );
  }
  return {
    httpStatus: 200,
    operation: 'GetVaccinations',
    code: status.code,
    caller: describeCaller(caller),
    xml: writeGetVaccinationsResponse({ status, patientId: request.patientId, ...(kmehr !== undefined && { kmehr }) }),
  };
}

function kmehrIdOf(message: KmehrMessage | undefined): string | undefined {
  return message?.header.ids.find((i) => i.s.toUpperCase() === 'ID-KMEHR')?.value;
}

function localTime(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(instant);
}

/** A refused authentication: audited when the request names a patient, and handed to the security-event log. */
async function securityRefusal(
  request: RegistratieRequest,
  security: SecurityRefusal,
  language: 'en' | 'nl' | 'fr',
  deps: RegistratieDeps,
): Promise<SoapAnswer> {
  await auditSecurityRefusal(security, request, 'registratie', deps.ports);
  return { ...refusal(request.operation, security.finding, language, security.identity), security };
}

function refusal(operation: RegistratieOperation, f: Finding, language: 'en' | 'nl' | 'fr', caller?: CallerIdentity): SoapAnswer {
  return {
    httpStatus: 200,
    operation,
    code: f.code,
    ...(caller && { caller: describeCaller(caller) }),
    xml: writeRegistratieRefusal(operation, f, language),
  };
}

function fault(f: Finding, operation: string, language: 'en' | 'nl' | 'fr'): SoapAnswer {
  return { httpStatus: faultHttpStatus(f.code), operation, code: f.code, xml: writeFault(f, language) };
}
