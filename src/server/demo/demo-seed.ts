import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { TestCa } from '../../pki/test-ca.js';
import { DOCTORS, ORGANISATIONS, PATIENTS, SOFTWARE_IDS, seedPersonas } from '../../registry/demo-personas.js';
import type { Person } from '../../registry/person.js';
import type { RegistryPorts } from '../../registry/registry-ports.js';
import type { Store } from '../../store/store.js';
import { seedDemoAccess } from './demo-access.js';

/** Password of every demo .p12 (development only). */
export const DEMO_PASSWORD = 'demo';

export interface DemoCertificate {
  readonly persona: string;
  readonly role: string;
  readonly p12Path: string;
  readonly softwareId: string;
  /** NIHII to put in the KMEHR sender/author. */
  readonly nihii?: string;
  readonly userCode?: string;
}

export interface DemoInfo {
  /** True when this start created the demo data; false when it was already there. */
  readonly created: boolean;
  /** A BatchUpload CSV (one row per vaccination) for the demo patients, ready for `vaccinnet batch submit`. */
  readonly batchCsv: string;
  readonly certificates: readonly DemoCertificate[];
  readonly patients: readonly { readonly insz: string; readonly name: string }[];
}

const MANIFEST = 'demo.json';

/**
 * Demo profiles for a newcomer (issue 3 §3, issue 4 §4): the persona cast (persons, a doctor, a stagemeester and his
 * HAIO, a group practice, a hospital with a responsible doctor, their softwareIDs), .p12 certificates issued by the
 * development CA to them, and one person Dr. Peeters may read and one he may not (demo-access.ts). Idempotent: a second start reuses what the first created.
 */
export async function seedDemo(store: Store, ports: RegistryPorts, ca: TestCa, dataDir: string): Promise<DemoInfo> {
  const dir = path.join(dataDir, 'demo');
  const manifest = path.join(dir, MANIFEST);
  const patients = Object.values(PATIENTS).map((p) => ({ insz: p.insz, name: `${p.firstname} ${p.familyname}` }));
  const batchCsv = path.join(dir, 'batch.csv');
  if (existsSync(manifest)) {
    return { created: false, certificates: JSON.parse(readFileSync(manifest, 'utf8')) as DemoCertificate[], patients, batchCsv };
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(batchCsv, demoBatchCsv(new Date()));
  await seedPersonas(store);
  await seedDemoAccess(ports);
  const people = [
    { persona: 'peeters', role: 'doctor' },
    { persona: 'maes', role: 'stagemeester' },
    { persona: 'janssens', role: 'haio' },
  ] as const;
  const certificates: DemoCertificate[] = [];
  for (const { persona, role } of people) {
    const d = DOCTORS[persona];
    const issued = await ca.issue({
      subject: { kind: 'person', ssin: d.ssin, name: `${d.firstname} ${d.familyname}` },
      outDir: dir,
      password: DEMO_PASSWORD,
    });
    certificates.push({ persona, role, p12Path: issued.p12Path!, softwareId: SOFTWARE_IDS[persona], nihii: d.nihii });
  }
  for (const [persona, role] of [
    ['deLinde', 'group practice'],
    ['azGroeninge', 'hospital'],
  ] as const) {
    const o = ORGANISATIONS[persona];
    const issued = await ca.issue({
      subject: { kind: 'organisation', idType: o.idType, id: o.id, name: o.name, application: 'VACCINNET' },
      outDir: dir,
      password: DEMO_PASSWORD,
    });
    certificates.push({
      persona,
      role,
      p12Path: issued.p12Path!,
      softwareId: SOFTWARE_IDS[persona],
      userCode: o.userCode,
      ...(persona === 'azGroeninge' && { nihii: DOCTORS.wouters.nihii }),
    });
  }
  writeFileSync(manifest, JSON.stringify(certificates, null, 2));
  return { created: true, certificates, patients, batchCsv };
}

/**
 * The hospital's first delivery: the demo patients (known to the person register), one of them twice, a COVID-19 dose
 * with its lot, dates over the last week — the shape of the BatchUpload qualification test (mission.md).
 */
function demoBatchCsv(now: Date): string {
  const day = (n: number): string => new Date(now.getTime() - n * 86_400_000).toISOString().slice(0, 10);
  const { jan, emma, lotte } = PATIENTS;
  const row = (p: Person, cnk: string, date: string, lot: string): string => [p.insz, p.firstname, p.familyname, p.birthdate, p.sex, cnk, date, lot].join(',');
  return [
    'insz,firstname,familyname,birthdate,sex,cnk,date,lot',
    row(jan, '4293254', day(6), 'FK5127'),
    row(jan, '1734094', day(3), 'AB123'),
    row(emma, '4301081', day(2), 'MOD3000'),
    row(lotte, '1665363', day(1), 'A21CB'),
    '',
  ].join('\n');
}
