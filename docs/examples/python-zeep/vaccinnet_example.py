#!/usr/bin/python3
"""Vaccinnet from Python with zeep 4 and xmlsec: both SOAP services, mutual TLS and a WS-Security signature.

A doctor registers a vaccination (RegistratieService AddVaccinations) and reads it back (GetVaccinations); an
organisation delivers a batch (BatchUpload AanleverenVaccinatieGegevens) and fetches its per-vaccination result
(ResultaatVerwerkingVaccinatieGegevens). The clients are built from the WSDLs the registry serves (`<endpoint>?wsdl`).

Every request goes over mutual TLS (the caller's certificate and key as PEM files) AND carries a WS-Security X.509
signature made with the same key: BinarySecurityToken, Timestamp, Signature over Body and Timestamp (exclusive C14N,
RSA-SHA256, SHA-256 digests), as docs/soap.md describes. The registry takes the caller's identity from them; they
must name the same certificate subject.

Defaults are the demo profiles of `vaccinnet serve --demo` (see README.md in this folder). Exit code 0 when every
call was accepted, 1 otherwise. Debian packages: python3-zeep python3-xmlsec (run with /usr/bin/python3).
"""

import argparse
import datetime
import os
import sys
import time
import uuid
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

import requests
import xmlsec
from lxml import etree
from zeep import Client
from zeep.transports import Transport
from zeep.wsse import utils
from zeep.wsse.signature import BinarySignature

KMEHR_NS = "http://www.ehealth.fgov.be/standards/kmehr/schema/v1"
REGISTRATIE_PATH = "/VaccinnetUPL/wupl/VaccinationService-2_1"
BATCH_PATH = "/VaccinnetUPL/wupl/UPLVaccinatieGegevens"
BRUSSELS = ZoneInfo("Europe/Brussels")
ACCEPTED = ("OK", "OK_WITH_WARNINGS")


class SignOnlyBinarySignature(BinarySignature):
    """zeep's BinarySignature with the profile the registry accepts, for requests only.

    - A wsu:Timestamp (Created, Expires) is added to the Security header before signing: zeep signs a Timestamp it
      finds there, but does not add one, and the registry refuses a signature without it (AUTH_TIMESTAMP_INVALID).
    - RSA-SHA256 and SHA-256 digests: zeep's default is RSA-SHA1, which the registry refuses.
    - verify() does nothing: the registry's replies are not signed (the TLS server certificate authenticates them),
      and zeep 4 otherwise tries to verify every reply with the signing certificate and raises
      SignatureVerificationFailed on a reply without a Security header.
    """

    def __init__(self, key_file, cert_file, ttl_seconds=300):
        super().__init__(
            key_file,
            cert_file,
            signature_method=xmlsec.Transform.RSA_SHA256,
            digest_method=xmlsec.Transform.SHA256,
        )
        self.ttl_seconds = ttl_seconds

    def apply(self, envelope, headers):
        security = utils.get_security_header(envelope)
        created = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
        expires = created + datetime.timedelta(seconds=self.ttl_seconds)
        timestamp = utils.WSU.Timestamp(
            utils.WSU.Created(created.isoformat().replace("+00:00", "Z")),
            utils.WSU.Expires(expires.isoformat().replace("+00:00", "Z")),
        )
        security.append(timestamp)
        return super().apply(envelope, headers)

    def verify(self, envelope):
        return envelope


class DumpingTransport(Transport):
    """A Transport that also writes every request as sent (signed) to a folder, to inspect it or check its
    signature with xmlsec1. zeep's plugins see the envelope before the signature is added, so this is done here."""

    count = 0  # numbers the files over both clients, in the order sent

    def __init__(self, folder, **kwargs):
        super().__init__(**kwargs)
        self.folder = folder

    def post_xml(self, address, envelope, headers):
        DumpingTransport.count += 1
        action = headers.get("SOAPAction", "").strip('"').rsplit(":", 1)[-1] or "request"
        name = os.path.join(self.folder, f"{DumpingTransport.count:02d}-{action}.xml")
        with open(name, "wb") as f:
            f.write(etree.tostring(envelope, xml_declaration=True, encoding="UTF-8"))
        return super().post_xml(address, envelope, headers)


