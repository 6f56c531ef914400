import { hash } from 'node:crypto';
import type { NewVaccination } from './vaccination.js';

/** The fields of a dose its content digest covers: each is a stored column, so a stored row's digest can be recomputed. */
export type DigestedDose = Pick<NewVaccination, 'patientInsz' | 'administeredOn' | 'responsibleNihii' | 'itemXml'>;

/**
 * What the sender said about one administered dose, as a SHA-256 (base64url, 43 characters): the patient's INSZ,
 * the administration date, the responsible doctor's NIHII and the vaccine `<item>` as the registry stores it
 * (`writeItem`: our own serialisation of the parsed item, so whitespace, attribute order, prefixes and namespace
 * declarations of the sent XML do not change it; product codes, date, lot, quantity, texts do).
 *
 * NOT covered — what the registry derives or what describes the transport, not the dose: the
 * product as resolved against the reference table (it changes with the table), softwareID, channel, the message's
 * header (date, time, sender details), the sender ids themselves (equal by construction), registration time and
 * `DisableStockChange` (an instruction about stock, not about the dose). The registrant is equal by construction
 * too (it is part of the idempotency key). See docs/decisions.md "Replays and reused ids (issue 11.1)".
 *
 * Canonical form: a version tag, then each field as a netstring (`<length>:<value>,`, the length in UTF-16 code
 * units; an absent NIHII is `-`): unambiguous whatever the values hold, and no escaping of the item's quotes (a
 * JSON array cost more than the hash). The version tag lets a later definition tell its digests apart.
 */
export function contentDigest(v: DigestedDose): string {
  // our choice: these four fields and nothing else (docs/decisions.md "Replays and reused ids (issue 11.1)").
  const nihii = v.responsibleNihii === undefined ? '-' : field(v.responsibleNihii);
  return hash('sha256', `${DIGEST_VERSION}${field(v.patientInsz)}${field(v.administeredOn)}${nihii}${field(v.itemXml)}`, 'base64url');
}

const DIGEST_VERSION = 'dose-v1;';

function field(value: string): string {
  return `${value.length}:${value},`;
}

/**
 * Whether a dose offered again under stored sender ids is the stored dose (an idempotent retry) or another one
 * (ids reused). A stored row without a digest (written by a registry older than migration 0011 while it ran beside
 * this one) has its digest computed from its columns, the same definition: no "unknown" answer.
 */
export function sameContent(offered: DigestedDose & { readonly contentDigest?: string }, stored: DigestedDose & { readonly contentDigest?: string }): boolean {
  return (offered.contentDigest ?? contentDigest(offered)) === (stored.contentDigest ?? contentDigest(stored));
}
