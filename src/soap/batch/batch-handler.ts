import { createHash, randomUUID, type X509Certificate } from 'node:crypto';
import { unexpectedFailure } from '../../registry/store-unavailable.js';
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Logger } from 'pino';
import { loadFindings } from '../../batch/stored-findings.js';
import type { Header } from '../../kmehr/model.js';
import { streamKmehr } from '../../kmehr/stream-kmehr.js';
import { DEFAULT_XML_LIMITS } from '../../kmehr/xml-limits.js';
import { authoriseCaller } from '../../registry/authorise-caller.js';
import { checkCertificateBinding } from '../../registry/certificate-binding.js';
import { describeCaller, type CallerIdentity } from '../../registry/caller-identity.js';
import type { OrganisationProfile } from '../../registry/profile.js';
import type { RegistryPorts } from '../../registry/registry-ports.js';
import { checkServiceAccess } from '../../registry/service-access.js';
import { CATALOGUE, type Language } from '../../status/catalogue.js';
import { finding, FindingError, hasErrors, type Finding } from '../../status/finding.js';
import type { DeliveryRepository, ReplayEntry } from '../../store/delivery-repository.js';
import type { AuthenticationDeps } from '../caller-authentication.js';
import { checkOneCallerIdentity } from '../one-caller-identity.js';
import type { SecurityRefusal } from '../security-refusal.js';
import { claimSignedRequest, signedRequestOf, type SignedRequest } from '../signed-request-replay.js';
import type { StreamedBatchDelivery, BatchResultRequest } from '../../contracts/batch-request.js';
import { extractBatchRequestStream } from '../envelope/extract-batch-request-stream.js';
import { BATCH_OPERATIONS, batchAction, normaliseSoapAction, type BatchOperation } from '../../contracts/operations.js';
import { joinFindings } from '../../status/message-status.js';
import { batchFout, writeDeliveryResponse, writeResultResponse } from '../../contracts/write-batch-response.js';
import { writeFault } from '../envelope/write-fault.js';
import { faultHttpStatus } from '../../status/fault-http-status.js';
import {
  createWsSecurityStreamVerifier,
  type WsSecurityHeaderInfo,
  type WsSecurityResult,
  type WsSecurityStreamVerifier,
} from '../../wssec/create-ws-security-stream-verifier.js';
import type { XmlEventHandlers } from '../../wssec/xml-events.js';
import type { BatchAnswer } from './batch-answer.js';
import { resultAnswerChunks } from './result-answer.js';
import { claimSpoolFile, releaseSpoolFile } from './spool-files.js';
import { isClientAbort } from '../client-abort.js';

export interface BatchCall {
  /** The request body as it arrives (never buffered whole). */
  readonly body: AsyncIterable<Buffer>;
  readonly soapAction?: string;
  readonly peerCertificate?: X509Certificate;
  readonly language?: Language;
}

export interface BatchHandlerDeps {
  readonly repo: DeliveryRepository;
  readonly ports: RegistryPorts;
  readonly authentication: AuthenticationDeps;
  /**
   * XSD validation of a spooled delivery, off the event loop (`validateFileInWorker`: ~2 s of libxml2 for 120 MB
   * would otherwise stall every other request); absent when XSD validation is off. Rejects when the validator died.
   */
  readonly validateSpool?: (file: string) => Promise<readonly Finding[]>;
  /** Where a delivery's KMEHR is spooled while it is checked (deleted afterwards). */
  readonly spoolDir: string;
  /** Largest delivery body, bytes (config `server.maxDeliveryBytes`). */
  readonly maxBytes: number;
  readonly retentionDays: number;
  readonly log: Logger;
}

/** Ends the header-only read of a spooled message. */
const HEADER_READ = Symbol('header read');

/**
 * BatchUpload (UPLVaccinatieGegevens, wire-contracts.md §2), intake side. The body streams through one read — the
 * XML tokenizer's scan feeds both the WS-Security verifier and the envelope extraction — into a spool file — never held whole, so a 120 MB delivery costs tens of MB —
 * then: caller (signature, else TLS certificate) → service access (no personal certificates) → profile and softwareID
 * → the KMEHR sender's LOCAL id is the organisation's user code → XSD (streamed from the spool) → stored durably →
 * answer `certificaatStatus` + `transactionId`. Whole-message refusals answer `foutCode` + `foutOmschrijving`; a
 * request that is no valid call at all gets a SOAP Fault. Never throws.
 */
