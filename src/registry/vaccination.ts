/** Channels a vaccination can arrive through (issue 3 §1). */
/**
 * `cli`: operator reads and removals through the `vaccinnet` command. `kmehr-read`: the Vitalink-shaped read over
 * HTTPS (docs/kmehr-read.md) — a read channel only, nothing arrives through it. `fhir`: the FHIR R4 API under /fhir.
 */
export const CHANNELS = ['registratie', 'batch', 'web', 'csv', 'cli', 'kmehr-read', 'fhir'] as const;
export type Channel = (typeof CHANNELS)[number];

export const VACCINATION_STATUSES = ['active', 'removed'] as const;
export type VaccinationStatus = (typeof VACCINATION_STATUSES)[number];

/** The product as resolved against the vaccine reference table, plus what the sender wrote. */
export interface VaccineProduct {
  readonly cnk?: string;
  readonly name?: string;
  readonly vaccinnetCode?: string;
  readonly atc?: string;
  readonly indications: readonly string[];
  /** Antigen group used to spot probable duplicates (rule 14), e.g. `COVID-19`. */
  readonly group: string;
}

/** What the use case asks the store to keep for one administered dose. */
export interface NewVaccination {
  /** 32 upper-case hex characters. */
  readonly id: string;
  /** The patient's INSZ: the partition / distribution key of every patient-owned row. */
  readonly patientInsz: string;
  readonly product: VaccineProduct;
  /** YYYY-MM-DD. */
  readonly administeredOn: string;
  /** `quantity/decimal` as written. */
  readonly quantity?: string;
  readonly lot?: string;
  /** AddVaccinations `DisableStockChange`: do not lower the registrant's stock (absent when not sent). */
  readonly disableStockChange?: boolean;
  /** Profile key of the caller that registered it (doctor or organisation). */
  readonly registrantKey: string;
  /** NIHII of the responsible doctor (the transaction author; for a HAIO its stagemeester). */
  readonly responsibleNihii?: string;
  readonly softwareId: string;
  readonly channel: Channel;
  /** `header/id[@S='ID-KMEHR']`. */
  readonly senderMessageId?: string;
  /** `transaction/id[@S='LOCAL']` (a sender's UUID in batch messages). */
  readonly senderLocalId?: string;
  /** Idempotency key within (patient, registrant): the LOCAL id when present, else message id + position. */
  readonly senderKey: string;
  /** ISO-8601 UTC. */
  readonly registeredAt: string;
  /** The original KMEHR `<item>` (writeItem). */
  readonly itemXml: string;
  /**
   * `contentDigest` of this dose (content-digest.ts), computed once when the dose is made: a later dose under the
   * same sender ids is a replay only when its digest is the same. Absent on rows an older registry wrote.
   */
  readonly contentDigest?: string;
}

export interface Removal {
  /** ISO-8601 UTC. */
  readonly at: string;
  /** Profile key or `operator:<name>`. */
  readonly by: string;
  readonly reason?: string;
}

export interface Vaccination extends NewVaccination {
  readonly status: VaccinationStatus;
  readonly removal?: Removal;
}
