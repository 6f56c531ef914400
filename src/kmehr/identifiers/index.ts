/** Belgian identifiers and their check digits (identity.md §3, §4). */
export { checkInsz, daysInMonth, type InszCheck } from './insz-check.js';
export { checkNihii, type NihiiCheck } from './nihii-check.js';
export { checkCbe, type SimpleCheck } from './cbe-check.js';
export { checkSoftwareId, SOFTWARE_ID_MAX_LENGTH } from './software-id-check.js';
export { maskInsz } from '../../status/mask-insz.js';
