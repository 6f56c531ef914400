import type { CallerIdentity } from './caller-identity.js';

/** A registry operator acting through the CLI or admin web pages: may remove and read anything, audited by name. */
export interface OperatorActor {
  readonly kind: 'operator';
  readonly name: string;
}

/** Who performs a removal or a read: an authenticated caller, or an operator. */
export type Actor = CallerIdentity | OperatorActor;
