const DATE_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)$/;

export type TimestampCheck = { readonly ok: true; readonly created: Date; readonly expires?: Date } | { readonly ok: false; readonly detail: string };

function parseDateTime(value: string): Date | undefined {
  if (!DATE_TIME.test(value)) return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : new Date(t);
}

/**
 * The freshness window of a wsu:Timestamp: Created may be at most `maxClockSkewSeconds` in the future and at most
 * `maxAgeSeconds` (+ skew) in the past; Expires, when present, must follow Created and not have passed (− skew).
 */
export function checkTimestamp(
  createdText: string | undefined,
  expiresText: string | undefined,
  now: Date,
  maxClockSkewSeconds: number,
  maxAgeSeconds: number,
): TimestampCheck {
  if (createdText === undefined) return { ok: false, detail: 'the Timestamp has no wsu:Created' };
  const created = parseDateTime(createdText.trim());
  if (created === undefined) return { ok: false, detail: `Created "${createdText}" is not an xsd:dateTime` };
  const skew = maxClockSkewSeconds * 1000;
  const t = now.getTime();
  if (created.getTime() > t + skew) return { ok: false, detail: `Created ${createdText} is in the future` };
  if (t - created.getTime() > maxAgeSeconds * 1000 + skew) {
    return { ok: false, detail: `Created ${createdText} is older than ${maxAgeSeconds} s` };
  }
  if (expiresText === undefined) return { ok: true, created };
  const expires = parseDateTime(expiresText.trim());
  if (expires === undefined) return { ok: false, detail: `Expires "${expiresText}" is not an xsd:dateTime` };
  if (expires.getTime() <= created.getTime()) return { ok: false, detail: 'Expires is not after Created' };
  if (t > expires.getTime() + skew) return { ok: false, detail: `the Timestamp expired at ${expiresText}` };
  return { ok: true, created, expires };
}
