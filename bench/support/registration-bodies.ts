import { writeRegistrationMessage } from '../../src/client/registration-message.js';
import { addVaccinationsEnvelope } from '../../src/client/registratie-requests.js';
import { defaultVaccineReference } from '../../src/kmehr/codelists/index.js';
import { inszFor } from '../../src/kmehr/identifiers/synthetic-insz.js';
import { DOCTORS } from '../../src/registry/demo-personas.js';
import { signEnvelope, type SigningKey } from '../../src/wssec/sign-envelope.js';

const reference = defaultVaccineReference();
const peeters = DOCTORS.peeters;

export interface BodyOptions {
  readonly softwareId: string;
  /** Patient numbers `inszFor(first) … inszFor(first + count - 1)`: every request registers a new patient's dose. */
  readonly first: number;
  readonly count: number;
  /** WS-Security-sign each envelope with this key (signatures are fresh for the 300 s timestamp window). */
  readonly signWith?: SigningKey;
}

/**
 * AddVaccinations request bodies from Dr. Peeters, one KMEHR message each, every one a NEW registration (its own
 * patient, message id and dose), built before the timing starts so the load generator only sends bytes.
 */
export function registrationBodies(options: BodyOptions): Buffer[] {
  const now = new Date();
  const today = now.toISOString().slice(0, 10);
  const yesterday = new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10);
  const bodies: Buffer[] = [];
  for (let i = 0; i < options.count; i++) {
    const n = options.first + i;
    const kmehr = writeRegistrationMessage(
      {
        sender: { nihii: peeters.nihii, ssin: peeters.ssin, name: `${peeters.firstname} ${peeters.familyname}` },
        patient: { insz: inszFor(n) },
        product: { cnk: '4293254' },
        date: yesterday,
        lot: `LOT${n}`,
        now: { date: today, time: '10:00:00', millis: now.getTime() * 1000 + n },
      },
      reference,
    );
    const envelope = addVaccinationsEnvelope({ softwareId: options.softwareId, patientId: inszFor(n), messages: [{ kmehr }] });
    bodies.push(Buffer.from(options.signWith ? signEnvelope(envelope, options.signWith) : envelope, 'utf8'));
  }
  return bodies;
}
