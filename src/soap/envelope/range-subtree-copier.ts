import type { SaxesTagNS } from 'saxes';
import type { XmlSourceWindow } from '../../wssec/xml-events.js';
import { standaloneStartTag, type SubtreeCopier } from './subtree-copier.js';

/**
 * The tokenizer's copier (issue 12 §2): passes the inline `kmehr:kmehrmessage` on as a standalone document by source
 * ranges of the one scan — {@link standaloneStartTag}, then the submitted text from the end of the root's start tag
 * to the `<` of its end tag, exactly as sent (entities, CDATA, comments, line ends), then the end tag. It holds no
 * text of its own: after each chunk it passes on what the tokenizer has scanned (all of it inside the subtree, since
 * the root has not closed), read from the tokenizer's buffer before the next write drops it. So memory does not
 * depend on the message's size, and the end tag is found by the tokenizer, not searched for.
 */
export class RangeSubtreeCopier implements SubtreeCopier {
  readonly #emit: (piece: string) => void;
  readonly #window: XmlSourceWindow;
  #active = false;
  /** Where the text not yet passed on starts (an offset of the window). */
  #from = 0;

  constructor(window: XmlSourceWindow, emit: (piece: string) => void) {
    this.#window = window;
    this.#emit = emit;
  }

  start(tag: SaxesTagNS, inherited: ReadonlyMap<string, string>): void {
    const window = this.#window;
    const attributes = attributesInSourceOrder(window.source(window.offset, window.tagEnd), tag);
    this.#emit(standaloneStartTag(tag.name, inherited, tag.ns ?? {}, attributes, tag.isSelfClosing));
    if (tag.isSelfClosing) return;
    this.#active = true;
    this.#from = window.tagEnd;
  }

  end(tag: SaxesTagNS): void {
    if (!this.#active) return;
    this.#emit(this.#window.source(this.#from, this.#window.offset) + `</${tag.name}>`);
    this.#active = false;
  }

  flush(): void {
    if (!this.#active) return;
    const to = this.#window.scanned;
    if (to <= this.#from) return;
    this.#emit(this.#window.source(this.#from, to));
    this.#from = to;
  }
}

/**
 * The root's namespace declarations and attributes as [qualified name, decoded value], in the order of the submitted
 * start tag (saxes's order, so both copiers write the same bytes). The tokenizer has checked the tag: names are
 * followed by `=` and a quoted value.
 */
function attributesInSourceOrder(startTag: string, tag: SaxesTagNS): [string, string][] {
  const out: [string, string][] = [];
  const own = tag.ns ?? {};
  let i = 1 + tag.name.length;
  for (;;) {
    while (/\s/.test(startTag[i] ?? '')) i++;
    const eq = startTag.indexOf('=', i);
    if (eq === -1) return out;
    const qname = startTag.slice(i, eq).trim();
    const q = startTag.slice(eq + 1).search(/["']/) + eq + 1;
    i = startTag.indexOf(startTag[q]!, q + 1) + 1;
    if (qname === 'xmlns') out.push([qname, own[''] ?? '']);
    else if (qname.startsWith('xmlns:')) out.push([qname, own[qname.slice(6)] ?? '']);
    else out.push([qname, tag.attributes[qname]?.value ?? '']);
  }
}
