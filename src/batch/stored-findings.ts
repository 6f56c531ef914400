import type { Identifier } from '../kmehr/model.js';
import type { SubmittedId } from '../contracts/write-batch-response.js';
import type { StatusCode } from '../status/catalogue.js';
import { finding, type Finding } from '../status/finding.js';

/** A finding as kept in a result row: code and parameters; its text is rendered in the asker's language on read. */
export interface StoredFinding {
  readonly c: string;
  readonly l?: string;
  readonly v?: string;
  readonly p?: Record<string, unknown>;
}

/** JSON of the findings of one transaction (compact: results of 100 000 transactions are kept for weeks). */
export function storeFindings(findings: readonly Finding[]): string {
  if (findings.length === 0) return '[]';
  return JSON.stringify(
    findings.map((f): StoredFinding => {
      const { location: _l, value: _v, ...rest } = (f.params ?? {}) as Record<string, unknown>;
      return {
        c: f.code,
        ...(f.location !== undefined && { l: f.location }),
        ...(f.value !== undefined && { v: f.value }),
        ...(Object.keys(rest).length > 0 && { p: rest }),
      };
    }),
  );
}

/** The findings back from their JSON. */
export function loadFindings(json: string): Finding[] {
  if (json === '[]') return [];
  return fromStored(JSON.parse(json) as StoredFinding[]);
}

/** The findings back from their stored form, already parsed (a result entry's findings). */
export function fromStored(stored: readonly StoredFinding[]): Finding[] {
  return stored.map((s) =>
    finding(s.c as StatusCode, {
      ...(s.l !== undefined && { location: s.l }),
      ...(s.v !== undefined && { value: s.v }),
      ...(s.p !== undefined && { params: s.p as Record<string, string | number> }),
    }),
  );
}

/** KMEHR ids as submitted, in the result's shape (`S`, `SV`, `SL`, value). */
export function submittedIds(ids: readonly Identifier[]): SubmittedId[] {
  return ids.map((i) => ({ value: i.value, S: i.s, ...(i.sv !== undefined && { SV: i.sv }), ...(i.sl !== undefined && { SL: i.sl }) }));
}
