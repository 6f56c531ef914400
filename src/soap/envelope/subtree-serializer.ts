import type { SaxesTagNS } from 'saxes';
import { escapeAttr, escapeText } from './xml-escape.js';

/**
 * Re-serialises an element subtree from SAX events as a standalone document: names and prefixes as submitted,
 * entities and CDATA turned into escaped text, comments and processing instructions dropped, and the namespace
 * declarations inherited from the SOAP envelope added to the root so the subtree means the same on its own.
 * Output goes to `emit` piece by piece, so a 120 MB message never has to be held in memory.
 */
export class SubtreeSerializer {
  readonly #emit: (piece: string) => void;
  #pendingSelfClose = false;

  constructor(emit: (piece: string) => void) {
    this.#emit = emit;
    this.#emit('<?xml version="1.0" encoding="UTF-8"?>\n');
  }

  /** @param inherited - bindings in scope from ancestors; only given for the subtree's root */
  open(tag: SaxesTagNS, inherited?: ReadonlyMap<string, string>): void {
    let s = `<${tag.name}`;
    if (inherited !== undefined) {
      const own = tag.ns ?? {};
      for (const [prefix, uri] of inherited) {
        if (Object.hasOwn(own, prefix)) continue;
        if (prefix === '' && uri === '') continue;
        s += prefix === '' ? ` xmlns="${escapeAttr(uri)}"` : ` xmlns:${prefix}="${escapeAttr(uri)}"`;
      }
    }
    for (const attr of Object.values(tag.attributes)) s += ` ${attr.name}="${escapeAttr(attr.value)}"`;
    this.#pendingSelfClose = tag.isSelfClosing;
    this.#emit(tag.isSelfClosing ? `${s}/>` : `${s}>`);
  }

  text(text: string): void {
    this.#emit(escapeText(text));
  }

  close(tag: SaxesTagNS): void {
    if (this.#pendingSelfClose) {
      this.#pendingSelfClose = false;
      return;
    }
    this.#emit(`</${tag.name}>`);
  }
}
