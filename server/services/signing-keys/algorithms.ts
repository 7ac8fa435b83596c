// The signing algorithms Sigil offers. Logto's `EC` and `RSA` mean what Logto generates for them (P-384 and
// RSA 4096, packages/cli/src/commands/database/utils.ts), and its default, EC, is Sigil's default too.
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import { SIGNING_ALGORITHM_INPUTS, SIGNING_ALGORITHMS } from '../../schemas/signing-keys.ts';

export { SIGNING_ALGORITHM_INPUTS, SIGNING_ALGORITHMS };
export type SigningAlgorithm = (typeof SIGNING_ALGORITHMS)[number];
export type SigningAlgorithmInput = (typeof SIGNING_ALGORITHM_INPUTS)[number];

export const DEFAULT_SIGNING_ALGORITHM: SigningAlgorithm = 'EC-P384';

export function normalizeAlgorithm(input: SigningAlgorithmInput): SigningAlgorithm {
  if (input === 'EC') return 'EC-P384';
  if (input === 'RSA') return 'RSA-4096';
  return input;
}

const JWS_ALG: Record<SigningAlgorithm, string> = {
  'EC-P256': 'ES256',
  'EC-P384': 'ES384',
  'RSA-2048': 'RS256',
  'RSA-4096': 'RS256',
  Ed25519: 'EdDSA',
};

export function jwsAlg(algorithm: SigningAlgorithm): string {
  return JWS_ALG[algorithm];
}

/**
 * What discovery declares for a key whose JWS alg is `alg`: an RSA key also verifies PS256, which
 * oidc-provider (under Logto) declares for RSA keys; Logto's clients compare the list.
 */
export function declaredAlgs(alg: string): string[] {
  return alg === 'RS256' ? ['PS256', 'RS256'] : [alg];
}

/** Logto's `signingKeyAlgorithm` (the JWK key type); Ed25519 keys (OKP) have no Logto equivalent. */
export function logtoKeyType(algorithm: SigningAlgorithm): 'EC' | 'RSA' | undefined {
  if (algorithm.startsWith('EC-')) return 'EC';
  if (algorithm.startsWith('RSA-')) return 'RSA';
  return undefined;
}

export type GeneratedKey = { kid: string; alg: string; publicJwk: JWK; privateJwk: JWK };

export async function generateSigningKey(algorithm: SigningAlgorithm): Promise<GeneratedKey> {
  const alg = jwsAlg(algorithm);
  const options =
    algorithm === 'RSA-4096'
      ? { modulusLength: 4096, extractable: true }
      : algorithm === 'Ed25519'
        ? { crv: 'Ed25519', extractable: true }
        : { extractable: true };
  const { publicKey, privateKey } = await generateKeyPair(alg, options);
  const publicJwk = await exportJWK(publicKey);
  const privateJwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(publicJwk, 'sha256');
  return {
    kid,
    alg,
    publicJwk: { ...publicJwk, kid, alg, use: 'sig' },
    privateJwk: { ...privateJwk, kid, alg },
  };
}