DUMP = None


def client_for(base_url, path, cert_file, key_file, ca_file, sign=True):
    """A zeep client for one service: WSDL from the registry, mutual TLS with `cert_file`/`key_file`, signed requests."""
    session = requests.Session()
    session.cert = (cert_file, key_file)  # mutual TLS: the registry asks for a client certificate
    session.verify = ca_file  # the CA that issued the registry's TLS certificate (the development CA in the demo)
    # requests lets REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE from the environment win over session.verify (many systems
    # set them): the call would then check the registry against the public CAs and fail with
    # CERTIFICATE_VERIFY_FAILED. Not taking settings from the environment keeps `ca_file` in force (and no proxy).
    session.trust_env = False
    options = dict(session=session, timeout=60, operation_timeout=60)
    transport = DumpingTransport(DUMP, **options) if DUMP else Transport(**options)
    wsse = SignOnlyBinarySignature(key_file, cert_file) if sign else None
    return Client(f"{base_url}{path}?wsdl", transport=transport, wsse=wsse)


def now_in_brussels():
    return datetime.datetime.now(BRUSSELS)


def registration_kmehr(args, administered):
    """One dose as a doctor's software sends it: the doctor as sender and author, one folder, one transaction."""
    now = now_in_brussels()
    doctor = (
        f'<hcparty><id S="ID-HCPARTY" SV="1.0">{escape(args.nihii)}</id>'
        f'<id S="INSS" SV="1.0">{escape(args.ssin)}</id>'
        f'<cd S="CD-HCPARTY" SV="1.0">persphysician</cd><name>{escape(args.doctor_name)}</name></hcparty>'
    )
    return (
        f'<kmehrmessage xmlns="{KMEHR_NS}"><header>'
        '<standard><cd S="CD-STANDARD" SV="1.0">20120701</cd></standard>'
        # A message id of its own for every message: the registry takes the same ids again as a replay.
        f'<id S="ID-KMEHR" SV="1.0">{escape(args.nihii)}.{int(time.time() * 1000)}</id>'
        f'<date>{now:%Y-%m-%d}</date><time>{now:%H:%M:%S}</time>'
        f"<sender>{doctor}</sender>"
        '<recipient><hcparty><cd S="CD-HCPARTY" SV="1.0">orgpublichealth</cd><name>VAZG</name></hcparty></recipient>'
        '</header><folder><id S="ID-KMEHR" SV="1.0">1</id>'
        f"{patient_xml(args)}"
        '<transaction><id S="ID-KMEHR" SV="1.0">1</id><cd S="CD-TRANSACTION" SV="1.0">vaccination</cd>'
        f"<date>{now:%Y-%m-%d}</date><time>{now:%H:%M:%S}</time><author>{doctor}</author>"
        "<iscomplete>true</iscomplete><isvalidated>true</isvalidated>"
        f"{vaccine_item_xml(args, administered)}"
        "</transaction></folder></kmehrmessage>"
    )


def patient_xml(args):
    return (
        f'<patient><id S="ID-PATIENT" SV="1.0">{escape(args.patient)}</id>'
        f"<firstname>{escape(args.patient_firstname)}</firstname><familyname>{escape(args.patient_familyname)}</familyname>"
        f"<birthdate><date>{escape(args.patient_birthdate)}</date></birthdate>"
        f'<sex><cd S="CD-SEX" SV="1.0">{escape(args.patient_sex)}</cd></sex></patient>'
    )


