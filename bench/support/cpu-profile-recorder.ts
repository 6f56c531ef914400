import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

/** A running V8 CPU profile of this process. */
export interface CpuProfileRecorder {
  /** Stops the profile, writes it as a `.cpuprofile` (Chrome DevTools format) and returns the CPU ms used meanwhile. */
  stop(file: string): Promise<number>;
}

function post<T>(session: Session, method: string, params?: object): Promise<T> {
  return new Promise((resolve, reject) => {
    session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result as T)));
  });
}

/**
 * Starts profiling this process through the inspector, the same profiler `node --cpu-prof` uses, but started and
 * stopped on command so each bench phase gets its own profile (`--cpu-prof` covers the whole process life).
 * @param samplingIntervalUs - V8's sampling interval (its default is 1000 µs)
 */
export async function startCpuProfile(samplingIntervalUs = 500): Promise<CpuProfileRecorder> {
  const session = new Session();
  session.connect();
  await post(session, 'Profiler.enable');
  await post(session, 'Profiler.setSamplingInterval', { interval: samplingIntervalUs });
  await post(session, 'Profiler.start');
  const cpu = process.cpuUsage();
  return {
    async stop(file) {
      const { profile } = await post<{ profile: object }>(session, 'Profiler.stop');
      const used = process.cpuUsage(cpu);
      session.disconnect();
      writeFileSync(file, JSON.stringify(profile));
      return Math.round((used.user + used.system) / 1000);
    },
  };
}
