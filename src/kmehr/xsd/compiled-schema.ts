import { existsSync } from 'node:fs';
import { libxml2, type NativePointer } from './libxml2.js';

/** A compiled libxml2 schema and the one validation context reused for every document (calls are synchronous). */
export interface CompiledSchema {
  readonly rootXsd: string;
  readonly validCtxt: NativePointer;
}

// One compiled schema per root file for the life of the process: compiling KMEHR costs ~35 ms, validating ~0.1 ms.
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
  const { schema, problems } = libxml2.withStructuredErrors((errors) => {
    const parserCtxt = libxml2.xmlSchemaNewParserCtxt(rootXsd);
    if (parserCtxt === null) return { schema: null, problems: ['cannot create a schema parser'] };
    const schema = libxml2.xmlSchemaParse(parserCtxt);
    libxml2.xmlSchemaFreeParserCtxt(parserCtxt);
    return { schema, problems: errors.map((e) => `${e.file ?? rootXsd}:${e.line}: ${e.message.trim()}`) };
  });
  if (schema === null) throw new Error(`KMEHR schema does not compile: ${problems[0] ?? rootXsd}`);
  const validCtxt = libxml2.xmlSchemaNewValidCtxt(schema);
  if (validCtxt === null) throw new Error('libxml2 could not create a schema validation context');
  compilations++;
  const entry = Object.freeze({ rootXsd, validCtxt });
  compiled.set(rootXsd, entry);
  return entry;
}