def vaccine_item_xml(args, administered):
    """The vaccine by CNK with its package name (the KMEHR XSD needs both), its indication and ATC code."""
    return (
        '<item><id S="ID-KMEHR" SV="1.0">1</id><cd S="CD-ITEM" SV="1.0">vaccine</cd>'
        f'<content><medicinalproduct><intendedcd S="CD-DRUG-CNK" SV="1.0">{escape(args.cnk)}</intendedcd>'
        f"<intendedname>{escape(args.product_name)}</intendedname></medicinalproduct></content>"
        f'<content><cd S="CD-VACCINEINDICATION" SV="1.0">{escape(args.indication)}</cd>'
        f'<cd S="CD-ATC" SV="1.0">{escape(args.atc)}</cd></content>'
        f"<beginmoment><date>{administered}</date></beginmoment>"
        '<lifecycle><cd S="CD-LIFECYCLE" SV="1.0">administrated</cd></lifecycle>'
        "<quantity><decimal>1</decimal></quantity>"
        # The lot (batch) is required for COVID-19 vaccines; without --lot the registry refuses the dose.
        f"{f'<batch>{escape(args.lot)}</batch>' if args.lot else ''}</item>"
    )


def batch_kmehr(args, administered, local_id):
    """A BatchUpload delivery: the organisation (with its Vaccinnet user code) as sender, its responsible doctor as
    author, every transaction with a LOCAL id of the sender's own (the result names it)."""
    now = now_in_brussels()
    return (
        f'<kmehrmessage xmlns="{KMEHR_NS}"><header>'
        '<standard><cd S="CD-STANDARD" SV="1.0">20161201</cd></standard>'
        f'<id S="ID-KMEHR" SV="1.0">{escape(args.org_nihii)}.{int(time.time() * 1000)}</id>'
        f"<date>{now:%Y-%m-%d}</date><time>{now:%H:%M:%S}</time>"
        f'<sender><hcparty><id S="LOCAL" SV="1.0" SL="VACCINNET-USER">{escape(args.user_code)}</id>'
        f'<id S="ID-HCPARTY" SV="1.0">{escape(args.org_nihii)}</id>'
        f'<cd S="CD-HCPARTY" SV="1.0">orghospital</cd><name>{escape(args.org_name)}</name></hcparty></sender>'
        '<recipient><hcparty><cd S="CD-HCPARTY" SV="1.0">orgpublichealth</cd><name>VAZG</name></hcparty></recipient>'
        '</header><folder><id S="ID-KMEHR" SV="1.0">1</id>'
        f"{patient_xml(args)}"
        '<transaction><id S="ID-KMEHR" SV="1.0">1</id>'
        f'<id S="LOCAL" SV="1.0" SL="UUID">{local_id}</id><cd S="CD-TRANSACTION" SV="1.0">vaccination</cd>'
        f"<date>{now:%Y-%m-%d}</date><time>{now:%H:%M:%S}</time>"
        f'<author><hcparty><id S="ID-HCPARTY" SV="1.0">{escape(args.responsible_nihii)}</id>'
        '<cd S="CD-HCPARTY" SV="1.0">persphysician</cd><firstname>Responsible</firstname>'
        "<familyname>Doctor</familyname></hcparty></author>"
        "<iscomplete>true</iscomplete><isvalidated>true</isvalidated>"
        f"{vaccine_item_xml(args, administered)}"
        "</transaction></folder></kmehrmessage>"
    )


def masked(insz):
    """INSZ numbers are personal data: never printed in full."""
    return insz[:6] + "*****" if len(insz) == 11 else "***"


