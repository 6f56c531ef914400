import { spawnSync } from 'node:child_process';
import { XML_ERR_ERROR, XML_ERR_WARNING, XML_FROM_PARSER, XML_FROM_SCHEMASV, type StructuredError } from './libxml2.js';

/** What one `xmllint --stream` run said about a file. */
export interface XmllintRun {
  /** 0 valid, > 0 invalid or not well-formed (the validator's return-code convention). */
  readonly returnCode: number;
  /** The diagnostics kept (at most `keep`), in order. */
  readonly errors: StructuredError[];
  /** How many diagnostics xmllint printed, also the ones not kept (a lower bound when its output was cut off). */
  readonly total: number;
  /** Not well-formed (or past the memory bound): `errors` are then empty, see `xmllintWellFormedness`. */
  readonly malformed: boolean;
}

// xmllint's exit codes (xmllint.c): 1 not well-formed / unclassified, 3 validity error, 4 schema compile error,
// 9 out of memory (--maxmem reached).
const XMLLINT_ERR_UNCLASS = 1;
const XMLLINT_ERR_VALID = 3;
const XMLLINT_ERR_MEM = 9;
/** Our choice: the xmllint child may allocate at most this much; streaming KMEHR needs ~10 MB, the schema a few. */
export const XMLLINT_MAX_MEMORY = 256 * 1024 * 1024;
/** Its stderr is cut off past this (a batch with an error per element prints hundreds of MB of them). */
const MAX_STDERR = 8 * 1024 * 1024;
// `-:LINE: [element NAME: ]DOMAIN error : MESSAGE` (libxml2's text error format; `-` is stdin).
const DIAGNOSTIC = /^-:(\d+): (?:element [^:]+: )?(.*?) (error|warning) : (.*)$/;

/**
 * Validates what descriptor `fd` reads (from offset 0, as a regular file) with Debian's system libxml2 through
 * `xmllint --stream --schema`: a streaming XmlReader, so memory stays flat on any delivery size, in a child process,
 * so a crash of that libxml2 kills one xmllint and never the node. The file is handed over as stdin, the very
 * descriptor the caller screened: nothing can swap the file in between.
 */
// our choice: files are validated by the system libxml2 in a child process (docs/decisions.md, "XSD validation:
// which libxml2"): streaming, flat memory, Debian's security fixes, a crash ends only the child.
export function xmllintValidate(rootXsd: string, fd: number, keep: number): XmllintRun {
  const run = spawnSync('xmllint', ['--noout', '--nonet', '--stream', '--maxmem', String(XMLLINT_MAX_MEMORY), '--schema', rootXsd, '-'], {
    stdio: [fd, 'ignore', 'pipe'],
    maxBuffer: MAX_STDERR,
    encoding: 'latin1', // bytes as they come: libxml2 quotes document text in its messages, decoded below
  });
  const cutOff = (run.error as NodeJS.ErrnoException | undefined)?.code === 'ENOBUFS';
  if (run.error !== undefined && !cutOff) throw new Error(`xmllint could not run: ${run.error.message}`);
  const parsed = parseDiagnostics(run.stderr ?? '', keep);
  const total = parsed.total + (cutOff ? 1 : 0);
  if (cutOff || run.status === XMLLINT_ERR_VALID) return { returnCode: 1, errors: parsed.errors, total, malformed: false };
  if (run.status === 0) return { returnCode: 0, errors: [], total: 0, malformed: false };
  if (run.status === XMLLINT_ERR_UNCLASS || run.status === XMLLINT_ERR_MEM) {
    // Not well-formed (or too big for the memory bound). With --schema, xmllint 2.9.14's reader reports only
    // "failed to parse", not why: the parser's own message comes from the caller's second, schema-less run.
    return { returnCode: 1, errors: [], total: 0, malformed: true };
  }
  throw new Error(`xmllint failed (exit ${run.status ?? run.signal}): ${(run.stderr ?? '').slice(0, 300).trim()}`);
}

/** The parser's first complaint about a file that is not well-formed: a schema-less `xmllint --stream` run. */
export function xmllintWellFormedness(fd: number): StructuredError {
  const run = spawnSync('xmllint', ['--noout', '--nonet', '--stream', '--maxmem', String(XMLLINT_MAX_MEMORY), '-'], {
    stdio: [fd, 'ignore', 'pipe'],
    maxBuffer: 1024 * 1024,
    encoding: 'latin1',
  });
  const first = parseDiagnostics(run.stderr ?? '', 1).errors[0];
  if (first !== undefined) return { ...first, domain: XML_FROM_PARSER };
  const detail = run.status === XMLLINT_ERR_MEM ? 'the document needs more memory than the validator allows' : 'the document is not well-formed';
  return { domain: XML_FROM_PARSER, level: XML_ERR_ERROR + 1, line: 0, column: 0, message: detail };
}

function parseDiagnostics(stderr: string, keep: number): { errors: StructuredError[]; total: number } {
  const errors: StructuredError[] = [];
  let total = 0;
  for (const line of stderr.split('\n')) {
    const m = DIAGNOSTIC.exec(line);
    if (m === null) continue; // context and caret lines, "- validates", "Unimplemented block …"
    total++;
    if (errors.length >= keep) continue;
    const domain = /^Schemas validity$/i.test(m[2]!) ? XML_FROM_SCHEMASV : XML_FROM_PARSER;
    errors.push({
      domain,
      level: m[3] === 'warning' ? XML_ERR_WARNING : domain === XML_FROM_SCHEMASV ? XML_ERR_ERROR : XML_ERR_ERROR + 1,
      line: Number(m[1]),
      column: 0,
      message: Buffer.from(m[4]!, 'latin1').toString('utf8'),
    });
  }
  return { errors, total };
}
