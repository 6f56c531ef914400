import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { RegistratieClient } from '../client/registratie-client.js';
import { loadP12, type P12Contents } from '../pki/pkcs12.js';

/** Options every command that calls the registry shares. */
export interface CallOptions {
  readonly p12: string;
  readonly password: string;
  readonly softwareId: string;
  readonly url?: string;
  readonly ca?: string;
  readonly mtls?: boolean;
}

export function addCallOptions(cmd: Command): Command {
  return cmd
    .requiredOption('--p12 <file>', 'your eHealth keystore (.p12 / .acc-p12, key alias "authentication")')
    .option('--password <password>', 'the keystore password (or VACCINNET_P12_PASSWORD)', process.env.VACCINNET_P12_PASSWORD)
    .requiredOption('--software-id <id>', 'your softwareID, registered in Vaccinnet (integrator_software)')
    .option('--url <url>', 'registry base URL (or VACCINNET_URL)', process.env.VACCINNET_URL ?? 'https://127.0.0.1:8443')
    .option('--ca <file>', 'CA certificate that issued the server certificate (default: the local development CA)')
    .option('--mtls', 'authenticate with the TLS client certificate instead of a WS-Security signature');
}

/** The development CA a local `npm start` created, so the CLI trusts the local server without extra flags. */
export function defaultCaFile(): string | undefined {
  const candidates = [process.env.VACCINNET_CA, path.resolve(process.env.VACCINNET_DATA_DIR ?? '.vaccinnet', 'pki', 'ca.cert.pem')];
  return candidates.find((f): f is string => !!f && existsSync(f));
}

export interface ClientContext {
  readonly client: RegistratieClient;
  /** SSIN and name from the certificate subject, for the KMEHR sender. */
  readonly ssin?: string;
  readonly name?: string;
}

/** The keystore's key pair, the registry's URL and the CA to trust, from the call options. */
export function callEndpoint(options: CallOptions): { readonly key: P12Contents; readonly baseUrl: string; readonly ca?: Buffer } {
  if (options.password === undefined) throw new UsageError('the keystore password is missing: --password or VACCINNET_P12_PASSWORD');
  if (!existsSync(options.p12)) throw new UsageError(`no such keystore: ${options.p12}`);
  const key = loadP12(readFileSync(options.p12), options.password);
  const caFile = options.ca ?? defaultCaFile();
  return { key, baseUrl: options.url ?? 'https://127.0.0.1:8443', ...(caFile && { ca: readFileSync(caFile) }) };
}

export function openClient(options: CallOptions): ClientContext {
  const { key, baseUrl, ca } = callEndpoint(options);
  const client = new RegistratieClient({ baseUrl, key, authentication: options.mtls ? 'mutual-tls' : 'signature', ...(ca && { ca }) });
  const subject = new X509Certificate(key.certificateDer).subject;
  const ssin = /SSIN=(\d{11})/.exec(subject)?.[1];
  const name = subject
    .split('\n')
    .find((l) => l.startsWith('OU=') && !/eHealth-platform|=\d/.test(l))
    ?.slice(3);
  return { client, ...(ssin && { ssin }), ...(name && { name }) };
}

/** A mistake in how the command was called: exit code 2 with the message, no stack trace. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