def registratie(args, administered):
    """AddVaccinations, then GetVaccinations; True when both were accepted and the dose is read back."""
    client = client_for(args.url, REGISTRATIE_PATH, args.doctor_cert, args.doctor_key, args.ca, sign=not args.no_sign)
    kmehr = registration_kmehr(args, administered).encode("utf-8")
    # Base64EncodedKmehrmessage is xs:base64Binary: zeep base64-encodes the bytes it is given.
    added = client.service.AddVaccinations(
        SoftwareId=args.software_id,
        PatientId=args.patient,
        Base64EncodedKmehrmessage=[{"_value_1": kmehr}],
    )
    print(f"AddVaccinations: {added.Status.Code} — {added.Status.Message}")
    results = added.Results or []
    vaccination_id = None
    for result in results:
        status = result.Status.Code if result.Status is not None else added.Status.Code
        if result.VaccinationId is not None:
            vaccination_id = result.VaccinationId._value_1
        print(f"  message {result.KmehrId}: {status}, VaccinationId {vaccination_id}")
    if added.Status.Code not in ACCEPTED or vaccination_id is None:
        return False

    read = client.service.GetVaccinations(SoftwareId=args.software_id, PatientId=args.patient)
    print(f"GetVaccinations: {read.Status.Code} — {read.Status.Message}")
    if read.Status.Code not in ACCEPTED or read.Base64EncodedKmehr is None:
        return False
    # zeep already decoded xs:base64Binary into bytes: the patient's KMEHR history.
    history = etree.fromstring(read.Base64EncodedKmehr)
    # Each transaction carries the registry's VaccinationId as a LOCAL id (docs/soap.md).
    ids = history.xpath("//k:transaction/k:id[@S='LOCAL' and @SL='vaccinnet-vaccinationid']/text()", namespaces={"k": KMEHR_NS})
    found = vaccination_id in ids
    print(f"  {len(history.xpath('//k:transaction', namespaces={'k': KMEHR_NS}))} vaccination(s) of {masked(args.patient)}; "
          f"VaccinationId {vaccination_id} {'read back' if found else 'NOT FOUND'}")
    return found


