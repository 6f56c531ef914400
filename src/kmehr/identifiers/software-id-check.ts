import type { SimpleCheck } from './cbe-check.js';

export const SOFTWARE_ID_MAX_LENGTH = 50;
const PART = /^[A-Za-z0-9.-]+$/;

/**
 * softwareID shape check (identity.md §3, our choice): parts separated by `_`, each a non-empty
 * `[A-Za-z0-9.-]+`; `integrator_software` (2 parts) for personal certificates,
 * `integrator_software_organisation` (3 parts) for organisations; at most 50 characters.
 * Whether the value is registered for the caller is the profile store's job, not this function's.
 * @param value - the SoftwareId / extraInfo pakket value
 * @param kind - personal (doctor software) or organisation (BatchUpload)
 * @example checkSoftwareId('taktik_medispring', 'personal') // { ok: true }
 */
export function checkSoftwareId(value: string, kind: 'personal' | 'organisation'): SimpleCheck {
  if (value.length === 0) return { ok: false, detail: 'empty' };
  if (value.length > SOFTWARE_ID_MAX_LENGTH) return { ok: false, detail: `longer than ${SOFTWARE_ID_MAX_LENGTH} characters` };
  const parts = value.split('_');
  const expected = kind === 'personal' ? 2 : 3;
  if (parts.length !== expected) {
    return { ok: false, detail: `${parts.length} part(s) separated by "_"; ${kind} software needs ${expected}` };
  }
  const bad = parts.findIndex((p) => !PART.test(p));
  if (bad >= 0) return { ok: false, detail: `part ${bad + 1} is empty or has characters other than A-Z, a-z, 0-9, "." and "-"` };
  return { ok: true };
}
