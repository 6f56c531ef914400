/**
 * CD-ITEM values the registry accepts in a vaccination transaction (kmehr-vaccination.md): the `vaccine` item,
 * `encounterlocation` (vaccinated abroad) and `adr` (adverse drug reaction; refused with COVID-19, rule 3).
 * Other CD-ITEM values exist in KMEHR but have no meaning in a vaccination registration. Compared case-insensitively.
 */
export const ITEM_TYPES = ['vaccine', 'encounterlocation', 'adr'] as const;
export type ItemType = (typeof ITEM_TYPES)[number];

const SET: ReadonlySet<string> = new Set(ITEM_TYPES);

export function isItemType(value: string): value is ItemType {
  return SET.has(value.toLowerCase());
}

/** CD-TRANSACTION: the only transaction type the registry registers. */
export const VACCINATION_TRANSACTION = 'vaccination';

/** CD-LIFECYCLE of a registration (kmehr-vaccination.md: `administrated`, or absent). */
export const ADMINISTRATED = 'administrated';