def batch_upload(args, administered):
    """AanleverenVaccinatieGegevens, then ResultaatVerwerkingVaccinatieGegevens until the delivery is processed."""
    client = client_for(args.url, BATCH_PATH, args.org_cert, args.org_key, args.ca, sign=not args.no_sign)
    local_id = str(uuid.uuid4())
    kmehr = etree.fromstring(batch_kmehr(args, administered, local_id).encode("utf-8"))
    # The KMEHR message is the request's xs:any (exactly one element of the KMEHR namespace): zeep takes it as an
    # lxml element in `_value_1`.
    delivered = client.service.AanleverenVaccinatieGegevens(
        extraInfo={"type": "auth_eHealth_org", "pakket": args.org_software_id},
        _value_1=kmehr,
    )
    if getattr(delivered, "transactionId", None) is None:
        print(f"AanleverenVaccinatieGegevens: refused {delivered.foutCode} — {delivered.foutOmschrijving}")
        return False
    transaction_id = delivered.transactionId
    print(f"AanleverenVaccinatieGegevens: accepted, transaction id {transaction_id}")

    deadline = time.monotonic() + args.batch_timeout
    delay = 0.5
    while True:
        result = client.service.ResultaatVerwerkingVaccinatieGegevens(requestId=transaction_id, gebruikersId=args.user_code)
        fout = getattr(result, "foutCode", None)
        if fout != "BATCH_NOT_PROCESSED":
            break
        if time.monotonic() + delay > deadline:
            print(f"ResultaatVerwerkingVaccinatieGegevens: still {fout} after {args.batch_timeout} s")
            return False
        time.sleep(delay)
        delay = min(delay * 2, 10)
    if fout is not None:
        print(f"ResultaatVerwerkingVaccinatieGegevens: refused {fout} — {result.foutOmschrijving}")
        return False
    accepted = refused = 0
    for folder in result.folderResult:
        for transaction in folder.transaction:
            local = next((i._value_1 for i in transaction.id if i.S == "LOCAL"), "?")
            print(f"  {masked(folder.patient)}  {local}  {transaction.resultCode}  {transaction.resultTekst or ''}".rstrip())
            if transaction.resultCode in ACCEPTED:
                accepted += 1
            else:
                refused += 1
    print(f"ResultaatVerwerkingVaccinatieGegevens: {accepted} accepted, {refused} refused")
    return refused == 0 and accepted > 0


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--url", default="https://127.0.0.1:8443", help="registry base URL")
    p.add_argument("--ca", required=True, help="PEM of the CA that issued the registry's TLS certificate")
    p.add_argument("--no-sign", action="store_true", help="mutual TLS only, no WS-Security signature")
    p.add_argument("--only", choices=("registratie", "batch"), help="call one service only")
    p.add_argument("--dump-requests", metavar="DIR", help="write every request as sent (signed) into DIR")
    doctor = p.add_argument_group("RegistratieService: the doctor (demo: Dr. An Peeters)")
    doctor.add_argument("--doctor-cert", help="the doctor's certificate (PEM)")
    doctor.add_argument("--doctor-key", help="the doctor's private key (PEM, unencrypted)")
    doctor.add_argument("--software-id", default="taktik_medispring")
    doctor.add_argument("--nihii", default="14700250004", help="the doctor's NIHII-11")
    doctor.add_argument("--ssin", default="70031510167", help="the doctor's SSIN (as in the certificate)")
    doctor.add_argument("--doctor-name", default="An Peeters")
    org = p.add_argument_group("BatchUpload: the organisation (demo: AZ Groeninge)")
    org.add_argument("--org-cert", help="the organisation's certificate (PEM)")
    org.add_argument("--org-key", help="the organisation's private key (PEM, unencrypted)")
    org.add_argument("--org-software-id", default="dxc_vaccinnet_azgroeninge")
    org.add_argument("--user-code", default="AZGRON01", help="the organisation's Vaccinnet user code")
    org.add_argument("--org-nihii", default="71000436")
    org.add_argument("--org-name", default="AZ GROENINGE")
    org.add_argument("--responsible-nihii", default="17654394001", help="NIHII-11 of the responsible doctor")
    org.add_argument("--batch-timeout", type=float, default=120, help="seconds to wait for the batch result")
    dose = p.add_argument_group("the dose (demo patient Emma Willems, COVID-19 Comirnaty)")
    dose.add_argument("--patient", default="06070500252", help="the patient's INSZ")
    dose.add_argument("--patient-firstname", default="Emma")
    dose.add_argument("--patient-familyname", default="Willems")
    dose.add_argument("--patient-birthdate", default="2006-07-05")
    dose.add_argument("--patient-sex", default="female")
    dose.add_argument("--cnk", default="4293254", help="CNK of the vaccine package")
    dose.add_argument("--product-name", default="Comirnaty (1 dosis)")
    dose.add_argument("--indication", default="covid19", help="CD-VACCINEINDICATION")
    dose.add_argument("--atc", default="J07BX03")
    dose.add_argument("--lot", default="FK1234")
    args = p.parse_args(argv)
    global DUMP
    if args.dump_requests:
        os.makedirs(args.dump_requests, exist_ok=True)
        DUMP = args.dump_requests

    administered = (now_in_brussels() - datetime.timedelta(days=1)).strftime("%Y-%m-%d")
    ok = True
    if args.only in (None, "registratie"):
        if not (args.doctor_cert and args.doctor_key):
            p.error("--doctor-cert and --doctor-key are needed for RegistratieService")
        ok = registratie(args, administered) and ok
    if args.only in (None, "batch"):
        if not (args.org_cert and args.org_key):
            p.error("--org-cert and --org-key are needed for BatchUpload")
        # Another day than the doctor's dose: the same product on the same day for the same person would be a
        # probable duplicate of it.
        ok = batch_upload(args, (now_in_brussels() - datetime.timedelta(days=2)).strftime("%Y-%m-%d")) and ok
    print("all calls accepted" if ok else "some calls were refused")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
