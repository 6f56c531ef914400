import type { VaccineProduct } from '../../kmehr/codelists/index.js';
import type { XmlLimits } from '../../kmehr/xml-limits.js';
import type { Finding } from '../../status/finding.js';
import type { PlannedTransaction, PlanningJob } from '../slice-planner.js';

/**
 * Messages between a batch processor and its planning thread. The processor feeds the stored message chunk by
 * chunk as the thread asks for it ('need'); the thread answers with planned slices and waits for a 'credit' once
 * SLICES_AHEAD slices are unanswered, so neither side's memory grows with the delivery.
 */
/**
 * Slices sent and not yet stored at which the thread stops planning: 2 = the slice being stored and the next one,
 * planned meanwhile. With 1 the thread waited while each slice was stored and the processor while each was planned:
 * the two threads took turns instead of running at once (each ~50 % busy).
 */
export const SLICES_AHEAD = 2;

/**
 * Chunks (64 KiB pieces) the thread keeps asked for ahead of its reading, ~2 slices' worth: enough to plan the next
 * slice while the processor stores one, without waiting for it to answer 'need' in between.
 */
export const CHUNKS_AHEAD = 8;

export interface StartJob {
  readonly type: 'start';
  readonly job: PlanningJob;
  /** The registry's vaccine table, rebuilt in the thread (a table is plain data; its indexes are not sent). */
  readonly products: readonly VaccineProduct[];
  readonly covidAtcCodes: readonly string[];
  readonly sliceSize: number;
  readonly limits: XmlLimits;
}

export type ToThread =
  | StartJob
  | { readonly type: 'chunk'; readonly data: Uint8Array }
  | { readonly type: 'end' }
  | { readonly type: 'credit' };

export type FromThread =
  | { readonly type: 'need' }
  /**
   * One slice of planned transactions, structured-cloned. Not as one JSON string: a slice's text (~750 KB) is a
   * large object, which V8 allocates straight into the old generation — 400 of them per 100 000 vaccinations grew
   * the heap by ~70 MB between major collections and pushed the server's RSS past 300 MB.
   */
  | { readonly type: 'slice'; readonly slice: PlannedTransaction[] }
  | { readonly type: 'done' }
  /** The message itself was refused while reading it (size, well-formedness, missing field…). */
  | { readonly type: 'refused'; readonly finding: Finding }
  | { readonly type: 'failed'; readonly message: string };