export async function handleBatchCall(call: BatchCall, deps: BatchHandlerDeps): Promise<BatchAnswer> {
  const language = call.language ?? 'en';
  const now = deps.ports.clock.now();
  const spool = claimSpoolFile(deps.spoolDir);
  const sink = createWriteStream(spool);
  // Without a listener a spool write error (ENOSPC, EACCES) would be an uncaught 'error' event: the process dies.
  let sinkError: Error | undefined;
  sink.on('error', (error) => {
    sinkError ??= error;
  });
  // The signature is verified in the same read as the request (issue 12 §2): the verifier's scan is the one scan.
  let verifier: WsSecurityStreamVerifier | undefined;
  const createVerifier = (observer: XmlEventHandlers | undefined): WsSecurityStreamVerifier => {
    verifier = createWsSecurityStreamVerifier({
      now,
      maxAgeSeconds: deps.authentication.maxAgeSeconds,
      maxClockSkewSeconds: deps.authentication.clockSkewSeconds,
      ...(observer !== undefined && { observer }),
    });
    return verifier;
  };
  const verifying = { on: true };
  const actionOp = operationOfAction(call.soapAction);
  try {
    let extracted;
    try {
      const trust = (certificate: Buffer | X509Certificate, signer: boolean): Finding | undefined => {
        const cert = deps.authentication.certificates.verifyCertificate(certificate, now);
        if (!cert.ok) return cert.finding;
        // One caller identity, checked as soon as the signer is known: nothing is spooled for a mismatched call.
        return signer && call.peerCertificate
          ? checkOneCallerIdentity(cert.identity, call.peerCertificate, now, deps.authentication.certificates, deps.authentication.identityRule)
          : undefined;
      };
      extracted = await extractBatchRequestStream(call.body, sink, {
        ...(call.soapAction !== undefined && { soapAction: call.soapAction }),
        maxBytes: deps.maxBytes,
        verifier: createVerifier,
        checkpoint: signatureCheckpoint(() => verifier, call.peerCertificate, verifying, trust),
      });
    } catch (error) {
      if (error instanceof FindingError) return refusal(actionOp, error.finding, language);
      throw error;
    } finally {
      sink.end();
      await once(sink, 'close').catch(() => undefined);
    }
    // A spool that failed to write is incomplete: never check or store it.
    if (sinkError !== undefined) throw sinkError;
    if (!extracted.ok) {
      const op = extracted.operation ?? actionOp;
      if (!op || CATALOGUE[extracted.finding.code].soap === 'fault') return fault(extracted.finding, op ?? 'unknown', language);
      return refusal(op, extracted.finding, language);
    }
    const request = extracted.request;
    const identity = authenticate(verifying.on ? verifier?.end() : undefined, call.peerCertificate, now, deps.authentication);
    if (!identity.ok) return refusal(request.operation, identity.finding, language, identity.identity);
    const access = checkServiceAccess(identity.identity, 'batch');
    if (access) return refusal(request.operation, access, language, identity.identity);
    if (request.operation === 'ResultaatVerwerking') {
      // A signed results read is accepted once per Timestamp window (issue 11.4). Deliveries are not claimed here:
      // an exact resend of one is answered with the first one's transactionId (batch_replays, below) — our choice.
      const replayed = identity.signed && (await claimSignedRequest(identity.signed, deps.authentication.signatureReplays, now));
      if (replayed) return refusal(request.operation, replayed, language, identity.identity);
      return await result(request, identity.identity, deps, language);
    }
    return await deliver(
      request as StreamedBatchDelivery,
      spool,
      identity.identity,
      deps,
      language,
      replayEntry(verifying.on ? verifier?.header : undefined, deps),
    );
  } catch (error) {
    const reference = randomUUID();
    // The client went away mid-body: nothing failed here; the plugin logs it once at info (no stack, no error line).
    const failure = unexpectedFailure(error, reference);
    if (!isClientAbort(error)) deps.log[failure.code === 'INTERNAL_ERROR' ? 'error' : 'warn']({ err: error, reference }, 'BatchUpload call failed');
    return failure.code === 'STORE_UNAVAILABLE' ? fault(failure, actionOp ?? 'unknown', language) : refusal(actionOp, failure, language);
  } finally {
    releaseSpoolFile(spool);
  }
}

