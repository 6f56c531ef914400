import type { SaxesTagNS } from 'saxes';
import type { EnvelopeWalker } from './envelope-walker.js';
import { escapeAttribute } from '../../kmehr/xml-escape.js';

/** Longest end tag of the subtree root we can cut out of held text (whitespace before `>` included). */
const HOLD = 4096;

/**
 * Passes an element subtree on as a standalone document without re-serialising it: an XML declaration, the root's
 * start tag rebuilt with the namespace declarations inherited from the SOAP envelope added (so the subtree means the
 * same on its own), then the submitted text between the root's start and end tags copied as it is — entities, CDATA,
 * comments and all. saxes still parses every character (well-formedness, depth), but nothing is rebuilt per event,
 * which doubled the throughput of re-serialisation here. Output goes to `emit` piece by piece; at most one chunk
 * plus {@link HOLD} characters are held, so a 120 MB message never sits in memory.
 */
export class RawSubtreeCopier {
  readonly #emit: (piece: string) => void;
  #active = false;
  #held = '';
  #heldStart = 0;

  constructor(emit: (piece: string) => void) {
    this.#emit = emit;
  }

  /** At the subtree root's `opentag` event. */
  start(tag: SaxesTagNS, inherited: ReadonlyMap<string, string>, w: EnvelopeWalker): void {
    let s = `<?xml version="1.0" encoding="UTF-8"?>\n<${tag.name}`;
    const own = tag.ns ?? {};
    for (const [prefix, uri] of inherited) {
      if (Object.hasOwn(own, prefix) || (prefix === '' && uri === '')) continue;
      s += prefix === '' ? ` xmlns="${escapeAttribute(uri)}"` : ` xmlns:${prefix}="${escapeAttribute(uri)}"`;
    }
    for (const attr of Object.values(tag.attributes)) s += ` ${attr.name}="${escapeAttribute(attr.value)}"`;
    this.#emit(tag.isSelfClosing ? `${s}/>` : `${s}>`);
    if (tag.isSelfClosing) return;
    this.#active = true;
    this.#heldStart = w.position;
    this.#held = w.currentChunk.slice(w.position - w.chunkStart);
  }

  /** Every chunk fed to the parser after the start (wired to `EnvelopeWalker.onChunk`). */
  chunk(chunk: string): void {
    if (this.#active) this.#held += chunk;
  }

  /** At the subtree root's `closetag` event: everything before the end tag, then the end tag. */
  end(tag: SaxesTagNS, w: EnvelopeWalker): void {
    if (!this.#active) return;
    const endTagEnd = w.position - this.#heldStart;
    // The end tag ends at endTagEnd; start the search before it (the next end tag may begin right there).
    const endTagStart = this.#held.lastIndexOf('</', endTagEnd - 3);
    if (endTagStart < 0) w.contract(w.operationPath, `the end tag of ${tag.name} is too long`);
    this.#emit(this.#held.slice(0, endTagStart) + `</${tag.name}>`);
    this.#active = false;
    this.#held = '';
  }

  /** After each chunk was parsed: pass on all but the last {@link HOLD} characters (the end tag may be in them). */
  flush(): void {
    if (!this.#active || this.#held.length <= 2 * HOLD) return;
    const cut = this.#held.length - HOLD;
    this.#emit(this.#held.slice(0, cut));
    this.#held = this.#held.slice(cut);
    this.#heldStart += cut;
  }
}
