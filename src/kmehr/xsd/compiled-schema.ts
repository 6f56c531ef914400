import { existsSync, readFileSync } from 'node:fs';
import { XmlDocument, XmlLibError, xmlCleanupInputProvider, XsdValidator as WasmXsdValidator } from 'libxml2-wasm';
import { xmlRegisterFsInputProviders } from 'libxml2-wasm/lib/nodejs.mjs';

/** The KMEHR schema compiled once in the wasm libxml2 (for documents in memory), and its root file (for xmllint). */
export interface CompiledSchema {
  readonly rootXsd: string;
  readonly validator: WasmXsdValidator;
}

// One compiled schema per root file for the life of the process: compiling KMEHR costs tens of ms, validating ~0.1 ms.
const compiled = new Map<string, CompiledSchema>();
let compilations = 0;

/** How many schemas this process has compiled (tests prove "compiled once"). */
export function schemaCompilations(): number {
  return compilations;
}

/**
 * The compiled schema for an absolute root XSD path, compiling it on first request.
 * @throws Error naming the file and libxml2's first complaint when it is missing or does not compile.
 */
export function compiledSchema(rootXsd: string): CompiledSchema {
  const cached = compiled.get(rootXsd);
  if (cached !== undefined) return cached;
  if (!existsSync(rootXsd)) throw new Error(`KMEHR schema not found: ${rootXsd}`);
  // The wasm libxml2 reads files only through registered input providers. They are registered just for the
  // schema's own xs:include/xs:import chain and removed right after: no untrusted document can make it read a file.
  xmlRegisterFsInputProviders();
  let xsdDoc: XmlDocument | undefined;
  try {
    xsdDoc = XmlDocument.fromBuffer(readFileSync(rootXsd), { url: rootXsd });
    const validator = WasmXsdValidator.fromDoc(xsdDoc);
    compilations++;
    const entry = Object.freeze({ rootXsd, validator });
    compiled.set(rootXsd, entry);
    return entry;
  } catch (err) {
    xsdDoc?.dispose();
    const first = err instanceof XmlLibError ? err.details[0] : undefined;
    const where = first === undefined ? rootXsd : `${first.file ?? rootXsd}:${first.line}: ${first.message.trim()}`;
    throw new Error(`KMEHR schema does not compile: ${where}`, { cause: err });
  } finally {
    // The schema document itself stays alive with the schema (libxml2's schema keeps pointers into a document it
    // was parsed from): one per process.
    xmlCleanupInputProvider();
  }
}
