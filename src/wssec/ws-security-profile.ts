/** Namespaces and algorithm URIs of the one WS-Security X.509 profile we sign and accept (identity.md §1). */
export const NS = Object.freeze({
  soap11: 'http://schemas.xmlsoap.org/soap/envelope/',
  wsse: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd',
  wsu: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd',
  ds: 'http://www.w3.org/2000/09/xmldsig#',
  ec: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  xml: 'http://www.w3.org/XML/1998/namespace',
});

export const ALG = Object.freeze({
  excC14n: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  envelopedSignature: 'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
  rsaSha256: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  sha256: 'http://www.w3.org/2001/04/xmlenc#sha256',
});

/**
 * Accepted signature methods → node:crypto digest. Only RSA-SHA256: the `soap` package's WSSecurityCert (1.13)
 * emits RSA-SHA256 with SHA-256 digests unless told otherwise, eHealth clients do the same, so SHA-1 is refused.
 */
export const SIGNATURE_METHODS: Readonly<Record<string, string>> = Object.freeze({ [ALG.rsaSha256]: 'sha256' });
export const DIGEST_METHODS: Readonly<Record<string, string>> = Object.freeze({ [ALG.sha256]: 'sha256' });

export const TOKEN_TYPE = Object.freeze({
  x509v3: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509v3',
  base64: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary',
});
