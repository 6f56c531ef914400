import type { NewAuditEntry } from '../registry/audit-entry.js';
import type { Channel, NewVaccination, Vaccination, VaccinationStatus, VaccineProduct } from '../registry/vaccination.js';
import type { AuditLogTable, VaccinationsTable } from './database.js';

/** Row ↔ entity mapping, in one place for every engine. */
export function vaccinationRow(v: NewVaccination): VaccinationsTable {
  return {
    patient_insz: v.patientInsz,
    id: v.id,
    cnk: v.product.cnk ?? null,
    product_name: v.product.name ?? null,
    vaccinnet_code: v.product.vaccinnetCode ?? null,
    atc: v.product.atc ?? null,
    indications: v.product.indications.join(','),
    vaccine_group: v.product.group,
    administered_on: v.administeredOn,
    quantity: v.quantity ?? null,
    lot: v.lot ?? null,
    disable_stock_change: v.disableStockChange === undefined ? null : v.disableStockChange ? 1 : 0,
    registrant_key: v.registrantKey,
    responsible_nihii: v.responsibleNihii ?? null,
    software_id: v.softwareId,
    channel: v.channel,
    sender_message_id: v.senderMessageId ?? null,
    sender_local_id: v.senderLocalId ?? null,
    sender_key: v.senderKey,
    registered_at: v.registeredAt,
    status: 'active',
    removed_at: null,
    removed_by: null,
    removed_reason: null,
    item_xml: v.itemXml,
    content_digest: v.contentDigest ?? null,
  };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Built by assignment, not by spreading conditional literals: this runs for every dose stored and every history
 * row, and the spreads (a temporary object and a copy per optional field) cost ten times as much.
 */
export function toVaccination(r: VaccinationsTable): Vaccination {
  const product = {} as Mutable<VaccineProduct>;
  if (r.cnk !== null) product.cnk = r.cnk;
  if (r.product_name !== null) product.name = r.product_name;
  if (r.vaccinnet_code !== null) product.vaccinnetCode = r.vaccinnet_code;
  if (r.atc !== null) product.atc = r.atc;
  product.indications = Object.freeze(r.indications.split(',').filter(Boolean));
  product.group = r.vaccine_group;
  const v = { id: r.id, patientInsz: r.patient_insz, product: Object.freeze(product), administeredOn: r.administered_on } as Mutable<Vaccination>;
  if (r.quantity !== null) v.quantity = r.quantity;
  if (r.lot !== null) v.lot = r.lot;
  if (r.disable_stock_change != null) v.disableStockChange = r.disable_stock_change === 1;
  v.registrantKey = r.registrant_key;
  if (r.responsible_nihii !== null) v.responsibleNihii = r.responsible_nihii;
  v.softwareId = r.software_id;
  v.channel = r.channel as Channel;
  if (r.sender_message_id !== null) v.senderMessageId = r.sender_message_id;
  if (r.sender_local_id !== null) v.senderLocalId = r.sender_local_id;
  v.senderKey = r.sender_key;
  v.registeredAt = r.registered_at;
  v.itemXml = r.item_xml;
  if (r.content_digest != null) v.contentDigest = r.content_digest;
  v.status = r.status as VaccinationStatus;
  if (r.removed_at !== null) {
    v.removal = Object.freeze({ at: r.removed_at, by: r.removed_by ?? '', ...(r.removed_reason !== null && { reason: r.removed_reason }) });
  }
  return Object.freeze(v);
}

export function auditRow(e: NewAuditEntry): AuditLogTable {
  return {
    patient_insz: e.patientInsz,
    id: e.id,
    at: e.at,
    action: e.action,
    outcome: e.outcome,
    vaccination_id: e.vaccinationId ?? null,
    actor: e.actor,
    subject: e.subject,
    channel: e.channel,
    software_id: e.softwareId ?? null,
    detail: e.detail ?? null,
  };
}

export function toAuditEntry(r: AuditLogTable): NewAuditEntry {
  return Object.freeze({
    id: r.id,
    at: r.at,
    patientInsz: r.patient_insz,
    action: r.action as NewAuditEntry['action'],
    outcome: r.outcome,
    ...(r.vaccination_id !== null && { vaccinationId: r.vaccination_id }),
    actor: r.actor,
    subject: r.subject,
    channel: r.channel as Channel,
    ...(r.software_id !== null && { softwareId: r.software_id }),
    ...(r.detail !== null && { detail: r.detail }),
  });
}

/**
 * A dose in BATCH_VACCINATION_COLUMNS order (the columns of `vaccinationRow` above, laid out for the
 * bulk statements; rows.test.ts checks the two agree). Spelled out rather than mapped over the column names: a keyed read per column cost ~5 % of a slice.
 */
export function batchVaccinationValues(v: NewVaccination): unknown[] {
  const p = v.product;
  return [
    v.patientInsz,
    v.id,
    p.cnk ?? null,
    p.name ?? null,
    p.vaccinnetCode ?? null,
    p.atc ?? null,
    p.indications.join(','),
    p.group,
    v.administeredOn,
    v.quantity ?? null,
    v.lot ?? null,
    v.registrantKey,
    v.responsibleNihii ?? null,
    v.softwareId,
    v.channel,
    v.senderMessageId ?? null,
    v.senderLocalId ?? null,
    v.senderKey,
    v.registeredAt,
    v.itemXml,
    v.contentDigest ?? null,
  ];
}

/** An audit entry in BATCH_AUDIT_COLUMNS order (the columns of `auditRow`; rows.test.ts checks the two agree). */
export function batchAuditValues(e: NewAuditEntry): unknown[] {
  return [e.patientInsz, e.id, e.at, e.action, e.outcome, e.vaccinationId ?? null, e.actor, e.subject, e.channel, e.softwareId ?? null, e.detail ?? null];
}
