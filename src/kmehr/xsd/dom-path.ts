import { XmlElement, type XmlDocument } from 'libxml2-wasm';

// Repeated KMEHR elements that `locate` in model.ts always indexes; other steps get `[n]` only when they have
// same-named siblings, so XSD locations read like the rule engine's (`/kmehrmessage/folder[1]/transaction[1]/…`).
// (The same rule as element-paths.ts, which places errors found in a file stream.)
const ALWAYS_INDEXED = new Set(['folder', 'transaction', 'item']);

function qualified(e: XmlElement): string {
  return e.prefix ? `${e.prefix}:${e.name}` : e.name;
}

/** Position among same-named element siblings (1-based) and how many there are (wrappers have no identity: count both ways). */
function siblingIndex(e: XmlElement): { index: number; count: number } {
  const name = qualified(e);
  const same = (n: unknown): boolean => n instanceof XmlElement && qualified(n) === name;
  let index = 1;
  for (let n = e.prev; n !== null; n = n.prev) if (same(n)) index++;
  let count = index;
  for (let n = e.next; n !== null; n = n.next) if (same(n)) count++;
  return { index, count };
}

/**
 * The element path (`/kmehrmessage/folder[2]/transaction[1]/item[1]/text`) of the node libxml2 names in a validity
 * error by its positional XPath (`/*\/*[2]/*[4]`), read from the validated document before it is freed.
 */
export function elementPath(doc: XmlDocument, xpath: string | undefined): string | undefined {
  if (xpath === undefined || !xpath.startsWith('/')) return undefined;
  let node;
  try {
    node = doc.get(xpath);
  } catch {
    return undefined;
  }
  if (!(node instanceof XmlElement)) return undefined;
  const steps: string[] = [];
  for (let e: XmlElement | null = node; e !== null; e = e.parent) {
    const name = qualified(e);
    if (e.parent === null) {
      steps.push(name);
      break;
    }
    const { index, count } = siblingIndex(e);
    steps.push(!ALWAYS_INDEXED.has(e.name) && count === 1 ? name : `${name}[${index}]`);
  }
  return `/${steps.reverse().join('/')}`;
}
