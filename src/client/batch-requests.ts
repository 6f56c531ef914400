import { batchElement } from '../contracts/operations.js';
import type { BatchDeliveryHead, BatchResultRequest, ExtraInfo } from '../contracts/batch-request.js';
import { SOAP11_NS, UPL_NS } from '../contracts/namespaces.js';
import { escapeText } from '../kmehr/xml-escape.js';

/** The `extraInfo/type` the real test tool sends (wire-contracts.md §2). */
export const DEFAULT_EXTRA_INFO_TYPE = 'auth_eHealth_org';

export type DeliveryOperation = BatchDeliveryHead['operation'];

/** What a delivery (Aanleveren) or supplement (Aanvulling) carries besides the KMEHR message: its `extraInfo`. */
export interface DeliveryOptions extends Omit<ExtraInfo, 'type'> {
  /** `extraInfo/type`; default `auth_eHealth_org`. */
  readonly type?: string;
}

export type ResultRequestInput = Omit<BatchResultRequest, 'operation'>;

/** The envelope around an inline KMEHR message: everything before it and everything after it. */
export interface EnvelopeFrame {
  readonly head: string;
  readonly tail: string;
}

// A BOM, an XML declaration and whitespace before the root: none may appear inside the Body.
const PROLOGUE = /^\uFEFF?(?:<\?xml[^>]*\?>)?\s*/;

/** Removes a leading BOM and XML declaration so the KMEHR document can sit inline in a SOAP Body. */
export function stripXmlDeclaration(kmehr: string): string {
  return kmehr.replace(PROLOGUE, '');
}

/**
 * The Aanleveren/Aanvulling envelope split around the KMEHR message, so a large message can be streamed between
 * `head` and `tail` (the Body holds `extraInfo` then `kmehr:kmehrmessage`, wire-contracts.md §2).
 */
export function deliveryEnvelopeFrame(operation: DeliveryOperation, options: DeliveryOptions): EnvelopeFrame {
  const name = batchElement(operation, 'Request');
  const head =
    `<soapenv:Envelope xmlns:soapenv="${SOAP11_NS}"><soapenv:Header/><soapenv:Body>` +
    `<upl:${name} xmlns:upl="${UPL_NS}"><upl:extraInfo><upl:type>${escapeText(options.type ?? DEFAULT_EXTRA_INFO_TYPE)}</upl:type>` +
    `<upl:pakket>${escapeText(options.pakket)}</upl:pakket></upl:extraInfo>`;
  return { head, tail: `</upl:${name}></soapenv:Body></soapenv:Envelope>` };
}

/**
 * A whole Aanleveren/Aanvulling envelope with the KMEHR message inline (not base64), its XML declaration removed.
 * @param kmehrXml - a KMEHR document in UTF-8 (`kmehrmessage` in the KMEHR namespace)
 */
export function deliveryEnvelope(operation: DeliveryOperation, kmehrXml: string | Buffer, options: DeliveryOptions): string {
  const { head, tail } = deliveryEnvelopeFrame(operation, options);
  const kmehr = typeof kmehrXml === 'string' ? kmehrXml : kmehrXml.toString('utf8');
  return head + stripXmlDeclaration(kmehr).trimEnd() + tail;
}

/** The ResultaatVerwerking envelope: `requestId` + `gebruikersId`. */
export function resultEnvelope(input: ResultRequestInput): string {
  const name = batchElement('ResultaatVerwerking', 'Request');
  return (
    `<soapenv:Envelope xmlns:soapenv="${SOAP11_NS}"><soapenv:Header/><soapenv:Body><upl:${name} xmlns:upl="${UPL_NS}">` +
    `<upl:requestId>${escapeText(input.requestId)}</upl:requestId><upl:gebruikersId>${escapeText(input.gebruikersId)}</upl:gebruikersId>` +
    `</upl:${name}></soapenv:Body></soapenv:Envelope>`
  );
}
