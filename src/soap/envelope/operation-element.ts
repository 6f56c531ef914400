import type { SaxesTagNS } from 'saxes';
import { finding } from '../../status/finding.js';
import type { EnvelopeWalker } from './envelope-walker.js';

/** How one service names its operations: their namespace, request element and SOAPAction. */
export interface OperationNaming<Op extends string> {
  readonly namespace: string;
  readonly operations: readonly Op[];
  readonly requestElement: (op: Op) => string;
  readonly action: (op: Op) => string;
}

/**
 * The first element of the SOAP Body, judged the same way for RegistratieService and BatchUpload: an element of the
 * service's namespace naming one of its operations (else SOAP_OPERATION_UNKNOWN), agreeing with the SOAPAction header
 * when one was sent (else SOAP_ACTION_MISMATCH). Aborts the walk on a refusal.
 */
export function operationOf<Op extends string>(tag: SaxesTagNS, w: EnvelopeWalker, naming: OperationNaming<Op>, soapAction: string | undefined): Op {
  const op = naming.operations.find((o) => naming.requestElement(o) === tag.local);
  if (tag.uri !== naming.namespace || op === undefined) {
    w.abort(finding('SOAP_OPERATION_UNKNOWN', { location: w.operationPath, value: `{${tag.uri}}${tag.local}`, line: w.line, column: w.column }));
  }
  if (soapAction !== undefined && soapAction !== naming.action(op)) {
    w.abort(
      finding('SOAP_ACTION_MISMATCH', {
        location: w.operationPath,
        value: soapAction,
        line: w.line,
        column: w.column,
        params: { detail: `${tag.local} (${naming.action(op)})` },
      }),
    );
  }
  return op;
}