/**
 * Run after every chunk the read took in (the verifier saw it first): a bad signature stops the upload at once. A
 * request without WS-Security on a mutual-TLS connection switches the signature off instead (the TLS certificate
 * will be the caller's credential). Whichever certificate is the credential is checked for trust as soon as it is
 * known (before the Body), so an untrusted caller cannot make the server spool a whole delivery.
 */
function signatureCheckpoint(
  verifierOf: () => WsSecurityStreamVerifier | undefined,
  peer: X509Certificate | undefined,
  state: { on: boolean },
  trust: (certificate: Buffer | X509Certificate, signer: boolean) => Finding | undefined,
): () => void {
  let trusted = false;
  return () => {
    const verifier = verifierOf();
    if (!state.on || verifier === undefined) return;
    const failure = verifier.failure;
    if (failure !== undefined) {
      if (peer === undefined || failure.code !== 'AUTH_NOT_AUTHENTICATED') throw new FindingError(failure);
      state.on = false;
      // Unsigned on mutual TLS: the TLS certificate is the credential, and TLS itself accepts any (rejectUnauthorized false).
      const refused = trust(peer, false);
      if (refused !== undefined) throw new FindingError(refused);
    }
    // The caller's certificate is checked as soon as it is known: a self-signed stranger must not get to stream
    // (and spool) a whole delivery before being refused.
    if (!trusted && state.on && verifier.header !== undefined) {
      const refused = trust(verifier.header.certificateDer, true);
      if (refused !== undefined) throw new FindingError(refused);
      trusted = true;
    }
  };
}

type Identity =
  | { readonly ok: true; readonly identity: CallerIdentity; readonly signed?: SignedRequest }
  | { readonly ok: false; readonly finding: Finding; readonly identity?: CallerIdentity };

/** `signature`: the verifier's outcome, when the request is to be authenticated by its signature. */
function authenticate(signature: WsSecurityResult | undefined, peer: X509Certificate | undefined, now: Date, deps: AuthenticationDeps): Identity {
  if (signature !== undefined) {
    const r = signature;
    if (!r.ok) {
      if (!(peer && r.finding.code === 'AUTH_NOT_AUTHENTICATED')) return r;
    } else {
      const cert = deps.certificates.verifyCertificate(r.certificateDer, now);
      if (!cert.ok) return cert;
      const mismatch = peer && checkOneCallerIdentity(cert.identity, peer, now, deps.certificates, deps.identityRule);
      if (mismatch) return { ok: false, finding: mismatch, identity: cert.identity };
      return { ok: true, identity: cert.identity, signed: signedRequestOf(r, deps) };
    }
  }
  if (!peer) return { ok: false, finding: finding('AUTH_NOT_AUTHENTICATED', { params: { detail: 'no wsse:Security header and no TLS client certificate' } }) };
  const cert = deps.certificates.verifyCertificate(peer, now);
  return cert.ok ? { ok: true, identity: cert.identity } : cert;
}

/**
 * The replay-cache entry of a request authenticated by its signature: a request that passed the Timestamp check
 * could be sent again, unchanged, until `Created + maxAge + skew`. Undefined for a request authenticated by TLS
 * alone (TLS itself prevents replays).
 */
function replayEntry(header: WsSecurityHeaderInfo | undefined, deps: BatchHandlerDeps): ReplayEntry | undefined {
  if (header === undefined) return undefined;
  // The SignatureValue signs SignedInfo, which holds the digests of the Timestamp and the Body: it names the request.
  const signatureHash = createHash('sha256').update(Buffer.from(header.signatureValue, 'base64')).digest('hex');
  const freshFor = (deps.authentication.maxAgeSeconds + deps.authentication.clockSkewSeconds) * 1000;
  return { signatureHash, expiresAt: new Date(header.created.getTime() + freshFor).toISOString() };
}

/**
 * A signed delivery sent again (same signature, still fresh) gets the transactionId of the delivery it created —
 * *our choice*: idempotent, like a dose sent twice (DUPLICATE_REPLAY), so a sender that lost the first answer can
 * safely resend; nothing is stored twice. Logged with code DUPLICATE_REPLAY.
 */
