// The PKI module's public surface: test CA, keystores, trust store, certificate verification.
export { CertificateVerifier, createCertificateVerifier } from './certificate-verifier.js';
export type { CertificateVerifierOptions, VerifyResult } from './certificate-verifier.js';
export { ensureServerCertificate, ensureTestCa } from './dev-pki.js';
export { IDENTIFIER_LENGTHS, ehealthSubject, formatSubject, identityFromSubject } from './ehealth-subject.js';
export type { SubjectAttribute, SubjectSpec } from './ehealth-subject.js';
export { P12_ALIAS, createP12, loadP12 } from './pkcs12.js';
export type { P12Contents, P12Input } from './pkcs12.js';
export { generateRsaKeyPem } from './rsa-keys.js';
export { normaliseSerial } from './serial.js';
export { TestCa, p12BaseName } from './test-ca.js';
export type { IndexEntry, IssueOptions, IssuedCertificate, ServerCertificate } from './test-ca.js';
export { TrustStore } from './trust-store.js';
export type { TrustStoreOptions, TrustedAuthority } from './trust-store.js';
