/**
 * An instant as a KMEHR `date` + `time` pair that loses nothing: the local date and time in the registry's zone
 * (what a reader expects to see, as in the Vitalink read-backs) with the UTC offset on the `xs:time`
 * (`16:24:30+02:00`, milliseconds only when not zero), so reading it back gives the very instant — also in the hour
 * that repeats when summer time ends, where a bare local time would be ambiguous.
 */
export interface KmehrMoment {
  /** YYYY-MM-DD in the zone. */
  readonly date: string;
  /** hh:mm:ss[.sss]±hh:mm (or Z) — an `xs:time` with its offset. */
  readonly time: string;
}

const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'longOffset',
    });
    formats.set(timeZone, f);
  }
  return f;
}

/**
 * @param instant - an ISO-8601 instant (e.g. a stored `registeredAt`)
 * @param timeZone - IANA zone, e.g. Europe/Brussels
 * @throws RangeError when the instant is not a valid date
 */
export function zonedMoment(instant: string, timeZone: string): KmehrMoment {
  const d = new Date(instant);
  if (Number.isNaN(d.getTime())) throw new RangeError(`not an instant: ${instant}`);
  const parts: Record<string, string> = {};
  for (const p of formatFor(timeZone).formatToParts(d)) parts[p.type] = p.value;
  // "GMT+02:00", or "GMT" alone for a zero offset.
  const offset = (parts.timeZoneName ?? 'GMT').slice(3) || 'Z';
  const ms = d.getUTCMilliseconds();
  const fraction = ms === 0 ? '' : `.${String(ms).padStart(3, '0')}`;
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}:${parts.second}${fraction}${offset}` };
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME_WITH_OFFSET = /^\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?(?:Z|[+-]\d{2}:\d{2})$/;

/** The ISO-8601 UTC instant of a date + time pair written by {@link zonedMoment}; undefined when the time has no offset. */
export function instantOf(date: string, time: string): string | undefined {
  if (!DATE.test(date) || !TIME_WITH_OFFSET.test(time)) return undefined;
  const d = new Date(`${date}T${time}`);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}
