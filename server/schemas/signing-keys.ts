// Signing keys on the wire: Logto's `GET/POST/DELETE /api/configs/oidc/private-keys` shapes, plus Sigil's
// finer algorithm choices. Never any key material.
import { z } from 'zod';
import { epochMs, id } from './common.ts';

export const SIGNING_KEY_STATUSES = ['Next', 'Current', 'Previous'] as const;
export const signingKeyStatus = z.enum(SIGNING_KEY_STATUSES);
export type SigningKeyStatus = z.infer<typeof signingKeyStatus>;

export const SIGNING_ALGORITHMS = ['EC-P256', 'EC-P384', 'RSA-2048', 'RSA-4096', 'Ed25519'] as const;
/** Values accepted on the wire: Logto's `EC` and `RSA` plus the finer choices. */
export const SIGNING_ALGORITHM_INPUTS = ['EC', 'RSA', ...SIGNING_ALGORITHMS] as const;

/** Longest grace period a rotation accepts: 30 days, in seconds. */
export const MAX_ROTATION_GRACE_PERIOD = 30 * 24 * 3600;

export const signingKeyRotate = z.object({
  /** Omitted: the Current key's algorithm (a rotation never silently changes what resource servers must accept). */
  signingKeyAlgorithm: z.enum(SIGNING_ALGORITHM_INPUTS).optional(),
  /**
   * Seconds the new key is published in JWKS before it signs. 0 (default): it signs at once, as Logto's
   * immediate rotation.
   */
  rotationGracePeriod: z.number().int().min(0).max(MAX_ROTATION_GRACE_PERIOD).optional(),
});
export type SigningKeyRotate = z.infer<typeof signingKeyRotate>;

export const signingKeyResponse = z.object({
  id,
  status: signingKeyStatus,
  /** Logto's field: the key type, `EC` or `RSA`; absent for Ed25519 (key type OKP, unknown to Logto). */
  signingKeyAlgorithm: z.enum(['EC', 'RSA']).optional(),
  /** Sigil: the exact algorithm, as accepted by rotate. */
  algorithm: z.enum(SIGNING_ALGORITHMS),
  /** Sigil: the JWS `alg` its tokens carry. */
  alg: z.string(),
  /** Epoch seconds, as Logto's private keys (its `createdAt` here is not milliseconds). */
  createdAt: z.number().int(),
  /** Epoch milliseconds when the key starts (Next) or started (Current, Previous) signing. */
  effectiveAt: epochMs,
  /** Sigil: epoch milliseconds when a Previous key stopped signing. */
  retiredAt: epochMs.optional(),
});
export type SigningKeyResponse = z.infer<typeof signingKeyResponse>;

export const signingKeyIdParam = z.object({ keyId: id });
