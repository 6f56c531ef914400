import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import path from 'node:path';
import { TextDecoder } from 'node:util';
import { finding, type Finding } from '../../status/finding.js';
import { decodeXml, sniffEncoding } from '../xml-decode.js';
import { compiledSchema, type CompiledSchema } from './compiled-schema.js';
import { resolveElementPaths } from './element-paths.js';
import {
  DETECT_ENCODING,
  enforceSafeParserDefaults,
  libxml2,
  XML_FROM_SCHEMASV,
  type NativePointer,
  type StructuredError,
} from './libxml2.js';
import { HEAD_BYTES, screenDoctype, screenFileHead } from './screen-head.js';
import { errorPosition, MAX_XSD_FINDINGS, reportableErrors, xsdFindings } from './xsd-errors.js';

/** Validates KMEHR documents against the official KMEHR 1.43 schema set; an empty list means valid. */
export interface XsdValidator {
  /** Streams the file through libxml2 (memory does not grow with its size). Throws if the file cannot be read. */
  validateFile(path: string): Finding[];
  /** Validates a document held in memory (a string is validated as the UTF-8 text it is). */
  validateBytes(bytes: Buffer | string): Finding[];
}

/** The schema set's root, relative to the schema directory. */
export const KMEHR_ROOT_XSD = path.join('ehealth-kmehr', 'XSD', 'kmehr_elements-1_43.xsd');

const READ_CHUNK = 256 * 1024;

// libxml2 cannot make an input buffer of zero bytes; say what a file-based run would say.
const EMPTY = finding('XML_MALFORMED', { location: '/', params: { detail: 'Document is empty' } });

/**
 * A validator for the KMEHR schema set in `schemaDir` (the folder holding `ehealth-kmehr/XSD/kmehr_elements-1_43.xsd`,
 * e.g. `../shared/kmehr/schema`). The schema is compiled once per process and directory, on first use here.
 * Every document is screened first: no DOCTYPE ever reaches libxml2.
 * @throws Error when the directory holds no compilable KMEHR schema.
 */
export function createXsdValidator(schemaDir: string): XsdValidator {
  const schema = compiledSchema(path.resolve(schemaDir, KMEHR_ROOT_XSD));
  return Object.freeze({
    validateFile: (file: string): Finding[] => validateFile(schema, file),
    validateBytes: (bytes: Buffer | string): Finding[] => validateBytes(schema, bytes),
  });
}

function validateBytes(schema: CompiledSchema, input: Buffer | string): Finding[] {
  const bytes = typeof input === 'string' ? utf8Document(input) : input;
  const refused = bytes.length === 0 ? EMPTY : screenDoctype(bytes);
  if (refused !== undefined) return [refused];
  // libxml2 copies the bytes into its own input buffer and frees it with the parser context (no leak, unlike
  // libxmljs's document parse). The static variant, which would avoid the copy, crashes libxml2 2.9.12.
  const run = runValidation(schema, () => libxml2.xmlParserInputBufferCreateMem(bytes, bytes.length, DETECT_ENCODING));
  return findingsOf(run, () => [decodeXml(bytes)]);
}

function validateFile(schema: CompiledSchema, file: string): Finding[] {
  // Open once and hand libxml2 this descriptor: what was screened is exactly what gets validated.
  const fd = openSync(file, 'r');
  let owned = true;
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new Error(`${file} is not a regular file`);
    const head = Buffer.alloc(Math.min(HEAD_BYTES, stat.size));
    const read = readSync(fd, head, 0, head.length, 0); // positional read: the descriptor's offset stays at 0
    const refused = screenFileHead(head.subarray(0, read), stat.size <= HEAD_BYTES);
    if (refused !== undefined) return [refused];
    owned = false; // from here libxml2 closes the descriptor when it frees the input buffer
    const run = runValidation(schema, () => libxml2.xmlParserInputBufferCreateFd(fd, DETECT_ENCODING));
    return findingsOf(run, () => fileChunks(file));
  } finally {
    if (owned) closeSync(fd);
  }
}

interface ValidationRun {
  readonly returnCode: number;
  readonly errors: StructuredError[];
  readonly total: number;
}

function runValidation(schema: CompiledSchema, createInput: () => NativePointer | null): ValidationRun {
  enforceSafeParserDefaults();
  let total = 0;
  const { returnCode, errors } = libxml2.withStructuredErrors((errors) => {
    // libxmljs appends through `errors.push`: cap what is kept so an error on every element of a huge batch
    // cannot grow memory without bound, but keep counting.
    errors.push = (...items: StructuredError[]): number => {
      for (const item of items) {
        total++;
        if (errors.length < MAX_XSD_FINDINGS * 2) Array.prototype.push.call(errors, item);
      }
      return errors.length;
    };
    const input = createInput();
    if (input === null) throw new Error('libxml2 could not create an input buffer');
    const returnCode = libxml2.xmlSchemaValidateStream(schema.validCtxt, input, DETECT_ENCODING, null, null);
    return { returnCode, errors: [...errors] };
  });
  if (returnCode < 0 && errors.length === 0) throw new Error(`libxml2 schema validation failed internally (${returnCode})`);
  return { returnCode, errors, total };
}

function findingsOf(run: ValidationRun, text: () => Iterable<string>): Finding[] {
  if (run.returnCode === 0 && run.errors.length === 0) return [];
  const reportable = reportableErrors(run.errors);
  const kept = reportable.slice(0, MAX_XSD_FINDINGS);
  // Only schema errors get an element path: a document that is not well-formed cannot be walked.
  const wellFormed = kept.every((e) => e.domain === XML_FROM_SCHEMASV);
  const paths = wellFormed ? resolveElementPaths(text(), kept.map(errorPosition)) : [];
  const notListed = wellFormed ? run.total - run.errors.length + reportable.length - kept.length : 0;
  return xsdFindings(kept, paths, kept.length + notListed, run.returnCode);
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