function replayed(op: StreamedBatchDelivery['operation'], transactionId: string, identity: CallerIdentity): BatchAnswer {
  return {
    httpStatus: 200,
    operation: op,
    code: 'DUPLICATE_REPLAY',
    caller: describeCaller(identity),
    transactionId,
    body: writeDeliveryResponse(op, { transactionId }),
  };
}

async function deliver(
  request: StreamedBatchDelivery,
  spool: string,
  identity: CallerIdentity,
  deps: BatchHandlerDeps,
  language: Language,
  replay: ReplayEntry | undefined,
): Promise<BatchAnswer> {
  const op = request.operation;
  if (replay) {
    const original = await deps.repo.findReplay(replay.signatureHash, deps.ports.clock.now());
    if (original !== undefined) return replayed(op, original, identity);
  }
  const auth = await authoriseCaller(identity, request.extraInfo.pakket, deps.ports.profiles);
  if (!auth.ok) return refusal(op, auth.finding, language, identity);
  if (auth.profile.kind !== 'organisation') return refusal(op, finding('AUTH_WRONG_SERVICE', { value: 'personal' }), language, identity);
  const profile: OrganisationProfile = auth.profile;

  const header = await readHeader(spool);
  if (header.ok) {
    const locals = header.header.senders.flatMap((p) => p.ids.filter((i) => i.s.toUpperCase() === 'LOCAL').map((i) => i.value));
    if (!locals.includes(profile.userCode)) {
      return refusal(
        op,
        finding('USER_CODE_MISMATCH', { location: '/kmehrmessage/header/sender/hcparty/id[@S="LOCAL"]', value: locals[0] ?? '' }),
        language,
        identity,
      );
    }
  }
  if (deps.validateSpool) {
    let xsd: readonly Finding[];
    try {
      xsd = await deps.validateSpool(spool);
    } catch (error) {
      // The worker process crashed or was killed: a catalogued, retryable answer, never a hang or a bare 500.
      const reference = randomUUID();
      deps.log.error({ err: error, reference }, 'BatchUpload XSD validation failed');
      return refusal(op, finding('BATCH_XSD_UNAVAILABLE', { params: { reference } }), language, identity);
    }
    if (hasErrors(xsd)) {
      const first = xsd.find((f) => f.severity === 'error')!;
      return {
        httpStatus: 200,
        operation: op,
        code: first.code,
        caller: describeCaller(identity),
        body: writeDeliveryResponse(op, { foutCode: first.code, foutOmschrijving: joinFindings(xsd, language) }),
      };
    }
  }
  if (!header.ok) return refusal(op, header.finding, language, identity);

  const id = randomUUID();
  try {
    await deps.repo.storeDelivery(
      {
        id,
        operation: op,
        organisationKey: profile.key,
        userCode: profile.userCode,
        softwareId: request.extraInfo.pakket,
        caller: JSON.stringify(identity),
        receivedAt: deps.ports.clock.now().toISOString(),
      },
      readSpool(spool),
      replay,
    );
  } catch (error) {
    // The same request stored meanwhile (on this node or another): its key made this transaction fail.
    const original = replay && (await deps.repo.findReplay(replay.signatureHash, deps.ports.clock.now()));
    if (original) return replayed(op, original, identity);
    throw error;
  }
  // Only now, after the commit, is the sender told its delivery exists.
  return {
    httpStatus: 200,
    operation: op,
    code: 'OK',
    caller: describeCaller(identity),
    transactionId: id,
    body: writeDeliveryResponse(op, { transactionId: id }),
  };
}

/** The spool's bytes, opened only when the store starts reading (a store that fails first leaves no stream to error). */
async function* readSpool(spool: string): AsyncGenerator<Buffer> {
  yield* createReadStream(spool, { highWaterMark: 256 * 1024 }) as AsyncIterable<Buffer>;
}

async function readHeader(spool: string): Promise<{ readonly ok: true; readonly header: Header } | { readonly ok: false; readonly finding: Finding }> {
  let header: Header | undefined;
  try {
    await streamKmehr(
      createReadStream(spool, { highWaterMark: 64 * 1024 }),
      {
        header(h) {
          header = h;
          throw HEADER_READ;
        },
        folder() {},
      },
      { ...DEFAULT_XML_LIMITS, maxBytes: Number.MAX_SAFE_INTEGER },
    );
  } catch (error) {
    if (error === HEADER_READ && header) return { ok: true, header };
    if (error instanceof FindingError) return { ok: false, finding: error.finding };
    throw error;
  }
  return header ? { ok: true, header } : { ok: false, finding: finding('KMEHR_FIELD_MISSING', { params: { field: 'header' } }) };
}

