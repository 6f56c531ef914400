import type { StatusEntry } from './status-entry.js';

/** Who is calling: signature, TLS client certificate, trust (identity.md §1-2). */
export const AUTH_CODES = {
  AUTH_NOT_AUTHENTICATED: {
    area: 'auth', severity: 'error', soap: 'call', http: 401, retry: false, rule: 'identity §1 (our choice)',
    text: {
      en: 'Not authenticated: no WS-Security X.509 signature and no TLS client certificate.',
      nl: 'Niet geauthenticeerd: geen WS-Security X.509-handtekening en geen TLS-clientcertificaat.',
      fr: 'Non authentifié : ni signature WS-Security X.509 ni certificat client TLS.',
    },
  },
  AUTH_SIGNATURE_INVALID: {
    area: 'auth', severity: 'error', soap: 'call', http: 401, retry: false, rule: 'WS-Security X.509 token profile',
    text: {
      en: 'The WS-Security signature is not valid: {detail}.',
      nl: 'De WS-Security-handtekening is ongeldig: {detail}.',
      fr: 'La signature WS-Security n\'est pas valide : {detail}.',
    },
  },
  AUTH_BODY_TAMPERED: {
    area: 'auth', severity: 'error', soap: 'call', http: 401, retry: false, rule: 'WS-Security X.509 token profile',
    text: {
      en: 'The digest of {location} does not match: the message was changed after signing.',
      nl: 'De digest van {location} klopt niet: het bericht werd gewijzigd na ondertekening.',
      fr: 'Le condensé de {location} ne correspond pas : le message a été modifié après signature.',
    },
  },
  AUTH_TIMESTAMP_INVALID: {
    area: 'auth', severity: 'error', soap: 'call', http: 401, retry: false, rule: 'WS-Security Timestamp (our choice: window)',
    text: {
      en: 'The WS-Security Timestamp is missing, expired or outside the freshness window: {detail}.',
      nl: 'De WS-Security-Timestamp ontbreekt, is verlopen of valt buiten het geldigheidsvenster: {detail}.',
      fr: 'Le Timestamp WS-Security est absent, expiré ou hors de la fenêtre de validité : {detail}.',
    },
  },
  AUTH_CERT_UNTRUSTED: {
    area: 'auth', severity: 'error', soap: 'call', http: 401, retry: false, rule: 'identity §1',
    text: {
      en: 'The certificate {value} is not issued by a trusted certificate authority.',
      nl: 'Het certificaat {value} is niet uitgegeven door een vertrouwde certificaatautoriteit.',
      fr: 'Le certificat {value} n\'est pas émis par une autorité de certification de confiance.',
    },
  },
  AUTH_CERT_EXPIRED: {
    area: 'auth', severity: 'error', soap: 'call', http: 401, retry: false, rule: 'identity §1',
    text: {
      en: 'The certificate {value} expired on {date}.',
      nl: 'Het certificaat {value} is verlopen op {date}.',
      fr: 'Le certificat {value} a expiré le {date}.',
    },
  },
  AUTH_CERT_NOT_YET_VALID: {
    area: 'auth', severity: 'error', soap: 'call', http: 401, retry: false, rule: 'identity §1',
    text: {
      en: 'The certificate {value} is not valid before {date}.',
      nl: 'Het certificaat {value} is pas geldig vanaf {date}.',
      fr: 'Le certificat {value} n\'est pas valide avant le {date}.',
    },
  },
  AUTH_CERT_REVOKED: {
    area: 'auth', severity: 'error', soap: 'call', http: 401, retry: false, rule: 'identity §1',
    text: {
      en: 'The certificate {value} has been revoked.',
      nl: 'Het certificaat {value} werd ingetrokken.',
      fr: 'Le certificat {value} a été révoqué.',
    },
  },
  AUTH_CERT_USAGE: {
    area: 'auth', severity: 'error', soap: 'call', http: 401, retry: false, rule: 'identity §1',
    text: {
      en: 'The certificate {value} may not be used for signing or client authentication.',
      nl: 'Het certificaat {value} mag niet gebruikt worden voor ondertekening of clientauthenticatie.',
      fr: 'Le certificat {value} ne peut pas servir à signer ni à authentifier un client.',
    },
  },
  AUTH_CERT_SUBJECT: {
    area: 'auth', severity: 'error', soap: 'call', http: 401, retry: false, rule: 'identity §2',
    text: {
      en: 'The certificate subject {value} does not have the eHealth shape (no identifier OU).',
      nl: 'Het onderwerp {value} van het certificaat heeft niet de eHealth-vorm (geen identificatie-OU).',
      fr: 'Le sujet {value} du certificat n\'a pas la forme eHealth (pas d\'OU identifiant).',
    },
  },
  AUTH_WRONG_SERVICE: {
    area: 'auth', severity: 'error', soap: 'call', http: 403, retry: false, rule: 'identity §1 (our choice)',
    text: {
      en: 'This {value} certificate may not use this service ({detail}).',
      nl: 'Een {value}-certificaat mag deze dienst niet gebruiken ({detail}).',
      fr: 'Un certificat {value} ne peut pas utiliser ce service ({detail}).',
    },
  },
  AUTH_CRL_EXPIRED: {
    area: 'auth', severity: 'error', soap: 'call', http: 503, retry: true, rule: 'identity §1 (our choice: revocation fails closed)',
    text: {
      en: 'The certificate {value} cannot be checked for revocation: the registry\'s revocation list of its CA was due to be renewed on {date}. Nothing was done; try again later — the registry operator has been alerted.',
      nl: 'Het certificaat {value} kan niet op intrekking gecontroleerd worden: de intrekkingslijst van zijn CA had op {date} vernieuwd moeten zijn. Er werd niets uitgevoerd; probeer later opnieuw — de beheerder van het register werd verwittigd.',
      fr: 'La révocation du certificat {value} ne peut pas être vérifiée : la liste de révocation de son AC devait être renouvelée le {date}. Rien n\'a été fait ; réessayez plus tard — l\'opérateur du registre a été alerté.',
    },
  },
  AUTH_IDENTITY_MISMATCH: {
    area: 'auth', severity: 'error', soap: 'call', http: 401, retry: false, rule: 'identity §1 (our choice: one caller identity)',
    text: {
      en: 'The TLS client certificate ({detail}) and the WS-Security signature ({value}) name different callers: sign with the certificate of the caller the TLS connection authenticates, or call without a TLS client certificate.',
      nl: 'Het TLS-clientcertificaat ({detail}) en de WS-Security-handtekening ({value}) noemen verschillende oproepers: onderteken met het certificaat van de oproeper die de TLS-verbinding authenticeert, of roep aan zonder TLS-clientcertificaat.',
      fr: 'Le certificat client TLS ({detail}) et la signature WS-Security ({value}) désignent des appelants différents : signez avec le certificat de l\'appelant authentifié par la connexion TLS, ou appelez sans certificat client TLS.',
    },
  },
  AUTH_SIGNATURE_REPLAYED: {
    area: 'auth', severity: 'error', soap: 'call', http: 401, retry: false, rule: 'WS-Security Timestamp (our choice: each signature accepted once)',
    text: {
      en: 'This signed request was already received (same ds:SignatureValue within its Timestamp window): sign every request anew, with a new wsu:Timestamp. A resent registration is recognised by its KMEHR ids.',
      nl: 'Dit ondertekende verzoek werd al ontvangen (dezelfde ds:SignatureValue binnen het Timestamp-venster): onderteken elk verzoek opnieuw, met een nieuwe wsu:Timestamp. Een opnieuw verzonden registratie wordt herkend aan haar KMEHR-id\'s.',
      fr: 'Cette requête signée a déjà été reçue (même ds:SignatureValue dans sa fenêtre de Timestamp) : signez chaque requête à nouveau, avec un nouveau wsu:Timestamp. Un enregistrement renvoyé est reconnu par ses identifiants KMEHR.',
    },
  },
} as const satisfies Record<string, StatusEntry>;
