import { describe, expect, it } from 'vitest';
import { screenDepth } from './xml-depth.js';

const nest = (n: number, inner = ''): string => `${'<a>'.repeat(n)}${inner}${'</a>'.repeat(n)}`;
const depth = (xml: string, max: number) => screenDepth(Buffer.from(xml), max)?.code;

describe('screenDepth: our nesting limit on the raw bytes', () => {
  it('accepts exactly the limit and refuses one level more, with the limit in the finding', () => {
    expect(depth(nest(64), 64)).toBeUndefined();
    expect(depth(nest(65), 64)).toBe('XML_TOO_DEEP');
    expect(screenDepth(Buffer.from(nest(10_000)), 64)?.params?.limit).toBe(64);
  });

  it('counts siblings as one level and self-closing tags as none', () => {
    expect(depth(`<r>${'<a/><b x="1"/>'.repeat(1000)}</r>`, 2)).toBeUndefined();
    expect(depth(`<r>${'<a></a>'.repeat(1000)}</r>`, 2)).toBeUndefined();
    expect(depth(`<r><a><b/></a></r>`, 2)).toBeUndefined();
    expect(depth(`<r><a><b></b></a></r>`, 2)).toBe('XML_TOO_DEEP');
  });

  it('skips what only looks like tags: comments, CDATA, processing instructions, quoted attribute values', () => {
    const fake = '<a><a><a><a>';
    expect(depth(`<?xml version="1.0"?><r><!-- ${fake} --><![CDATA[${fake}]]><?pi ${fake}?><x t="${fake}>" u='/>'/></r>`, 1)).toBeUndefined();
    // A `>` inside a quoted value does not end the tag: what follows is still inside it.
    expect(depth(`<r><x t="a>b"><y/></x></r>`, 2)).toBeUndefined();
    expect(depth(`<r><x t="a/>"><y></y></x></r>`, 2)).toBe('XML_TOO_DEEP');
  });

  it('leaves broken documents that are not too deep to the parsers', () => {
    expect(depth('<r><a', 64)).toBeUndefined();
    expect(depth('<r><!-- never closed', 64)).toBeUndefined();
    expect(depth('', 64)).toBeUndefined();
  });
});
