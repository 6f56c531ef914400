import type { RegisteredPatient } from '../registry/patient-data.js';
import type { BulkRegistrationStore, StoredUnderSenderKey } from '../registry/ports.js';
import type { StoredDoseKey } from '../registry/rules/probable-duplicate.js';
import {
  activeDoses,
  findBySenderKeys,
  findPersons,
  findStoredUnderKeys,
  insertAuditRows,
  insertVaccinationRows,
  supersede,
  type DoseKey,
  type RegisteredPerson,
} from './batch-registration-sql.js';
import type { StoreCapabilities } from './capabilities.js';
import type { BatchTrx } from './delivery-repository.js';
import { batchAuditValues, batchVaccinationValues } from './rows.js';

/**
 * The registry's bulk registration port (registry/ports.ts `BulkRegistrationStore`) on one open database
 * transaction: the set-based queries of batch-registration-sql.ts, with the registry's types on the outside and
 * the statements' positional rows (BATCH_VACCINATION_COLUMNS, BATCH_AUDIT_COLUMNS order) only in here.
 */
export function bulkRegistrationStore(trx: BatchTrx, caps: StoreCapabilities): BulkRegistrationStore {
  return {
    async personsOf(inszs) {
      const rows = await findPersons(trx, caps, inszs);
      const out = new Map<string, RegisteredPatient>();
      for (const [insz, person] of rows) out.set(insz, registered(person));
      return out;
    },
    async activeDosesOf(inszs) {
      return (await activeDoses(trx, caps, inszs)).map(storedDoseKey);
    },
    async activeUnderSenderKeys(registrantKey, senderKeys) {
      const rows = await findBySenderKeys(trx, registrantKey, senderKeys);
      return rows.filter((r) => r.status === 'active').map(storedDoseKey);
    },
    async supersede(doses, by, at, reason) {
      await supersede(
        trx,
        doses.map((d) => ({ id: d.id, patient_insz: d.patientInsz, sender_key: d.senderKey })),
        by,
        at,
        reason,
      );
    },
    async insertOrSkip(doses) {
      return insertVaccinationRows(trx, caps, doses.map(batchVaccinationValues));
    },
    async storedUnderSenderKeys(registrantKey, senderKeys) {
      const rows = await findStoredUnderKeys(trx, registrantKey, senderKeys);
      return rows.map((e): StoredUnderSenderKey => {
        const out: { -readonly [K in keyof StoredUnderSenderKey]: StoredUnderSenderKey[K] } = {
          id: e.id,
          patientInsz: e.patient_insz,
          senderKey: e.sender_key,
          administeredOn: String(e.administered_on),
          itemXml: e.item_xml ?? '',
        };
        if (e.responsible_nihii !== null) out.responsibleNihii = e.responsible_nihii;
        if (e.content_digest !== null) out.contentDigest = e.content_digest;
        return out;
      });
    },
    async appendAudit(entries) {
      await insertAuditRows(trx, caps, entries.map(batchAuditValues));
    },
  };
}

function storedDoseKey(d: DoseKey): StoredDoseKey {
  return {
    id: d.id,
    patientInsz: d.patient_insz,
    group: d.vaccine_group,
    administeredOn: String(d.administered_on),
    registrantKey: d.registrant_key,
    senderKey: d.sender_key,
    registeredAt: String(d.registered_at),
  };
}

function registered(person: RegisteredPerson): RegisteredPatient {
  const r: { -readonly [K in keyof RegisteredPatient]: RegisteredPatient[K] } = { firstname: person.firstname, familyname: person.familyname };
  if (person.birthdate !== null) r.birthdate = person.birthdate;
  if (person.sex !== null) r.sex = person.sex as RegisteredPatient['sex'];
  return r;
}
