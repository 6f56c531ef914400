import type { DeliveryRepository } from '../../store/delivery-repository.js';
import { parseResultSlice, type ResultEntry } from '../result-entries.js';

/** Every stored result of one delivery, in document order (tests: the answer reads them a slice at a time). */
export async function storedResults(repo: DeliveryRepository, deliveryId: string): Promise<ResultEntry[]> {
  const out: ResultEntry[] = [];
  for (let after = -1; ;) {
    const slice = await repo.resultSliceAfter(deliveryId, after);
    if (!slice) return out;
    out.push(...parseResultSlice(slice.results));
    after = Number(slice.first_ordinal);
  }
}
