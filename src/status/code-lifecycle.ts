/**
 * Codes outside the normal life of "defined in the catalogue and raised by the code" (the catalogue test checks
 * both ways: every code defined is raised somewhere in src or reserved here, and no retired code comes back).
 *
 * A code is part of the wire contract: integrators match on it. So a code that is no longer raised is either
 * reserved (defined on purpose ahead of its use, with a reason) or retired: moved to {@link RETIRED_CODES} with the
 * reason and the issue, and never defined again, not even for a similar meaning.
 */

/** Defined in the catalogue but not raised yet: the reason, and where it will be raised. */
export const RESERVED_CODES: Readonly<Record<string, string>> = Object.freeze({});

/**
 * Codes that were answered once and are gone: the reason and the issue that retired them. Started in issue 12 from
 * the git history of src/status: no code had been removed by then, so the list starts empty.
 */
export const RETIRED_CODES: Readonly<Record<string, string>> = Object.freeze({});
