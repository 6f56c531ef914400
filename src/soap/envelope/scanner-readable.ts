import { sniffEncoding } from '../../kmehr/xml-decode.js';

/*
 * Which bodies the XML tokenizer reads (issue 12 §2): UTF-8 text that starts with `<` (no BOM) and declares no
 * other encoding. saxes reads the others (a BOM, UTF-16, another declared encoding), chosen up front from the bytes,
 * never after a failure. One rule for both services.
 */

/** The encoding an XML declaration names, when it names one. */
const DECLARED_ENCODING = /^<\?xml\s[^>]*?encoding\s*=\s*["']([^"']*)["']/;

/** Bytes of a streamed body to wait for before choosing the reader: an XML declaration fits in them. */
export const READER_CHOICE_BYTES = 256;

/**
 * Whether the tokenizer reads a body that starts with `head` (at least {@link READER_CHOICE_BYTES} bytes of it, or
 * the whole body when shorter): no BOM, UTF-8, no other encoding declared.
 */
export function scannerReadsHead(head: Buffer): boolean {
  if (head[0] !== 0x3c || sniffEncoding(head) !== 'utf-8') return false;
  const declared = DECLARED_ENCODING.exec(head.subarray(0, READER_CHOICE_BYTES).toString('latin1'))?.[1];
  return declared === undefined || /^utf-?8$/i.test(declared);
}

/**
 * The body as text when the tokenizer reads it ({@link scannerReadsHead}) and it holds no invalid UTF-8 sequence;
 * undefined otherwise: saxes reads those bodies (and answers another declared encoding with the contract finding
 * clients have always had). A streamed body cannot be checked for invalid sequences up front: both readers then
 * read the same text, invalid sequences replaced by U+FFFD.
 */
export function plainUtf8Text(body: Buffer): string | undefined {
  if (!scannerReadsHead(body)) return undefined;
  const text = body.toString('utf8');
  return text.includes('\uFFFD') ? undefined : text;
}
