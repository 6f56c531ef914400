import type { Profile } from '../profile.js';
import type { RegistryPorts } from '../registry-ports.js';
import { decideReadAccess, readerParties, type AccessDecision } from './read-access.js';

export interface ReadRequest {
  /** The caller's profile; absent for an operator. */
  readonly profile?: Profile;
  readonly insz: string;
  /** An operator's (or a break-the-glass) reason. */
  readonly reason?: string;
  /** The caller asks to break the glass (emergency read without consent or link, our choice: docs/access.md). */
  readonly breakTheGlass?: boolean;
  /** ISO-8601 UTC. */
  readonly at: string;
}

/**
 * Loads what the read rule needs about the person (one store call) and decides (read-access.ts). Operators need no
 * facts: their reads depend on the reason alone.
 */
export async function authoriseRead(req: ReadRequest, ports: Pick<RegistryPorts, 'access' | 'settings'>): Promise<AccessDecision> {
  const breakTheGlassEnabled = ports.settings.access.breakTheGlass;
  if (req.profile === undefined) {
    return decideReadAccess({ reader: withReason({ kind: 'operator' }, req.reason), facts: { links: [], exclusions: [] }, at: req.at, breakTheGlassEnabled });
  }
  const parties = readerParties(req.profile);
  const facts = await ports.access.accessFacts(req.insz, [parties.own, ...parties.shared], req.at);
  const breakTheGlass = req.breakTheGlass ? { breakTheGlass: withReason({}, req.reason) } : {};
  return decideReadAccess({ reader: { kind: 'party', parties, ...breakTheGlass }, facts, at: req.at, breakTheGlassEnabled });
}

function withReason<T extends object>(base: T, reason: string | undefined): T & { reason?: string } {
  return reason === undefined ? base : { ...base, reason };
}
