import type { SaxesTagNS } from 'saxes';
import type { EnvelopeWalker } from './envelope-walker.js';
import { standaloneStartTag, type SubtreeCopier } from './subtree-copier.js';

/** Longest end tag of the subtree root we can cut out of held text (whitespace before `>` included). */
const HOLD = 4096;

/**
 * The copier for bodies saxes reads (a BOM, UTF-16, another declared encoding; see scanner-readable.ts), and the
 * reference of the differential tests: passes an element subtree on as a standalone document without re-serialising
 * it — {@link standaloneStartTag}, then the submitted text between the root's start and end tags copied as it is
 * (entities, CDATA, comments and all). saxes gives no source ranges, so the text is held from the chunks it is fed:
 * at most one chunk plus {@link HOLD} characters, so a 120 MB message never sits in memory.
 */
export class RawSubtreeCopier implements SubtreeCopier {
  readonly #emit: (piece: string) => void;
  #active = false;
  #held = '';
  #heldStart = 0;

  constructor(emit: (piece: string) => void) {
    this.#emit = emit;
  }

  /** At the subtree root's `opentag` event. */
  start(tag: SaxesTagNS, inherited: ReadonlyMap<string, string>, w: EnvelopeWalker): void {
    // saxes lists the root's own namespace declarations among its attributes, in source order.
    const attributes = Object.values(tag.attributes).map((a) => [a.name, a.value] as const);
    this.#emit(standaloneStartTag(tag.name, inherited, tag.ns ?? {}, attributes, tag.isSelfClosing));
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
