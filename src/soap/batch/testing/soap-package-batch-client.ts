import { readFileSync } from 'node:fs';
import * as soap from 'soap';
import { loadP12 } from '../../../pki/pkcs12.js';
import { KMEHR_NS } from '../../../contracts/namespaces.js';

export interface SoapDeliveryAnswer {
  readonly certificaatStatus?: boolean;
  readonly transactionId?: string;
  readonly foutCode?: string;
  readonly foutOmschrijving?: string;
}

export interface SoapId {
  readonly attributes: { readonly S: string; readonly SV?: string; readonly SL?: string };
  readonly $value: string;
}

export interface SoapTransactionResult {
  readonly id: readonly SoapId[];
  readonly resultCode: string;
  readonly resultTekst?: string;
}

export interface SoapFolderResult {
  readonly id: readonly SoapId[];
  readonly patient: string;
  readonly transaction: readonly SoapTransactionResult[];
}

export interface SoapResultAnswer {
  readonly folderResult?: readonly SoapFolderResult[];
  readonly foutCode?: string;
  readonly foutOmschrijving?: string;
}

export interface SoapPackageBatchClient {
  deliver(operation: 'Aanleveren' | 'Aanvulling', kmehrXml: string, pakket: string): Promise<SoapDeliveryAnswer>;
  result(requestId: string, gebruikersId: string): Promise<SoapResultAnswer>;
}

const asArray = <T>(x: T | readonly T[] | undefined): readonly T[] => (x === undefined ? [] : Array.isArray(x) ? (x as readonly T[]) : [x as T]);

/**
 * The independent client of the acceptance tests: the `soap` npm package built from the WSDL we serve, signing every
 * request with WS-Security (WSSecurityCert: BinarySecurityToken, Timestamp, RSA-SHA256) with a .p12's key.
 */
export async function soapPackageBatchClient(wsdlUrl: string, p12Path: string, password: string): Promise<SoapPackageBatchClient> {
  const p12 = loadP12(readFileSync(p12Path), password);
  const client = await soap.createClientAsync(wsdlUrl);
  client.setSecurity(new soap.WSSecurityCert(p12.privateKeyPem, p12.certificatePem, ''));
  return {
    async deliver(operation, kmehrXml, pakket) {
      // xs:any: the KMEHR goes in as raw XML under the KMEHR element; its children use the default namespace.
      const inner = kmehrXml
        .replace(/^<\?xml[^>]*\?>/, '')
        .replace(/^\s*<kmehrmessage[^>]*>/, '')
        .replace(/<\/kmehrmessage>\s*$/, '');
      const args = {
        extraInfo: { type: 'auth_eHealth_org', pakket },
        'kmehr:kmehrmessage': { attributes: { 'xmlns:kmehr': KMEHR_NS, xmlns: KMEHR_NS }, $xml: inner },
      };
      const method = operation === 'Aanleveren' ? client.AanleverenVaccinatieGegevensAsync : client.AanvullingVaccinatieGegevensAsync;
      const [answer] = (await method.call(client, args)) as [SoapDeliveryAnswer];
      return answer;
    },
    async result(requestId, gebruikersId) {
      const [answer] = (await client.ResultaatVerwerkingVaccinatieGegevensAsync({ requestId, gebruikersId })) as [Record<string, unknown>];
      if (answer.foutCode !== undefined) return answer as SoapResultAnswer;
      const folders = asArray(answer.folderResult as SoapFolderResult | SoapFolderResult[]).map((f) => ({
        ...f,
        id: asArray(f.id),
        transaction: asArray(f.transaction).map((t) => ({ ...t, id: asArray(t.id) })),
      }));
      return { folderResult: folders };
    },
  };
}
