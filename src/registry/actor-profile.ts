import type { Finding } from '../status/finding.js';
import type { Actor } from './actor.js';
import { authoriseCaller } from './authorise-caller.js';
import type { ProfileDirectory } from './ports.js';
import type { Profile } from './profile.js';

export type ActorCheck =
  | { readonly ok: true; readonly actorKey: string; readonly subject: string; readonly profile?: Profile }
  | { readonly ok: false; readonly finding: Finding; readonly actorKey: string; readonly subject: string };

/** Operators pass; callers go through the same call-level authorisation as registrations. */
export async function authoriseActor(actor: Actor, softwareId: string | undefined, profiles: ProfileDirectory): Promise<ActorCheck> {
  if (actor.kind === 'operator') return { ok: true, actorKey: `operator:${actor.name}`, subject: `operator ${actor.name}` };
  const auth = await authoriseCaller(actor, softwareId ?? '', profiles);
  return auth.ok
    ? { ok: true, actorKey: auth.profile.key, subject: actor.subject, profile: auth.profile }
    : { ok: false, finding: auth.finding, actorKey: auth.profile?.key ?? '', subject: actor.subject };
}
