import type { SaxesTagNS } from 'saxes';
import type { BodyHandler, EnvelopeWalker } from './envelope-walker.js';
import { KMEHR_NS, UPL_NS } from '../../contracts/namespaces.js';
import { BATCH_OPERATIONS, batchAction, batchElement, type BatchOperation } from '../../contracts/operations.js';
import type { ElementRule } from '../../contracts/element-rule.js';
import { SequenceChecker } from './sequence-checker.js';
import { operationOf, type OperationNaming } from './operation-element.js';
import type { SubtreeCopier } from './subtree-copier.js';

const DELIVERY: readonly ElementRule[] = [
  { name: 'extraInfo', min: 1, max: 1 },
  { name: 'kmehrmessage', min: 1, max: 1 },
];
const EXTRA_INFO: readonly ElementRule[] = [
  { name: 'type', min: 1, max: 1 },
  { name: 'pakket', min: 1, max: 1 },
];
const RESULT: readonly ElementRule[] = [
  { name: 'requestId', min: 1, max: 1 },
  { name: 'gebruikersId', min: 1, max: 1 },
];

/**
 * Reads a BatchUpload body (wire-contracts.md §2) from SAX events — the tokenizer's (batch-envelope-listener.ts) or
 * saxes's. The small fields are collected; the inline `kmehr:kmehrmessage` is passed on by the copier as it streams
 * past (see subtree-copier.ts), so memory does not depend on its size.
 */
const BATCH_NAMING: OperationNaming<BatchOperation> = {
  namespace: UPL_NS,
  operations: BATCH_OPERATIONS,
  requestElement: (o) => batchElement(o, 'Request'),
  action: batchAction,
};

export class BatchBodyHandler implements BodyHandler {
  readonly #soapAction: string | undefined;
  operation: BatchOperation | undefined;
  readonly values = new Map<string, string>();
  #sequence: SequenceChecker | undefined;
  #extraInfo: SequenceChecker | undefined;
  #inExtraInfo = false;
  readonly copier: SubtreeCopier;
  #inKmehr = false;
  #leaf: { name: string; parts: string[] } | undefined;
  sawKmehr = false;

  constructor(soapAction: string | undefined, copier: SubtreeCopier) {
    this.#soapAction = soapAction;
    this.copier = copier;
  }

  /** Inside the KMEHR subtree: its elements and text are the copier's, the handler needs none of them. */
  get copying(): boolean {
    return this.#inKmehr;
  }

  open(tag: SaxesTagNS, depth: number, w: EnvelopeWalker): void {
    if (depth === 0) return this.#openOperation(tag, w);
    if (this.#inKmehr) return; // copied as text by the copier
    const op = this.operation!;
    const opPath = w.operationPath;
    if (depth === 1) {
      const isKmehr = op !== 'ResultaatVerwerking' && tag.uri === KMEHR_NS;
      // A misplaced kmehrmessage is named with the KMEHR namespace first: the envelope's would mislead (issue 11.9).
      if (!isKmehr && tag.local === 'kmehrmessage' && op !== 'ResultaatVerwerking') {
        w.contract(`${opPath}/kmehrmessage`, `kmehrmessage must be in the KMEHR namespace ${KMEHR_NS}, not "${tag.uri}"`);
      }
      if (!isKmehr && tag.uri !== UPL_NS) {
        w.contract(`${opPath}/${tag.local}`, `element ${tag.local} must be in namespace ${UPL_NS}, not "${tag.uri}"`);
      }
      if (isKmehr && tag.local !== 'kmehrmessage') {
        w.contract(`${opPath}/${tag.local}`, `the KMEHR element must be kmehrmessage, not ${tag.local}`);
      }
      this.#sequence!.next(tag.local, w);
      if (isKmehr) {
        this.sawKmehr = true;
        this.#inKmehr = !tag.isSelfClosing;
        this.copier.start(tag, w.inheritedNamespaces(), w);
      } else if (tag.local === 'extraInfo') {
        this.#inExtraInfo = true;
        this.#extraInfo = new SequenceChecker(EXTRA_INFO, `${opPath}/extraInfo`);
      } else {
        this.#leaf = { name: tag.local, parts: [] };
      }
      return;
    }
    if (depth === 2 && this.#inExtraInfo) {
      if (tag.uri !== UPL_NS) {
        w.contract(`${opPath}/extraInfo/${tag.local}`, `element ${tag.local} must be in namespace ${UPL_NS}, not "${tag.uri}"`);
      }
      this.#extraInfo!.next(tag.local, w);
      this.#leaf = { name: tag.local, parts: [] };
      return;
    }
    w.contract(`${opPath}/${this.#leaf?.name ?? 'extraInfo'}/${tag.local}`, `element ${this.#leaf?.name ?? tag.local} may not contain elements`);
  }

  #openOperation(tag: SaxesTagNS, w: EnvelopeWalker): void {
    const op = operationOf(tag, w, BATCH_NAMING, this.#soapAction);
    this.operation = op;
    this.#sequence = new SequenceChecker(op === 'ResultaatVerwerking' ? RESULT : DELIVERY, w.operationPath);
  }

  text(text: string, depth: number, w: EnvelopeWalker): void {
    if (this.#inKmehr) return;
    if (this.#leaf !== undefined) {
      this.#leaf.parts.push(text);
      return;
    }
    if (text.trim() !== '') {
      w.contract(depth === 0 ? w.operationPath : `${w.operationPath}/extraInfo`, 'text is not allowed between elements');
    }
  }

  close(tag: SaxesTagNS, depth: number, w: EnvelopeWalker): void {
    if (this.#inKmehr) {
      if (depth === 1) {
        this.copier.end(tag, w);
        this.#inKmehr = false;
      }
      return;
    }
    if (this.#leaf !== undefined) {
      // xs:string values are trimmed (our choice), as in the RegistratieService reader.
      this.values.set(this.#leaf.name, this.#leaf.parts.join('').trim());
      this.#leaf = undefined;
      return;
    }
    if (depth === 1 && this.#inExtraInfo) {
      this.#extraInfo!.end(w);
      this.#inExtraInfo = false;
    } else if (depth === 0) {
      this.#sequence!.end(w);
    }
  }
}
