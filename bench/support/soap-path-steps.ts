import path from 'node:path';
import { DEFAULT_XML_LIMITS } from '../../src/kmehr/xml-limits.js';
import { parseKmehr } from '../../src/kmehr/parse-kmehr.js';
import { createXsdValidator } from '../../src/kmehr/xsd/xsd-validator.js';
import { readRegistratieRequest } from '../../src/soap/envelope/read-registratie-request.js';
import { readSignedRegistratieRequest } from '../../src/soap/registratie/read-signed-registratie-request.js';
import { checkSubmittedMessage } from '../../src/soap/registratie/submitted-message.js';
import { REPO_ROOT } from './repo-root.js';

export interface SoapPathSteps {
  readonly method: string;
  /** CPU µs per call of each step, the best round. */
  readonly cpuMicrosPerCall: Readonly<Record<string, number>>;
}

/**
 * The SOAP path's own steps timed in this process, without HTTP or the store: a steady yardstick beside the
 * wire phases, whose CPU per request swings with other work on a shared machine. Each step runs in many short
 * rounds, interleaved with the others, and keeps its best round (a round another process did not disturb).
 * @param plain - mutual-TLS AddVaccinations bodies; @param signed - WS-Security-signed ones (fresh timestamps)
 */
export function measureSoapPathSteps(plain: readonly Buffer[], signed: readonly Buffer[], rounds = 40): SoapPathSteps {
  const xsd = createXsdValidator(path.resolve(REPO_ROOT, '../shared/kmehr/schema'));
  const kmehr = plain.map((body) => {
    const read = readRegistratieRequest(body);
    if (!read.ok || read.request.operation !== 'AddVaccinations') throw new Error('the bench body is not an AddVaccinations request');
    return read.request.messages[0]!.kmehr;
  });
  const now = new Date();
  const steps: Record<string, (i: number) => unknown> = {
    'envelope read (mutual TLS)': (i) => readRegistratieRequest(plain[i]!),
    'envelope read + WS-Security verify (signed, one scan)': (i) => {
      const r = readSignedRegistratieRequest(signed[i]!, undefined, DEFAULT_XML_LIMITS, { now });
      if (!r.read.ok || r.signature?.ok !== true) throw new Error('a signed bench body did not read or verify');
    },
    'KMEHR XSD (libxml2, in memory)': (i) => xsd.validateBytes(kmehr[i]!),
    'KMEHR parse': (i) => parseKmehr(kmehr[i]!, DEFAULT_XML_LIMITS),
    'submitted-message check (screen + XSD + parse)': (i) => checkSubmittedMessage(kmehr[i]!, xsd, DEFAULT_XML_LIMITS),
  };
  const count = Math.min(plain.length, signed.length);
  const best: Record<string, number> = {};
  for (let r = 0; r < rounds; r++) {
    for (const [name, step] of Object.entries(steps)) {
      const start = process.cpuUsage();
      for (let i = 0; i < count; i++) step(i);
      const used = process.cpuUsage(start);
      best[name] = Math.min(best[name] ?? Infinity, (used.user + used.system) / count);
    }
  }
  // The same XSD step as the server sees it: between two validations a whole request's work has gone through the
  // core's 2 MB L2 cache. Here 2 MB of other memory is touched before each call (not timed), one call at a time and
  // then eight in a row, as the server's turn batching runs them (src/soap/registratie/turn-batch.ts).
  const junk = new Float64Array((2 * 1024 * 1024) / 8);
  const pollute = (): void => {
    for (let j = 0; j < junk.length; j += 8) junk[j]! += 1;
  };
  for (const k of [1, 8]) {
    const name = `KMEHR XSD after 2 MB of other memory traffic, ${k === 1 ? 'one at a time' : `${k} in a row`}`;
    for (let r = 0; r < rounds; r++) {
      let used = 0;
      let calls = 0;
      for (let i = 0; i + k <= count; i += k) {
        pollute();
        const start = process.cpuUsage();
        for (let j = i; j < i + k; j++) xsd.validateBytes(kmehr[j]!);
        const u = process.cpuUsage(start);
        used += u.user + u.system;
        calls += k;
      }
      best[name] = Math.min(best[name] ?? Infinity, used / calls);
    }
  }
  return {
    method: `in the load generator's process, ${count} bodies × ${rounds} interleaved rounds, best round; no HTTP, no store`,
    cpuMicrosPerCall: Object.fromEntries(Object.entries(best).map(([k, v]) => [k, Math.round(v * 10) / 10])),
  };
}