async function result(request: BatchResultRequest, identity: CallerIdentity, deps: BatchHandlerDeps, language: Language): Promise<BatchAnswer> {
  const op = 'ResultaatVerwerking';
  const profile = await deps.ports.profiles.findProfile(identity);
  if (!profile) return refusal(op, finding('PROFILE_NONE', { value: describeCaller(identity) }), language, identity);
  // Results carry patients' INSZ: a certificate whose binding was revoked, or a deactivated profile, reads none.
  const unbound = checkCertificateBinding(identity, profile, await deps.ports.profiles.findCertificateBindings(profile.key));
  if (unbound) return refusal(op, unbound, language, identity);
  if (!profile.active) return refusal(op, finding('PROFILE_INACTIVE', { value: describeCaller(identity) }), language, identity);
  const delivery = await deps.repo.findDelivery(request.requestId);
  if (!delivery) return refusal(op, finding('BATCH_REQUEST_UNKNOWN', { value: request.requestId }), language, identity);
  if (delivery.organisationKey !== profile.key) return refusal(op, finding('BATCH_NOT_OWNER', { value: request.requestId }), language, identity);
  if (profile.kind !== 'organisation' || request.gebruikersId !== profile.userCode) {
    return refusal(op, finding('USER_CODE_MISMATCH', { location: 'gebruikersId', value: request.gebruikersId }), language, identity);
  }
  if (delivery.status === 'expired') {
    return refusal(op, finding('BATCH_EXPIRED', { value: request.requestId, params: { detail: `${deps.retentionDays} days` } }), language, identity);
  }
  if (delivery.status === 'failed') {
    const failure = loadFindings(delivery.failure ?? '[]')[0] ?? finding('INTERNAL_ERROR');
    if (delivery.transactions === 0) return refusal(op, failure, language, identity);
    // Failed part-way: what was committed is registered and must be reported, marked as partial.
    const partial = { committed: delivery.transactions, failure };
    return {
      httpStatus: 200,
      operation: op,
      code: 'BATCH_PARTIAL',
      caller: describeCaller(identity),
      body: resultAnswerChunks(deps.repo, delivery.id, language, partial),
    };
  }
  if (delivery.status !== 'processed' || delivery.transactions === 0) {
    return refusal(op, finding('BATCH_NOT_PROCESSED', { value: request.requestId }), language, identity);
  }
  return { httpStatus: 200, operation: op, code: 'OK', caller: describeCaller(identity), body: resultAnswerChunks(deps.repo, delivery.id, language) };
}

function operationOfAction(soapAction: string | undefined): BatchOperation | undefined {
  const action = normaliseSoapAction(soapAction);
  return BATCH_OPERATIONS.find((op) => batchAction(op) === action);
}

function refusal(op: BatchOperation | undefined, f: Finding, language: Language, caller?: CallerIdentity): BatchAnswer {
  if (!op) return fault(f, 'unknown', language, caller);
  const fout = batchFout(f, language);
  return {
    httpStatus: 200,
    operation: op,
    code: f.code,
    ...(caller && { caller: describeCaller(caller) }),
    body: op === 'ResultaatVerwerking' ? writeResultResponse(fout) : writeDeliveryResponse(op, fout),
    ...securityOf(f, caller),
  };
}

function fault(f: Finding, operation: string, language: Language, caller?: CallerIdentity): BatchAnswer {
  return { httpStatus: faultHttpStatus(f.code), operation, code: f.code, body: writeFault(f, language), ...securityOf(f, caller) };
}

/**
 * Every refusal in the `auth` area is a refused authentication, for the security-event log (a delivery names many
 * patients, none per call: no audit row). Taken from the code, so no refusal path can forget it.
 */
function securityOf(f: Finding, caller: CallerIdentity | undefined): { security?: SecurityRefusal } {
  return CATALOGUE[f.code].area === 'auth' ? { security: { finding: f, ...(caller && { identity: caller }) } } : {};
}
