import { KMEHR_NS, SOAP11_NS, UPL_NS } from '../../contracts/namespaces.js';

export interface GeneratedDelivery {
  /** The SOAP request, in chunks of about 64 KB, produced lazily (never held whole in memory). */
  readonly chunks: () => AsyncGenerator<Buffer>;
  /** The KMEHR document the extractor must write, in pieces, for comparison (e.g. by hash). */
  readonly expectedKmehr: () => Generator<string>;
}

const ENVELOPE_OPEN =
  `<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="${SOAP11_NS}"><s:Header/><s:Body>` +
  `<upl:GetAanleverenVaccinatieGegevensRequest xmlns:upl="${UPL_NS}">` +
  '<upl:extraInfo><upl:type>auth_eHealth_org</upl:type><upl:pakket>DXC_VACCINNET_TEST</upl:pakket></upl:extraInfo>';
const ENVELOPE_CLOSE = '</upl:GetAanleverenVaccinatieGegevensRequest></s:Body></s:Envelope>';
const ROOT = `<kmehrmessage xmlns="${KMEHR_NS}">`;
// What the extractor writes for the root: the declarations inherited from the envelope first, then its own.
const ROOT_EXTRACTED = `<kmehrmessage xmlns:s="${SOAP11_NS}" xmlns:upl="${UPL_NS}" xmlns="${KMEHR_NS}">`;

function header(): string {
  return (
    '<header><standard><cd S="CD-STANDARD" SV="1.0">20120701</cd></standard><id S="ID-KMEHR" SV="1.0">1.1</id>' +
    '<date>2021-03-25</date><time>16:33:31</time><sender><hcparty><id S="LOCAL" SL="vaccinnet" SV="1.0">ORG1</id>' +
    '<cd S="CD-HCPARTY" SV="1.0">orghospital</cd><name>Test &amp; Co</name></hcparty></sender>' +
    '<recipient><hcparty><cd S="CD-HCPARTY" SV="1.0">orgpublichealth</cd><name>Vaccinnet</name></hcparty></recipient></header>'
  );
}

function folder(f: number, doses: number): string {
  let s =
    `<folder><id S="ID-KMEHR" SV="1.0">${f}</id><patient><id S="ID-PATIENT" SV="1.0">${String(85071412330 + f * 97).slice(0, 11)}</id>` +
    '<firstname>Jan</firstname><familyname>Peeters</familyname><birthdate><date>1985-07-14</date></birthdate>' +
    '<sex><cd S="CD-SEX" SV="1.0">male</cd></sex></patient>';
  for (let t = 1; t <= doses; t++) {
    s +=
      `<transaction><id S="ID-KMEHR" SV="1.0">${t}</id><id S="LOCAL" SL="org-uuid" SV="1.0">${f}-${t}</id>` +
      '<cd S="CD-TRANSACTION" SV="1.0">vaccination</cd><date>2021-03-25</date><time>10:00:00</time>' +
      '<author><hcparty><id S="ID-HCPARTY" SV="1.0">14700250004</id><cd S="CD-HCPARTY" SV="1.0">persphysician</cd>' +
      '<firstname>Veerle</firstname><familyname>Piessens</familyname></hcparty></author><iscomplete>true</iscomplete>' +
      '<isvalidated>true</isvalidated><item><id S="ID-KMEHR" SV="1.0">1</id><cd S="CD-ITEM" SV="1.0">vaccine</cd>' +
      '<content><medicinalproduct><intendedcd S="CD-DRUG-CNK" SV="01-2016">4293254</intendedcd>' +
      '<intendedname>Comirnaty</intendedname></medicinalproduct></content><content><cd S="CD-VACCINEINDICATION" SV="1.0">covid19</cd></content>' +
      `<beginmoment><date>2021-03-25</date></beginmoment><batch>LOT${t}</batch></item></transaction>`;
  }
  return `${s}</folder>`;
}

/**
 * A synthetic BatchUpload delivery of `folders` patients × `doses` vaccinations (~1.2 KB per vaccination), for
 * streaming tests and benchmarks. Plausible KMEHR shape, not meant to pass every rule.
 */
export function generateDelivery(folders: number, doses: number): GeneratedDelivery {
  function* kmehr(root: string): Generator<string> {
    yield root + header();
    for (let f = 1; f <= folders; f++) yield folder(f, doses);
    yield '</kmehrmessage>';
  }
  return {
    async *chunks(): AsyncGenerator<Buffer> {
      let pending = ENVELOPE_OPEN;
      for (const piece of kmehr(ROOT)) {
        pending += piece;
        if (pending.length >= 65536) {
          yield Buffer.from(pending, 'utf8');
          pending = '';
        }
      }
      yield Buffer.from(pending + ENVELOPE_CLOSE, 'utf8');
    },
    *expectedKmehr(): Generator<string> {
      yield '<?xml version="1.0" encoding="UTF-8"?>\n';
      yield* kmehr(ROOT_EXTRACTED);
    },
  };
}
