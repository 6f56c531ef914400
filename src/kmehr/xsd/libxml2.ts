import { createRequire } from 'node:module';

/**
 * The few raw libxml2 calls (through libxmljs 1.0.11's SWIG bindings) the XSD validator needs, typed narrowly.
 *
 * Why the raw bindings and not `doc.validate()`: libxmljs recompiles the schema on every call (~42 ms for KMEHR)
 * and its in-memory document parse leaks about the input size per call. Compiling once and validating a stream
 * (file descriptor or copied memory buffer) through the schema's SAX plug costs ~0.1 ms per 5 KB message with
 * flat memory (see xsd-validator.test.ts).
 */

/** An opaque libxml2 pointer wrapped by SWIG. */
export type NativePointer = object;

/** One libxml2 `xmlError` as libxmljs hands it to a `withStructuredErrors` callback. */
export interface StructuredError {
  /** xmlErrorDomain: 1 parser, 3 namespace, 16 schema parser, 17 schema validity, … */
  readonly domain: number;
  readonly code: number;
  readonly message: string;
  /** 1 warning, 2 error, 3 fatal. */
  readonly level: number;
  readonly line: number;
  readonly column: number;
  readonly file?: string;
  readonly str1?: string;
}

interface Libxml2 {
  xmlSchemaNewParserCtxt(url: string): NativePointer | null;
  xmlSchemaParse(ctxt: NativePointer): NativePointer | null;
  xmlSchemaFreeParserCtxt(ctxt: NativePointer): void;
  xmlSchemaNewValidCtxt(schema: NativePointer): NativePointer | null;
  xmlParserInputBufferCreateFd(fd: number, encoding: number): NativePointer | null;
  xmlParserInputBufferCreateMem(mem: Buffer, size: number, encoding: number): NativePointer | null;
  xmlSchemaValidateStream(ctxt: NativePointer, input: NativePointer, encoding: number, sax: null, userData: null): number;
  withStructuredErrors<T>(callback: (errors: StructuredError[]) => T): T;
}

interface Libxml2Globals {
  xmlSubstituteEntitiesDefaultValue: number;
  xmlLoadExtDtdDefaultValue: number;
  xmlDoValidityCheckingDefaultValue: number;
}

// The native SWIG module itself: libxmljs's `functions.js`/`variables.js` re-export snapshots, and only the native
// object's accessors read and write libxml2's real globals.
const native = (createRequire(import.meta.url)('libxmljs/dist/lib/bindings/index.js') as { default: unknown }).default;

export const libxml2 = native as Libxml2;
const globals = native as Libxml2Globals;

/** XML_CHAR_ENCODING_NONE: let libxml2 detect the encoding (BOM, XML declaration) as for a file. */
export const DETECT_ENCODING = 0;

export const XML_FROM_SCHEMASV = 17;
export const XML_ERR_WARNING = 1;

/**
 * libxml2's schema stream validation creates its parser context from process-wide defaults (it has no options
 * argument), so the defaults ARE the parser options: entity substitution (NOENT), external DTD loading (DTDLOAD)
 * and DTD validation must stay off. Nothing in this project turns them on; this re-asserts it before each use in
 * case another library in the process did. (NONET needs no flag: this libxml2 build has no HTTP/FTP support.)
 */
export function enforceSafeParserDefaults(): void {
  if (globals.xmlSubstituteEntitiesDefaultValue !== 0) globals.xmlSubstituteEntitiesDefaultValue = 0;
  if (globals.xmlLoadExtDtdDefaultValue !== 0) globals.xmlLoadExtDtdDefaultValue = 0;
  if (globals.xmlDoValidityCheckingDefaultValue !== 0) globals.xmlDoValidityCheckingDefaultValue = 0;
}

/** The current values of those defaults (for tests). */
export function parserDefaults(): Readonly<Libxml2Globals> {
  return {
    xmlSubstituteEntitiesDefaultValue: globals.xmlSubstituteEntitiesDefaultValue,
    xmlLoadExtDtdDefaultValue: globals.xmlLoadExtDtdDefaultValue,
    xmlDoValidityCheckingDefaultValue: globals.xmlDoValidityCheckingDefaultValue,
  };
}
