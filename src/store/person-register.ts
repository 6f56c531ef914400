import type { Kysely } from 'kysely';
import type { Person } from '../registry/person.js';
import type { PersonRegister } from '../registry/ports.js';
import type { Database, PersonsTable } from './database.js';
import type { HotSql } from './hot-sql.js';

const FIND_PERSON = 'select insz, firstname, familyname, birthdate, sex from persons where insz = ?';

/** The person register on SQL: the port plus the operator's import. */
export class SqlPersonRegister implements PersonRegister {
  readonly #db: Kysely<Database>;
  readonly #hot: HotSql;

  constructor(db: Kysely<Database>, hot: HotSql) {
    this.#db = db;
    this.#hot = hot;
  }

  /** On every registration: hand-written SQL (hot-sql.ts). */
  async findPerson(insz: string): Promise<Person | undefined> {
    const [row] = await this.#hot.all(FIND_PERSON, [insz]);
    return row ? toPerson(row as unknown as PersonsTable) : undefined;
  }

  /**
   * Adds or replaces persons (CSV import, fixtures), in one transaction.
   * @param persons - the register entries
   */
  async upsertPersons(persons: readonly Person[]): Promise<void> {
    if (persons.length === 0) return;
    await this.#db.transaction().execute(async (trx) => {
      for (let i = 0; i < persons.length; i += 500) {
        await trx
          .insertInto('persons')
          .values(persons.slice(i, i + 500).map(toRow))
          .onConflict((oc) =>
            oc.column('insz').doUpdateSet((eb) => ({
              firstname: eb.ref('excluded.firstname'),
              familyname: eb.ref('excluded.familyname'),
              birthdate: eb.ref('excluded.birthdate'),
              sex: eb.ref('excluded.sex'),
            })),
          )
          .execute();
      }
    });
  }
}

function toRow(p: Person): PersonsTable {
  return { insz: p.insz, firstname: p.firstname, familyname: p.familyname, birthdate: p.birthdate ?? null, sex: p.sex ?? null };
}

/** Optional fields assigned, not spread from conditional literals: this runs on every registration (see rows.ts). */
function toPerson(row: PersonsTable): Person {
  const person: { -readonly [K in keyof Person]: Person[K] } = { insz: row.insz, firstname: row.firstname, familyname: row.familyname };
  if (row.birthdate !== null) person.birthdate = row.birthdate;
  if (row.sex !== null) person.sex = row.sex as Person['sex'];
  return Object.freeze(person);
}
