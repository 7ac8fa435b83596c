// The signing algorithms Sigil offers. Logto's `EC` and `RSA` values map to their defaults.
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import { SIGNING_ALGORITHM_INPUTS, SIGNING_ALGORITHMS } from '../../schemas/signing-keys.ts';

export { SIGNING_ALGORITHM_INPUTS, SIGNING_ALGORITHMS };
export type SigningAlgorithm = (typeof SIGNING_ALGORITHMS)[number];
export type SigningAlgorithmInput = (typeof SIGNING_ALGORITHM_INPUTS)[number];

export const DEFAULT_SIGNING_ALGORITHM: SigningAlgorithm = 'EC-P256';

export function normalizeAlgorithm(input: SigningAlgorithmInput): SigningAlgorithm {
  if (input === 'EC') return 'EC-P256';
  if (input === 'RSA') return 'RSA-2048';
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
