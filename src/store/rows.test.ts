import { describe, expect, it } from 'vitest';
import type { NewAuditEntry } from '../registry/audit-entry.js';
import type { NewVaccination } from '../registry/vaccination.js';
import { BATCH_AUDIT_COLUMNS, BATCH_VACCINATION_COLUMNS } from './delivery-tables.js';
import { auditRow, batchAuditValues, batchVaccinationValues, vaccinationRow } from './rows.js';

/** The bulk statements' positional values are spelled out for speed: they must stay the one row mapping, column by column. */
describe('positional rows of the bulk statements', () => {
  const full: NewVaccination = {
    id: 'A'.repeat(32),
    patientInsz: '85071412330',
    product: { cnk: '4293254', name: 'Comirnaty', vaccinnetCode: 'C19', atc: 'J07BN01', indications: ['covid19', 'x'], group: 'COVID-19' },
    administeredOn: '2024-03-01',
    quantity: '1',
    lot: 'EW0001',
    registrantKey: 'doctor:14700250004',
    responsibleNihii: '14700250004',
    softwareId: 'taktik_medispring',
    channel: 'batch',
    senderMessageId: 'm-1',
    senderLocalId: 'l-1',
    senderKey: 'local:UUID:l-1',
    registeredAt: '2026-01-01T10:00:00.000Z',
    itemXml: '<item/>',
    contentDigest: 'd',
  };
  const sparse: NewVaccination = {
    id: 'B'.repeat(32),
    patientInsz: '85071412330',
    product: { indications: [], group: 'UNKNOWN' },
    administeredOn: '2024-03-01',
    registrantKey: 'organisation:x',
    softwareId: 's',
    channel: 'batch',
    senderKey: 'kmehr:m:0:0',
    registeredAt: '2026-01-01T10:00:00.000Z',
    itemXml: '<item/>',
  };

  it.each([
    ['every field', full],
    ['only the required fields', sparse],
  ])('a vaccination with %s is vaccinationRow in BATCH_VACCINATION_COLUMNS order', (_name, v) => {
    const row = vaccinationRow(v);
    expect(batchVaccinationValues(v)).toEqual(BATCH_VACCINATION_COLUMNS.map((c) => row[c]));
  });

  it('an audit entry is auditRow in BATCH_AUDIT_COLUMNS order', () => {
    const entries: NewAuditEntry[] = [
      {
        id: 'a',
        at: 't',
        patientInsz: 'p',
        action: 'register',
        outcome: 'OK',
        vaccinationId: 'v',
        actor: 'x',
        subject: 's',
        channel: 'batch',
        softwareId: 'w',
        detail: 'd',
      },
      { id: 'b', at: 't', patientInsz: '', action: 'refuse', outcome: 'PROFILE_NONE', actor: '', subject: 's', channel: 'batch' },
    ];
    for (const e of entries) {
      const row = auditRow(e);
      expect(batchAuditValues(e)).toEqual(BATCH_AUDIT_COLUMNS.map((c) => row[c]));
    }
  });
});
