import { closeSync, existsSync, fstatSync, openSync, readSync } from 'node:fs';
import path from 'node:path';
import { TextDecoder } from 'node:util';
import { XmlDocument, XmlParseError, XmlValidateError, type ErrorDetail } from 'libxml2-wasm';
import { finding, type Finding } from '../../status/finding.js';
import { sniffEncoding } from '../xml-decode.js';
import { compiledSchema, type CompiledSchema } from './compiled-schema.js';
import { elementPath } from './dom-path.js';
import { resolveElementPaths } from './element-paths.js';
import { SAFE_PARSE_OPTIONS, XML_ERR_WARNING, XML_FROM_PARSER, XML_FROM_SCHEMASV, type StructuredError } from './libxml2.js';
import { HEAD_BYTES, screenDoctype, screenFileHead } from './screen-head.js';
import { xmllintValidate, xmllintWellFormedness } from './xmllint-stream.js';
import { errorPosition, MAX_XSD_FINDINGS, reportableErrors, xsdFindings } from './xsd-errors.js';

/** Validates KMEHR documents against the official KMEHR 1.43 schema set; an empty list means valid. */
export interface XsdValidator {
  /**
   * Streams the file through Debian's libxml2 (`xmllint --stream`, a child process; memory does not grow with its
   * size). Throws if the file cannot be read or xmllint cannot run.
   */
  validateFile(path: string): Finding[];
  /** Validates a document held in memory in the wasm libxml2 (a string is validated as the UTF-8 text it is). */
  validateBytes(bytes: Buffer | string): Finding[];
}

/** The schema set's root, relative to the schema directory. */
export const KMEHR_ROOT_XSD = path.join('ehealth-kmehr', 'XSD', 'kmehr_elements-1_43.xsd');

const READ_CHUNK = 256 * 1024;

// libxml2 cannot make an input buffer of zero bytes; say what a file-based run would say.
const EMPTY = finding('XML_MALFORMED', { location: '/', params: { detail: 'Document is empty' } });

export interface XsdValidatorOptions {
  /**
   * TESTS ONLY: let DOCTYPEs through to libxml2, to prove libxml2's own defences (entity amplification, no
   * substitution) hold behind the screen. Nothing in the registry sets it.
   */
  readonly unsafeSkipDoctypeScreen?: boolean;
}

/**
 * A validator for the KMEHR schema set in `schemaDir` (the folder holding `ehealth-kmehr/XSD/kmehr_elements-1_43.xsd`,
 * e.g. `../shared/kmehr/schema`). The schema is compiled once per process and directory, on first use here.
 * Every document is screened first: no DOCTYPE ever reaches libxml2.
 * @throws Error when the directory holds no compilable KMEHR schema.
 */
export function createXsdValidator(schemaDir: string, options: XsdValidatorOptions = {}): XsdValidator {
  const schema = compiledSchema(path.resolve(schemaDir, KMEHR_ROOT_XSD));
  const screen = options.unsafeSkipDoctypeScreen !== true;
  return Object.freeze({
    validateFile: (file: string): Finding[] => validateFile(schema.rootXsd, file, screen),
    validateBytes: (bytes: Buffer | string): Finding[] => validateBytes(schema, bytes, screen),
  });
}

/**
 * Only `validateFile`, without compiling the schema in this process (xmllint compiles its own): for the XSD worker
 * process, which never validates bytes and should be ready at once after a restart.
 * @throws Error when the directory holds no KMEHR schema.
 */
export function createFileXsdValidator(schemaDir: string): Pick<XsdValidator, 'validateFile'> {
  const rootXsd = path.resolve(schemaDir, KMEHR_ROOT_XSD);
  if (!existsSync(rootXsd)) throw new Error(`KMEHR schema not found: ${rootXsd}`);
  return Object.freeze({ validateFile: (file: string): Finding[] => validateFile(rootXsd, file, true) });
}

