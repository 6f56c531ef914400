import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { TestCa } from '../../pki/test-ca.js';
import { DOCTORS, ORGANISATIONS, PATIENTS, SOFTWARE_IDS, seedPersonas } from '../../registry/testing/personas.js';
import type { Store } from '../../store/store.js';

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
  readonly certificates: readonly DemoCertificate[];
  readonly patients: readonly { readonly insz: string; readonly name: string }[];
}

const MANIFEST = 'demo.json';

/**
 * Demo profiles for a newcomer (issue 3 §3, issue 4 §4): the persona cast (persons, a doctor, a stagemeester and his
 * HAIO, a group practice, a hospital with a responsible doctor, their softwareIDs) and .p12 certificates issued by the
 * development CA to them. Idempotent: a second start reuses what the first created.
 */
export async function seedDemo(store: Store, ca: TestCa, dataDir: string): Promise<DemoInfo> {
  const dir = path.join(dataDir, 'demo');
  const manifest = path.join(dir, MANIFEST);
  const patients = Object.values(PATIENTS).map((p) => ({ insz: p.insz, name: `${p.firstname} ${p.familyname}` }));
  if (existsSync(manifest)) {
    return { created: false, certificates: JSON.parse(readFileSync(manifest, 'utf8')) as DemoCertificate[], patients };
  }
  mkdirSync(dir, { recursive: true });
  await seedPersonas(store);
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
  for (const [persona, role] of [['deLinde', 'group practice'], ['azGroeninge', 'hospital']] as const) {
    const o = ORGANISATIONS[persona];
    const issued = await ca.issue({
      subject: { kind: 'organisation', idType: o.idType, id: o.id, name: o.name, application: 'VACCINNET' },
      outDir: dir,
      password: DEMO_PASSWORD,
    });
    certificates.push({
      persona, role, p12Path: issued.p12Path!, softwareId: SOFTWARE_IDS[persona], userCode: o.userCode,
      ...(persona === 'azGroeninge' && { nihii: DOCTORS.wouters.nihii }),
    });
  }
  writeFileSync(manifest, JSON.stringify(certificates, null, 2));
  return { created: true, certificates, patients };
}
