import { execFileSync, spawnSync } from 'node:child_process';
import { ParseOption } from 'libxml2-wasm';

/**
 * The two libxml2 builds the XSD validator uses (issue 18; see docs/decisions.md, "XSD validation: which libxml2"):
 * - `libxml2-wasm` (a WebAssembly build of the current libxml2 2.15 line) for documents held in memory, i.e. every
 *   RegistratieService message: memory-isolated from the node (a libxml2 memory bug corrupts only the wasm heap), no
 *   native build, and the entity-amplification and depth limits of a current libxml2;
 * - Debian's security-patched system libxml2 through `xmllint --stream --schema` in a child process for files (the
 *   BatchUpload spool): streaming keeps memory flat on 100 MB deliveries, where the wasm build can only build a DOM.
 */

/** One libxml2 diagnostic, from either build. */
export interface StructuredError {
  /** xmlErrorDomain: XML_FROM_SCHEMASV for schema validity, XML_FROM_PARSER for everything else (not well-formed). */
  readonly domain: number;
  readonly message: string;
  /** 1 warning, 2 error, 3 fatal. */
  readonly level: number;
  readonly line: number;
  /** 0 when libxml2 does not say (schema-validity errors carry no column in current libxml2, nor in xmllint's text). */
  readonly column: number;
}

export const XML_FROM_PARSER = 1;
export const XML_FROM_SCHEMASV = 17;
export const XML_ERR_WARNING = 1;
export const XML_ERR_ERROR = 2;

/**
 * Parser options for untrusted documents in the wasm build. Our choice: no NOENT (entities are never substituted),
 * no DTDLOAD/DTDVALID, NONET, and NO_XXE (libxml2 ≥ 2.14 refuses external entities outright) — and no HUGE, so
 * libxml2's own limits stay on (depth 256, 10 MB per text node, entity amplification). The DOCTYPE screen runs before
 * this anyway; these are the second wall.
 */
export const SAFE_PARSE_OPTIONS = ParseOption.XML_PARSE_NONET | ParseOption.XML_PARSE_NO_XXE;

/** The libxml2 behind the wasm build: the package version pins it (libxml2-wasm does not export xmlParserVersion). */
export const WASM_LIBXML2 = 'libxml2-wasm 0.7.2 (libxml2 2.15 line)';

/** Versions of both libxml2 builds, for the start-up log (the system one is patched by Debian, so its package version matters). */
export interface Libxml2Versions {
  readonly wasm: string;
  /** `xmllint --version`'s first line, or why it is missing. */
  readonly xmllint: string;
  /** The Debian package version of libxml2 (`dpkg-query`), when known. */
  readonly debianPackage?: string;
}

let versions: Libxml2Versions | undefined;

/** Both versions, looked up once per process. */
export function libxml2Versions(): Libxml2Versions {
  if (versions !== undefined) return versions;
  // xmllint prints its version on stderr.
  const run = spawnSync('xmllint', ['--version'], { encoding: 'utf8' });
  const xmllint = run.error !== undefined ? `missing (${run.error.message})` : (run.stderr || run.stdout).split('\n')[0]!.trim();
  let debianPackage: string | undefined;
  try {
    debianPackage = execFileSync('dpkg-query', ['-W', '-f', '${Version}', 'libxml2'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    debianPackage = undefined; // not a Debian system: the xmllint line still names the libxml2 version
  }
  versions = Object.freeze({ wasm: WASM_LIBXML2, xmllint, ...(debianPackage && { debianPackage }) });
  return versions;
}
