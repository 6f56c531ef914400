import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT } from './repo-root.js';

interface ProfileNode {
  readonly id: number;
  readonly children?: readonly number[];
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface SelfTime {
  readonly name: string;
  readonly ms: number;
  /** Share of the busy (non-idle) time, %. */
  readonly pct: number;
}

export interface CpuProfileSummary {
  /** Sampled time the thread was busy (JS, native, GC, "program"), ms. */
  readonly busyMs: number;
  readonly idleMs: number;
  readonly garbageCollectorPct: number;
  /**
   * Self time per source area: `src/<folder>`, an npm package, `node:<module>`, `(program)`, `(gc)`. Native code
   * (SQLite, libxml2, OpenSSL, socket writes) counts for the area of the JavaScript that called it.
   */
  readonly byArea: readonly SelfTime[];
  readonly byFile: readonly SelfTime[];
  /** Top functions by self time, as `name (file:line)`; native ones as `name [native] (calling file)`. */
  readonly topFunctions: readonly SelfTime[];
}

const SPECIAL: Readonly<Record<string, string>> = {
  '(garbage collector)': '(gc)',
  '(program)': '(program)',
  '(idle)': '(idle)',
  '(root)': '(program)',
};

/** Where a call frame's code lives, relative to the repository; npm packages by package name. */
function fileOf(frame: ProfileNode['callFrame']): string {
  const special = SPECIAL[frame.functionName];
  if (special && frame.url === '') return special;
  if (frame.url === '') return '(native)';
  const file = frame.url.startsWith('file://') ? fileURLToPath(frame.url) : frame.url;
  const modules = file.lastIndexOf('/node_modules/');
  if (modules >= 0) return file.slice(modules + 1);
  return path.isAbsolute(file) ? path.relative(REPO_ROOT, file) : file;
}

function areaOf(file: string): string {
  if (file.startsWith('node_modules/')) {
    const parts = file.split('/');
    return parts[1]?.startsWith('@') ? `${parts[1]}/${parts[2]}` : (parts[1] ?? file);
  }
  if (file.startsWith('node:')) return file.split('/').slice(0, 2).join('/');
  if (file.startsWith('src/') || file.startsWith('bench/'))
    return file
      .split('/')
      .slice(0, file.startsWith('src/soap/') ? 3 : 2)
      .join('/');
  return file;
}

function top(map: ReadonlyMap<string, number>, busy: number, n: number): SelfTime[] {
  return [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([name, us]) => ({ name, ms: Math.round(us / 100) / 10, pct: Math.round((us / busy) * 1000) / 10 }));
}

/**
 * Self time by area, file and function of a `.cpuprofile` (V8/DevTools format): each sample's time (the delta to
 * the next sample, as DevTools counts it) goes to the function on top of the stack.
 * @param file - a `.cpuprofile` written by `--cpu-prof` or the inspector's `Profiler.stop`
 */
export function summarizeCpuProfile(file: string, topN = 15): CpuProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  // A native frame (no script) is charged to the nearest JavaScript caller's file.
  const callerFile = (node: ProfileNode): string => {
    for (let p = parent.get(node.id); p !== undefined; p = parent.get(p)) {
      const frame = byId.get(p)!.callFrame;
      if (frame.url !== '') return fileOf(frame);
    }
    return '(native)';
  };
  const fileUs = new Map<string, number>();
  const areaUs = new Map<string, number>();
  const functionUs = new Map<string, number>();
  let idle = 0;
  let busy = 0;
  let gc = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const us = profile.timeDeltas[i + 1] ?? 0;
    const node = byId.get(profile.samples[i]!);
    if (!node || us <= 0) continue;
    const own = fileOf(node.callFrame);
    const native = own === '(native)';
    const where = native ? callerFile(node) : own;
    if (own === '(idle)') {
      idle += us;
      continue;
    }
    busy += us;
    if (own === '(gc)') gc += us;
    fileUs.set(where, (fileUs.get(where) ?? 0) + us);
    const area = areaOf(where);
    areaUs.set(area, (areaUs.get(area) ?? 0) + us);
    const name = node.callFrame.functionName || '(anonymous)';
    // tsx compiles src/*.ts on the fly: line numbers there are the compiled code's, so only the name is shown.
    const line = where.endsWith('.ts') ? '' : `:${node.callFrame.lineNumber + 1}`;
    const fn = native ? `${name} [native] (${where})` : own.startsWith('(') ? own : `${name} (${where}${line})`;
    functionUs.set(fn, (functionUs.get(fn) ?? 0) + us);
  }
  return {
    busyMs: Math.round(busy / 1000),
    idleMs: Math.round(idle / 1000),
    garbageCollectorPct: busy ? Math.round((gc / busy) * 1000) / 10 : 0,
    byArea: top(areaUs, busy, topN),
    byFile: top(fileUs, busy, topN),
    topFunctions: top(functionUs, busy, topN),
  };
}
