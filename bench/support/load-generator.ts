import https from 'node:https';

export interface Target {
  readonly agent: https.Agent;
  /** Full URL of the endpoint. */
  readonly url: URL;
  readonly soapAction: string;
  /** Classifies an answer (e.g. its call-level status code); counted per phase. */
  readonly classify: (status: number, body: string) => string;
}

export interface PhaseResult {
  readonly requests: number;
  readonly seconds: number;
  readonly perSecond: number;
  /** Latency percentiles in ms. */
  readonly latencyMs: { readonly p50: number; readonly p90: number; readonly p99: number; readonly max: number };
  /** Answers per class (`OK`, a status code, `http-500`, `error: …`). */
  readonly outcomes: Readonly<Record<string, number>>;
}

/** One POST; resolves with the status and body (never rejects: a transport error is an outcome). */
function post(target: Target, body: Buffer): Promise<{ status: number; text: string }> {
  return new Promise((resolve) => {
    const req = https.request(
      target.url,
      {
        method: 'POST',
        agent: target.agent,
        headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: `"${target.soapAction}"`, 'content-length': body.length },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', (e) => resolve({ status: -1, text: e.message }));
      },
    );
    req.on('error', (e) => resolve({ status: -1, text: e.message }));
    req.end(body);
  });
}

const round = (x: number, d = 2): number => Math.round(x * 10 ** d) / 10 ** d;

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function result(latencies: number[], seconds: number, outcomes: Map<string, number>): PhaseResult {
  const sorted = Float64Array.from(latencies).sort();
  return {
    requests: latencies.length,
    seconds: round(seconds),
    perSecond: round(latencies.length / seconds, 1),
    latencyMs: {
      p50: round(percentile(sorted, 50)),
      p90: round(percentile(sorted, 90)),
      p99: round(percentile(sorted, 99)),
      max: round(sorted[sorted.length - 1] ?? Number.NaN),
    },
    outcomes: Object.fromEntries(outcomes),
  };
}

function count(outcomes: Map<string, number>, target: Target, status: number, text: string): void {
  const key = status === -1 ? `error: ${text}` : target.classify(status, text);
  outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
}

/**
 * Closed loop: `concurrency` requests in flight, each sender posting the next unused body as soon as its answer
 * arrives, until the bodies run out or `maxSeconds` passed. Every body is posted at most once.
 */
export async function closedLoop(target: Target, bodies: readonly Buffer[], concurrency: number, maxSeconds: number): Promise<PhaseResult> {
  const latencies: number[] = [];
  const outcomes = new Map<string, number>();
  let next = 0;
  const start = performance.now();
  const deadline = start + maxSeconds * 1000;
  const sender = async (): Promise<void> => {
    while (next < bodies.length && performance.now() < deadline) {
      const body = bodies[next++]!;
      const t0 = performance.now();
      const { status, text } = await post(target, body);
      latencies.push(performance.now() - t0);
      count(outcomes, target, status, text);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, sender));
  return result(latencies, (performance.now() - start) / 1000, outcomes);
}

/**
 * Open loop at a fixed rate: request i is due at start + i / rate and is sent then, whatever the earlier ones are
 * doing (up to the agent's socket limit). Latency is counted from the moment it was due, so a stalled server shows
 * up in the percentiles instead of quietly lowering the rate (no coordinated omission).
 */
export async function fixedRate(
  target: Target,
  bodies: readonly Buffer[],
  rate: number,
  seconds: number,
): Promise<PhaseResult & { readonly targetRate: number }> {
  const total = Math.min(bodies.length, Math.round(rate * seconds));
  const latencies: number[] = [];
  const outcomes = new Map<string, number>();
  const inFlight: Promise<void>[] = [];
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    inFlight.push(
      post(target, bodies[i]!).then(({ status, text }) => {
        latencies.push(performance.now() - due);
        count(outcomes, target, status, text);
      }),
    );
  }
  await Promise.all(inFlight);
  return { ...result(latencies, (performance.now() - start) / 1000, outcomes), targetRate: rate };
}
