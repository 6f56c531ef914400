import type { AddVaccinationResult, AddVaccinationsReply, GetVaccinationsReply, RemoveVaccinationReply } from '../contracts/registratie-replies.js';
import type { StatusValue } from '../status/message-status.js';
import { child, children, parseSmallXml, textOf, type XmlNode } from './small-xml-tree.js';

// The answers are read back into the contract's shapes, the ones the server wrote them from; only where the reader
// knows more is the type narrower (Results always an array, the KMEHR always decoded to text).
export type Status = StatusValue;

export type MessageResult = AddVaccinationResult;

export interface AddVaccinationsResult extends AddVaccinationsReply {
  readonly results: readonly MessageResult[];
}

export type RemoveVaccinationResult = RemoveVaccinationReply;

export interface GetVaccinationsResult extends GetVaccinationsReply {
  /** The decoded KMEHR message with the patient's vaccinations. */
  readonly kmehr?: string;
}

/** A SOAP Fault: the request was not a valid call at all. */
export class SoapFaultError extends Error {
  readonly faultcode: string;
  readonly code?: string;
  readonly httpStatus: number;
  constructor(faultcode: string, faultstring: string, httpStatus: number, code?: string) {
    super(faultstring);
    this.name = 'SoapFaultError';
    this.faultcode = faultcode;
    this.httpStatus = httpStatus;
    if (code !== undefined) this.code = code;
  }
}

function bodyChild(xml: string, httpStatus: number): XmlNode {
  const envelope = parseSmallXml(xml);
  const body = child(envelope, 'Body');
  const first = body?.children[0];
  if (!first) throw new Error(`unexpected response (HTTP ${httpStatus}): no SOAP Body`);
  if (first.name === 'Fault') {
    const detailCode = textOf(findDeep(child(first, 'detail') ?? first, 'code'));
    throw new SoapFaultError(textOf(child(first, 'faultcode')) ?? '', textOf(child(first, 'faultstring')) ?? '', httpStatus, detailCode);
  }
  return first;
}

function findDeep(node: XmlNode, name: string): XmlNode | undefined {
  for (const c of node.children) {
    if (c.name === name) return c;
    const d = findDeep(c, name);
    if (d) return d;
  }
  return undefined;
}

function status(node: XmlNode | undefined): Status {
  return { code: textOf(child(node, 'Code')) ?? '', message: textOf(child(node, 'Message')) ?? '' };
}

const optional = <T>(value: T | undefined, key: string): Record<string, T> => (value === undefined || value === '' ? {} : { [key]: value });

export function readAddVaccinationsResponse(xml: string, httpStatus = 200): AddVaccinationsResult {
  const r = bodyChild(xml, httpStatus);
  return {
    status: status(child(r, 'Status')),
    ...optional(textOf(child(r, 'PatientId')), 'patientId'),
    results: children(r, 'Results').map((res) => {
      const vid = child(res, 'VaccinationId');
      const vidValue = textOf(vid);
      const st = child(res, 'Status');
      const stocked = textOf(child(res, 'Stocked'));
      return {
        kmehrId: textOf(child(res, 'KmehrId')) ?? '',
        ...(st && { status: status(st) }),
        ...(vidValue !== undefined && vidValue !== '' && { vaccinationId: { value: vidValue, source: vid?.attributes['Source'] ?? '' } }),
        ...(stocked !== undefined && { stocked: Number(stocked) }),
      };
    }),
  };
}

export function readRemoveVaccinationResponse(xml: string, httpStatus = 200): RemoveVaccinationResult {
  const r = bodyChild(xml, httpStatus);
  return {
    status: status(child(r, 'Status')),
    ...optional(textOf(child(r, 'PatientId')), 'patientId'),
    ...optional(textOf(child(r, 'VaccinationId')), 'vaccinationId'),
  };
}

export function readGetVaccinationsResponse(xml: string, httpStatus = 200): GetVaccinationsResult {
  const r = bodyChild(xml, httpStatus);
  const b64 = textOf(child(r, 'Base64EncodedKmehr'));
  return {
    status: status(child(r, 'Status')),
    ...optional(textOf(child(r, 'PatientId')), 'patientId'),
    ...(b64 && { kmehr: Buffer.from(b64, 'base64').toString('utf8') }),
  };
}