// our choice: documents in memory (RegistratieService messages) go to libxml2-wasm, a current libxml2 isolated in
// WebAssembly (docs/decisions.md, "XSD validation: which libxml2").
function validateBytes(schema: CompiledSchema, input: Buffer | string, screen: boolean): Finding[] {
  const bytes = typeof input === 'string' ? utf8Document(input) : input;
  const refused = bytes.length === 0 ? EMPTY : screen ? screenDoctype(bytes) : undefined;
  if (refused !== undefined) return [refused];
  let doc: XmlDocument;
  try {
    doc = XmlDocument.fromBuffer(bytes, { option: SAFE_PARSE_OPTIONS });
  } catch (err) {
    if (!(err instanceof XmlParseError)) throw err;
    // Not well-formed, or one of libxml2's limits (depth, entity amplification, text size): the parser's complaint.
    const errors = err.details.map((d) => structured(d, XML_FROM_PARSER));
    return findingsOf({ returnCode: 1, errors: errors.length > 0 ? errors : [parserError(err.message)], total: errors.length }, undefined);
  }
  try {
    schema.validator.validate(doc);
    return [];
  } catch (err) {
    if (!(err instanceof XmlValidateError)) {
      throw new Error(`libxml2 schema validation failed internally: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    const kept = err.details.slice(0, MAX_XSD_FINDINGS * 2);
    const errors = kept.map((d) => structured(d, XML_FROM_SCHEMASV));
    // The element each error names, read from the document itself while it is still there.
    const paths = kept.map((d) => (d.level > XML_ERR_WARNING ? elementPath(doc, d.xpath) : undefined));
    return findingsOf(
      { returnCode: 1, errors, total: err.details.length },
      paths.filter((_, i) => kept[i]!.level > XML_ERR_WARNING),
    );
  } finally {
    doc.dispose();
  }
}

function structured(d: ErrorDetail, domain: number): StructuredError {
  return { domain, level: d.level, line: d.line, column: d.col, message: d.message };
}

function parserError(message: string): StructuredError {
  return { domain: XML_FROM_PARSER, level: 3, line: 0, column: 0, message };
}

function validateFile(rootXsd: string, file: string, screen: boolean): Finding[] {
  // Open once and hand xmllint this descriptor: what was screened is exactly what gets validated.
  const fd = openSync(file, 'r');
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new Error(`${file} is not a regular file`);
    if (stat.size === 0) return [EMPTY];
    const head = Buffer.alloc(Math.min(HEAD_BYTES, stat.size));
    const read = readSync(fd, head, 0, head.length, 0); // positional read: the descriptor's offset stays at 0
    const refused = screen ? screenFileHead(head.subarray(0, read), stat.size <= HEAD_BYTES) : undefined;
    if (refused !== undefined) return [refused];
    const run = xmllintValidate(rootXsd, fd, MAX_XSD_FINDINGS * 2);
    if (run.malformed) {
      // Not well-formed: only the verdict came back; ask for the parser's message (the file is not swapped: the
      // verdict above is from the screened descriptor, this second read only words it).
      return findingsOf({ returnCode: 1, errors: [wellFormedness(file)], total: 1 }, undefined);
    }
    return findingsOf(run, () => resolveElementPaths(fileChunks(file), reportableErrors(run.errors).slice(0, MAX_XSD_FINDINGS).map(errorPosition)));
  } finally {
    closeSync(fd);
  }
}

function wellFormedness(file: string): StructuredError {
  const fd = openSync(file, 'r');
  try {
    return xmllintWellFormedness(fd);
  } finally {
    closeSync(fd);
  }
}

interface ValidationRun {
  readonly returnCode: number;
  readonly errors: StructuredError[];
  /** All errors libxml2 raised, also those not kept. */
  readonly total: number;
}

/**
 * Findings from a run. `paths` are the reportable errors' element paths (already known, or computed on demand:
 * only schema errors get one, a document that is not well-formed cannot be walked).
 */
function findingsOf(run: ValidationRun, paths: readonly (string | undefined)[] | (() => (string | undefined)[]) | undefined): Finding[] {
  if (run.returnCode === 0 && run.errors.length === 0) return [];
  const reportable = reportableErrors(run.errors);
  const kept = reportable.slice(0, MAX_XSD_FINDINGS);
  const wellFormed = kept.every((e) => e.domain === XML_FROM_SCHEMASV);
  const placed = !wellFormed || paths === undefined ? [] : typeof paths === 'function' ? paths() : paths.slice(0, kept.length);
  const notListed = wellFormed ? Math.max(0, run.total - run.errors.length) + reportable.length - kept.length : 0;
  return xsdFindings(kept, placed, kept.length + notListed, run.returnCode);
}

/** A string is already decoded: encode it as UTF-8 and make its XML declaration say so (same length, same columns). */
function utf8Document(text: string): Buffer {
  const declared = /^(\uFEFF?<\?xml[^>]*?\bencoding\s*=\s*)(["'])([^"']*)\2/.exec(text);
  if (declared === null || /^utf-?8$/i.test(declared[3]!)) return Buffer.from(text, 'utf8');
  const replacement = `${declared[1]}${declared[2]}UTF-8${declared[2]}`.padEnd(declared[0].length, ' ');
  return Buffer.from(replacement + text.slice(declared[0].length), 'utf8');
}

/** The file as decoded text chunks, read synchronously with a fixed buffer (for placing errors after the fact). */
function* fileChunks(file: string): Generator<string> {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(READ_CHUNK);
    let decoder: TextDecoder | undefined;
    for (let read = readSync(fd, buffer); read > 0; read = readSync(fd, buffer)) {
      decoder ??= new TextDecoder(sniffEncoding(buffer));
      yield decoder.decode(buffer.subarray(0, read), { stream: true });
    }
    if (decoder !== undefined) yield decoder.decode();
  } finally {
    closeSync(fd);
  }
}
