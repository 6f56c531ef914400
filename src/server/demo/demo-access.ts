import { buildRegistrationMessage } from '../../client/registration-message.js';
import { declareLink, recordConsent } from '../../registry/access/manage-access.js';
import { DOCTORS, IDENTITIES, PATIENTS, SOFTWARE_IDS } from '../../registry/demo-personas.js';
import { doctorKey } from '../../registry/profile.js';
import { registerVaccinations } from '../../registry/register-vaccinations.js';
import type { RegistryPorts } from '../../registry/registry-ports.js';
import { localDate } from '../../registry/system-clock.js';

/** The demo's two sides of the read rule (issue 13 §5), for the printed quick start. */
export const DEMO_READABLE = PATIENTS.jan;
export const DEMO_NOT_READABLE = PATIENTS.lotte;

/**
 * What lets the demo doctor (Dr. Peeters) read one person and not another: Dr. Maes registered a dose for each of Jan
 * and Lotte; Jan gave consent and has a therapeutic link with Dr. Peeters (eID read, 15 months); Lotte has neither.
 * So `vaccinnet get` as Dr. Peeters shows Jan's dose by Dr. Maes, and for Lotte answers ACCESS_NO_CONSENT — although
 * she has a vaccination too (a refusal never says whether there are any). Recorded through the same use cases an
 * operator uses, and audited like theirs.
 */
export async function seedDemoAccess(ports: RegistryPorts): Promise<void> {
  const maes = DOCTORS.maes;
  const now = ports.clock.now();
  const day = (n: number): string => localDate(new Date(now.getTime() - n * 86_400_000), ports.settings.timeZone);
  for (const [i, patient] of [DEMO_READABLE, DEMO_NOT_READABLE].entries()) {
    const message = buildRegistrationMessage(
      {
        sender: { nihii: maes.nihii, ssin: maes.ssin, name: `${maes.firstname} ${maes.familyname}` },
        patient: { insz: patient.insz },
        product: { cnk: '1734094' },
        date: day(30),
        lot: `DEMO${i + 1}`,
        now: { date: day(0), time: '09:00:00', millis: now.getTime() * 10 + i },
      },
      ports.reference,
    );
    const outcome = await registerVaccinations({ caller: IDENTITIES.maes, softwareId: SOFTWARE_IDS.maes, channel: 'registratie', messages: [message] }, ports);
    const stored = outcome.ok && outcome.messages[0]?.transactions[0]?.vaccinationId !== undefined;
    if (!stored) throw new Error(`the demo dose for ${patient.firstname} was refused: ${JSON.stringify(outcome)}`);
  }
  const actor = { by: 'operator:demo', subject: 'operator demo', channel: 'cli' } as const;
  await recordConsent({ insz: DEMO_READABLE.insz, state: 'active', actor }, ports);
  await declareLink({ insz: DEMO_READABLE.insz, party: doctorKey(DOCTORS.peeters.nihii), type: 'gp', proof: 'eid-chip', actor }, ports);
}
