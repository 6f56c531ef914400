import type { C14nElement } from './exc-c14n.js';
import { NS } from './ws-security-profile.js';
import { refuseSignature } from './ws-security-refusal.js';

/**
 * All id-like attribute values an XML-DSig library could resolve a `#id` reference to: counting every one of them
 * is what makes a second element carrying a signed id (signature wrapping) visible.
 */
export function idValues(el: C14nElement): string[] {
  let ids: string[] | undefined;
  for (const a of el.attributes) {
    const isId =
      (a.local === 'Id' && (a.uri === '' || a.uri === NS.wsu)) ||
      (a.uri === '' && (a.local === 'ID' || a.local === 'id')) ||
      (a.local === 'id' && a.uri === NS.xml);
    if (isId) (ids ??= []).push(a.value);
  }
  return ids ?? [];
}

/** The one id an element is referenced by; two different id values on one element are refused as ambiguous. */
export function designatedId(el: C14nElement, what: string): string | undefined {
  const ids = [...new Set(idValues(el))];
  if (ids.length > 1) refuseSignature(`${what} carries conflicting id attributes`);
  return ids[0];
}
