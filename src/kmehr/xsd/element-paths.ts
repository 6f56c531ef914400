import { SaxesParser } from 'saxes';

/** Where libxml2 reported an error, and the element its message names (local name), when it names one. */
export interface ErrorPosition {
  readonly line: number;
  readonly column: number;
  readonly element?: string;
}

// Repeated KMEHR elements that `locate` in model.ts always indexes; other steps get `[n]` only when they have
// same-named siblings, so XSD locations read like the rule engine's (`/kmehrmessage/folder[1]/transaction[1]/…`).
const ALWAYS_INDEXED = new Set(['folder', 'transaction', 'item']);

// libxml2 reports a start-tag error just after the start tag and an end-tag error (missing child, bad simple
// value) just after the end tag, one column off from saxes' count either way; a small slack absorbs that.
const SLACK = 2;

interface Frame {
  readonly name: string;
  readonly local: string;
  readonly index: number;
  readonly parent: Frame | undefined;
  readonly counts: Map<string, number>;
  readonly line: number;
  readonly column: number;
}

function notAfter(line: number, column: number, refLine: number, refColumn: number): boolean {
  return line < refLine || (line === refLine && column <= refColumn + SLACK);
}

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

function pathOf(frame: Frame): string {
  const steps: string[] = [];
  for (let f: Frame | undefined = frame; f !== undefined; f = f.parent) {
    const siblings = f.parent?.counts.get(f.name) ?? 1;
    steps.push(f.parent === undefined || (!ALWAYS_INDEXED.has(f.local) && siblings === 1) ? f.name : `${f.name}[${f.index}]`);
  }
  return `/${steps.reverse().join('/')}`;
}

/**
 * Turns libxml2 error positions into XPath locations (`/kmehrmessage/folder[2]/transaction[1]/item[1]/text`) by
 * reading the same document again with saxes: an error belongs to the innermost element with the named local name
 * whose start tag … end tag span contains the position. Only run when there are errors, so valid documents never
 * pay for it. Best effort: positions it cannot place come back as undefined (the finding keeps line and column).
 */
export function resolveElementPaths(chunks: Iterable<string>, positions: readonly ErrorPosition[]): (string | undefined)[] {
  const frames: (Frame | undefined)[] = positions.map(() => undefined);
  if (positions.length === 0) return [];
  const parser = new SaxesParser({ position: true });
  let current: Frame | undefined;
  parser.on('opentag', (tag) => {
    const counts = current?.counts;
    const index = (counts?.get(tag.name) ?? 0) + 1;
    counts?.set(tag.name, index);
    current = {
      name: tag.name,
      local: localName(tag.name),
      index,
      parent: current,
      counts: new Map(),
      // saxes reports the open tag just after its `>`, which is where libxml2 reports start-tag errors.
      line: parser.line,
      column: parser.column,
    };
  });
  parser.on('closetag', () => {
    const frame = current;
    if (frame === undefined) return;
    for (let i = 0; i < positions.length; i++) {
      if (frames[i] !== undefined) continue;
      const p = positions[i]!;
      if (p.element !== undefined && p.element !== frame.local) continue;
      // Innermost first: descendants close before their ancestors, so the first containing element wins.
      // xmllint's text gives no column (0): then the element's span need only contain the line.
      const startColumn = p.column > 0 ? p.column : Number.MAX_SAFE_INTEGER;
      if (notAfter(frame.line, frame.column, p.line, startColumn) && notAfter(p.line, p.column, parser.line, parser.column)) {
        frames[i] = frame;
      }
    }
    current = frame.parent;
  });
  try {
    for (const chunk of chunks) parser.write(chunk);
    parser.close();
  } catch {
    // Not well-formed after all (or a saxes limit): keep what was placed so far.
  }
  return frames.map((f) => (f === undefined ? undefined : pathOf(f)));
}
