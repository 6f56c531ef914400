import { describeCaller, type CallerIdentity } from './caller-identity.js';
import { isGroupPracticeIdentity } from './authorise-caller.js';
import { finding, type Finding } from '../status/finding.js';

export type Service = 'registratie' | 'batch';

/**
 * Which certificate may use which service (identity.md §1, our choice): doctors' personal certificates and group
 * practices use RegistratieService; organisation certificates use BatchUpload; a personal certificate may not
 * use BatchUpload.
 */
export function checkServiceAccess(identity: CallerIdentity, service: Service): Finding | undefined {
  if (service === 'registratie' && identity.kind === 'organisation' && !isGroupPracticeIdentity(identity)) {
    return finding('AUTH_WRONG_SERVICE', {
      value: 'organisation',
      params: { detail: `${describeCaller(identity)} is not a group practice; organisations use BatchUpload` },
    });
  }
  if (service === 'batch' && identity.kind === 'person') {
    return finding('AUTH_WRONG_SERVICE', {
      value: 'personal',
      params: { detail: 'BatchUpload is for organisation certificates; doctors use RegistratieService' },
    });
  }
  return undefined;
}
