import { Worker } from 'node:worker_threads';
import type { VaccineReference } from '../../kmehr/codelists/index.js';
import type { XmlLimits } from '../../kmehr/xml-limits.js';
import { compiledEntry } from '../../runtime/compiled-entry.js';
import { FindingError } from '../../status/finding.js';
import type { PlannedTransaction, PlanningJob, SliceConsumer } from '../slice-planner.js';
import { unpackSlice, type FromThread, type ToThread } from './protocol.js';

/** Idle planning threads, reused: starting one (loading the KMEHR reader and rules) costs a few hundred ms. */
const idle: Worker[] = [];

function acquire(): Worker {
  const reused = idle.pop();
  if (reused) return reused;
  // A bounded young generation: planning allocates fast and short-lived, and V8's default (16 MB semi-spaces) lets
  // dead objects count as resident memory (see docs/batch.md on the server's --max-semi-space-size). 32 MB, not 6:
  // with 6 the thread spent ~30 % of its time collecting (~18 % with 16, ~8 % with 32; a slice's transactions
  // outlived several scavenges and were promoted), and this thread bounds the batch's throughput.
  // No inherited `--import` preloads (agents, or tsx under a development run): the thread runs compiled JavaScript.
  const worker = new Worker(compiledEntry(import.meta.url, 'planner-thread-main.js'), {
    execArgv: [],
    resourceLimits: { maxYoungGenerationSizeMb: 32 },
  });
  // An idle thread must not keep the process alive.
  worker.unref();
  return worker;
}

/**
 * Plans a delivery's transactions on a planning thread (reading and rules), slice by slice, while `onSlice` stores
 * the slices planned before: the two halves of a delivery's processing run on two cores instead of one after the
 * other, and the server's event loop does not parse the delivery. Memory stays flat: the thread asks for the next
 * chunk only when it needs it and stays at most SLICES_AHEAD slices ahead of the caller.
 * @throws FindingError when the message is refused while reading it; Error when the thread fails
 */
export async function planInThread(
  source: AsyncIterable<Buffer>,
  job: PlanningJob,
  reference: VaccineReference,
  sliceSize: number,
  limits: XmlLimits,
  onSlice: SliceConsumer,
): Promise<void> {
  const worker = acquire();
  const post = (m: ToThread, transfer?: ArrayBuffer[]): void => worker.postMessage(m, transfer);
  const iterator = source[Symbol.asyncIterator]();
  const slices: PlannedTransaction[][] = [];
  let end: { error?: Error } | undefined;
  let wake: (() => void) | undefined;
  const notify = (): void => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const finish = (error?: Error): void => {
    end ??= error ? { error } : {};
    notify();
  };
  // The thread asks ahead (CHUNKS_AHEAD): asks that arrive after the end was sent get nothing, so no message of this
  // job can reach the thread once it is reused for the next one.
  let ended = false;
  const feed = async (): Promise<void> => {
    try {
      const chunk = await iterator.next();
      if (ended) return;
      if (chunk.done) {
        ended = true;
        return post({ type: 'end' });
      }
      // A copy the thread owns (transferred, not cloned): a chunk may be a view into a pooled buffer.
      const data = new Uint8Array(chunk.value);
      post({ type: 'chunk', data }, [data.buffer as ArrayBuffer]);
    } catch (error) {
      finish(error instanceof Error ? error : new Error(String(error)));
    }
  };
  const onMessage = (m: FromThread): void => {
    if (m.type === 'need') void feed();
    else if (m.type === 'slice') {
      slices.push(unpackSlice(m.slice));
      notify();
    } else if (m.type === 'done') finish();
    else if (m.type === 'refused') finish(new FindingError(m.finding));
    else finish(new Error(`batch planning thread failed: ${m.message}`));
  };
  const onError = (error: Error): void => finish(error);
  const onExit = (code: number): void => finish(new Error(`batch planning thread exited (code ${code})`));
  worker.on('message', onMessage);
  worker.on('error', onError);
  worker.on('exit', onExit);
  worker.ref();
  let clean = false;
  try {
    post({ type: 'start', job, products: reference.products, covidAtcCodes: [...reference.covidAtcCodes], sliceSize, limits });
    for (;;) {
      while (slices.length === 0 && !end) await new Promise<void>((resolve) => (wake = resolve));
      const slice = slices.shift();
      if (slice) {
        await onSlice(slice);
        if (!end) post({ type: 'credit' });
        continue;
      }
      if (end?.error) throw end.error;
      clean = true;
      return;
    }
  } finally {
    worker.off('message', onMessage);
    worker.off('error', onError);
    worker.off('exit', onExit);
    worker.unref();
    // A thread left mid-job (the caller stopped early, or it failed) holds that job's state: never reuse it.
    if (clean) idle.push(worker);
    else void worker.terminate();
    if (!clean) await iterator.return?.();
  }
}
