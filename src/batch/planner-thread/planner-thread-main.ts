import { parentPort } from 'node:worker_threads';
import { TableVaccineReference } from '../../kmehr/codelists/index.js';
import { streamKmehr } from '../../kmehr/stream-kmehr.js';
import { FindingError } from '../../status/finding.js';
import { SlicePlanner, type PlannedTransaction } from '../slice-planner.js';
import { CHUNKS_AHEAD, packSlice, SLICES_AHEAD, type FromThread, type StartJob, type ToThread } from './protocol.js';

/**
 * A batch planning thread: reads one delivery at a time (streamKmehr) and plans its transactions (SlicePlanner) while
 * the processor's thread stores the slices planned before. See planner-client.ts for the other side.
 */
const port = parentPort!;
const post = (message: FromThread): void => port.postMessage(message);

/** Chunks (and the end) of the running job's message, in order; credits are only counted (they come any time). */
const inbox: ToThread[] = [];
let credits = 0;
let wake: (() => void) | undefined;

const waitForMessage = (): Promise<void> => new Promise<void>((resolve) => (wake = resolve));

async function next(): Promise<ToThread> {
  while (inbox.length === 0) await waitForMessage();
  return inbox.shift()!;
}

/** Reference tables by content: the same registry sends the same table for every delivery. */
let lastTable: { key: string; reference: TableVaccineReference } | undefined;

function referenceOf(start: StartJob): TableVaccineReference {
  const key = JSON.stringify([start.products, start.covidAtcCodes]);
  if (lastTable?.key !== key) lastTable = { key, reference: new TableVaccineReference(start.products, { covidAtcCodes: start.covidAtcCodes }) };
  return lastTable.reference;
}

async function* chunks(): AsyncGenerator<Buffer> {
  // CHUNKS_AHEAD asked for before the first is needed, then one more per chunk taken: the processor answers only
  // between two slices it stores (a slice's statements run without yielding), so a thread that asked one chunk at a
  // time waited for every slice to be stored before it could read on.
  for (let i = 1; i < CHUNKS_AHEAD; i++) post({ type: 'need' });
  for (;;) {
    post({ type: 'need' });
    const m = await next();
    if (m.type === 'end') return;
    if (m.type !== 'chunk') throw new Error(`planning thread: unexpected ${m.type} while reading`);
    yield Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength);
  }
}

async function run(start: StartJob): Promise<void> {
  const planner = new SlicePlanner(start.job, referenceOf(start));
  let slice: PlannedTransaction[] = [];
  let unanswered = 0;
  const send = async (): Promise<void> => {
    post({ type: 'slice', slice: packSlice(slice) });
    slice = [];
    unanswered += 1;
    while (unanswered - credits >= SLICES_AHEAD) await waitForMessage();
  };
  try {
    await streamKmehr(
      chunks(),
      {
        header: (h) => planner.header(h),
        folder: async (folder, f) => {
          for (const p of planner.folder(folder, f)) slice.push(p);
          if (slice.length >= start.sliceSize) await send();
        },
      },
      start.limits,
    );
    if (slice.length > 0) post({ type: 'slice', slice: packSlice(slice) });
    post({ type: 'done' });
  } catch (error) {
    if (error instanceof FindingError) post({ type: 'refused', finding: error.finding });
    else post({ type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
}

port.on('message', (m: ToThread) => {
  if (m.type === 'start') {
    // Whatever the previous job left (a credit sent while it was finishing) belongs to no job.
    inbox.length = 0;
    credits = 0;
    void run(m);
    return;
  }
  if (m.type === 'credit') credits += 1;
  else inbox.push(m);
  const w = wake;
  wake = undefined;
  w?.();
});
