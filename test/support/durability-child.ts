/**
 * Child process of the durability test: registers a stream of vaccinations into the store at argv[2] and prints
 * `ACK <VaccinationId>` after each registration returned — the moment a SOAP reply would leave. The parent kills it
 * with SIGKILL mid-stream and checks that every acknowledged id survived.
 */
import { openStore } from '../../src/store/open-store.js';
import { registryPortsOf } from '../../src/store/registry-ports-of.js';
import { registerVaccinations } from '../../src/registry/register-vaccinations.js';
import { DOCTORS, IDENTITIES, SOFTWARE_IDS } from '../../src/registry/demo-personas.js';
import { personaMessage } from '../../src/registry/testing/persona-messages.js';

const url = process.argv[2];
if (!url) throw new Error('usage: durability-child <store-url>');
const store = await openStore(url);
const ports = registryPortsOf(store);
const start = Date.UTC(2000, 0, 1);
for (let n = 0; ; n++) {
  const date = new Date(start + (n % 8000) * 86_400_000).toISOString().slice(0, 10);
  const message = personaMessage({ sender: DOCTORS.peeters, messageId: `durable-${process.pid}-${n}`, date });
  const outcome = await registerVaccinations(
    { caller: IDENTITIES.peeters, softwareId: SOFTWARE_IDS.peeters, channel: 'registratie', messages: [message] },
    ports,
  );
  const id = outcome.ok ? outcome.messages[0]?.transactions[0]?.vaccinationId : undefined;
  if (!id) throw new Error(`registration ${n} failed: ${JSON.stringify(outcome)}`);
  process.stdout.write(`ACK ${id}\n`);
}
