import { bound as clip } from '../status/echo.js';
import type { NewVaccination } from './vaccination.js';

/**
 * The sender ids a dose's idempotency key was made of (`senderKey`), in the sender's words, for SENDER_IDS_REUSED:
 * the transaction's LOCAL id when it had one, else the message's KMEHR id with the folder and transaction positions.
 * Each id is cut at 64 characters (an answer never grows with what was sent).
 * @param f - 0-based folder position, @param t - 0-based transaction position (those of the key, by construction)
 * @example describeSenderIds(v, 0, 0) // 'header/id[@S=ID-KMEHR] "71000436.20240310" folder 1 transaction 1'
 */
export function describeSenderIds(v: Pick<NewVaccination, 'senderKey' | 'senderMessageId' | 'senderLocalId'>, f: number, t: number): string {
  if (v.senderKey.startsWith('local:')) return `transaction/id[@S=LOCAL] "${clip(v.senderLocalId ?? '')}"`;
  return `header/id[@S=ID-KMEHR] "${clip(v.senderMessageId ?? '')}" folder ${f + 1} transaction ${t + 1}`;
}
