import type { Kysely } from 'kysely';
import type { AuditEntry, NewAuditEntry } from '../registry/audit-entry.js';
import type { AuditLog } from '../registry/ports.js';
import type { Database } from './database.js';
import { auditRow, toAuditEntry } from './rows.js';

/** The append-only audit log on SQL, partitioned like everything else by the person concerned. */
export class SqlAuditLog implements AuditLog {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async append(entry: NewAuditEntry): Promise<void> {
    await this.#db.insertInto('audit_log').values(auditRow(entry)).execute();
  }

  async forPerson(patientInsz: string): Promise<readonly AuditEntry[]> {
    const rows = await this.#db.selectFrom('audit_log').selectAll().where('patient_insz', '=', patientInsz).orderBy('at').orderBy('id').execute();
    return rows.map(toAuditEntry);
  }
}
