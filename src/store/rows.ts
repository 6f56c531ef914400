import type { NewAuditEntry } from '../registry/audit-entry.js';
import type { Channel, NewVaccination, Vaccination, VaccinationStatus } from '../registry/vaccination.js';
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
  };
}

export function toVaccination(r: VaccinationsTable): Vaccination {
  return Object.freeze({
    id: r.id,
    patientInsz: r.patient_insz,
    product: Object.freeze({
      ...(r.cnk !== null && { cnk: r.cnk }),
      ...(r.product_name !== null && { name: r.product_name }),
      ...(r.vaccinnet_code !== null && { vaccinnetCode: r.vaccinnet_code }),
      ...(r.atc !== null && { atc: r.atc }),
      indications: Object.freeze(r.indications.split(',').filter(Boolean)),
      group: r.vaccine_group,
    }),
    administeredOn: r.administered_on,
    ...(r.quantity !== null && { quantity: r.quantity }),
    ...(r.lot !== null && { lot: r.lot }),
    ...(r.disable_stock_change != null && { disableStockChange: r.disable_stock_change === 1 }),
    registrantKey: r.registrant_key,
    ...(r.responsible_nihii !== null && { responsibleNihii: r.responsible_nihii }),
    softwareId: r.software_id,
    channel: r.channel as Channel,
    ...(r.sender_message_id !== null && { senderMessageId: r.sender_message_id }),
    ...(r.sender_local_id !== null && { senderLocalId: r.sender_local_id }),
    senderKey: r.sender_key,
    registeredAt: r.registered_at,
    itemXml: r.item_xml,
    status: r.status as VaccinationStatus,
    ...(r.removed_at !== null && {
      removal: Object.freeze({ at: r.removed_at, by: r.removed_by ?? '', ...(r.removed_reason !== null && { reason: r.removed_reason }) }),
    }),
  });
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
