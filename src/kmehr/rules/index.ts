/** The registry's own message rules (docs/kmehr-rules.md). */
export { checkMessage, checkTransaction, checkHeader, checkTransactionOnly, type RuleContext, type TransactionScope } from './check-message.js';
export { patientInszRule } from './patient-insz-rule.js';
export { birthBound } from './administration-date-rule.js';
export { calendarDate } from './kmehr-date.js';
export { ADVERSE_EVENT_WORDING } from './covid-adverse-event-rule.js';
