/** One child element of an xs:sequence in our request schemas: its local name and cardinality. */
export interface ElementRule {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  /** Keep counting past `max` instead of refusing at once (AddVaccinations reports SOAP_TOO_MANY_MESSAGES). */
  readonly countPastMax?: boolean;
}
