import type { ElementRule } from '../../contracts/element-rule.js';
import type { EnvelopeWalker } from './envelope-walker.js';

/**
 * Checks the children of one element against an xs:sequence of leaf elements, one child at a time, as SAX events
 * arrive: unknown element, wrong order, too many, missing required — each a SOAP_CONTRACT finding with the path.
 * Hand-written because no streaming XSD validator exists for Node; the sequences here are flat and small.
 */
export class SequenceChecker {
  readonly #rules: readonly ElementRule[];
  readonly #parentPath: string;
  readonly #counts: number[];
  #current = 0;

  constructor(rules: readonly ElementRule[], parentPath: string) {
    this.#rules = rules;
    this.#parentPath = parentPath;
    this.#counts = rules.map(() => 0);
  }

  /** Registers the next child `name`; returns its occurrence number (1-based). */
  next(name: string, walker: EnvelopeWalker): number {
    const idx = this.#rules.findIndex((r) => r.name === name);
    const path = `${this.#parentPath}/${name}`;
    if (idx < 0) walker.contract(path, `unexpected element ${name}; expected ${this.#expected()}`);
    if (idx < this.#current) walker.contract(path, `element ${name} is out of order; expected ${this.#expected()}`);
    for (let j = this.#current; j < idx; j++) this.#requireMin(j, walker);
    this.#current = idx;
    const rule = this.#rules[idx]!;
    const count = ++this.#counts[idx]!;
    if (count > rule.max && rule.countPastMax !== true) {
      walker.contract(path, `element ${name} occurs more than ${rule.max} time(s)`);
    }
    return count;
  }

  /** At the parent's end tag: every required element after the last seen one must have been present. */
  end(walker: EnvelopeWalker): void {
    for (let j = this.#current; j < this.#rules.length; j++) this.#requireMin(j, walker);
  }

  count(name: string): number {
    const idx = this.#rules.findIndex((r) => r.name === name);
    return idx < 0 ? 0 : this.#counts[idx]!;
  }

  #requireMin(j: number, walker: EnvelopeWalker): void {
    const rule = this.#rules[j]!;
    if (this.#counts[j]! < rule.min) {
      walker.contract(`${this.#parentPath}/${rule.name}`, `required element ${rule.name} is missing`);
    }
  }

  // What may come next at this point: the current element (if it may repeat) and everything up to the next required one.
  #expected(): string {
    const names: string[] = [];
    for (let j = this.#current; j < this.#rules.length; j++) {
      const rule = this.#rules[j]!;
      if (j > this.#current || this.#counts[j]! < rule.max) names.push(rule.name);
      if (rule.min > this.#counts[j]! && j >= this.#current) break;
    }
    return names.length === 0 ? 'no further element' : names.join(' or ');
  }
}
