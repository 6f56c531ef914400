import type { SaxesAttributeNS, SaxesTagNS } from 'saxes';
import type { C14nElement } from '../../wssec/exc-c14n.js';

/**
 * The tokenizer's element as saxes would report it, so the envelope walker and the body handlers read both the same
 * way (namespace declarations are not attributes here; the handlers skip them anyway). `isSelfClosing` only when the
 * reader knows it (the BatchUpload copier needs it; the RegistratieService reader does not).
 */
export function saxesTagOf(el: C14nElement, isSelfClosing = false): SaxesTagNS {
  const attributes: Record<string, SaxesAttributeNS> = {};
  for (const a of el.attributes) attributes[a.name] = { name: a.name, prefix: a.prefix, local: a.local, uri: a.uri, value: a.value };
  return { name: el.name, prefix: el.prefix, local: el.local, uri: el.uri, attributes, ns: { ...el.ns }, isSelfClosing };
}
