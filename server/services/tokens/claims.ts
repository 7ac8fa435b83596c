// Reserved claims: every registered JWT claim (RFC 7519 §4.1), the RFC 9068 / RFC 8693 / RFC 8705 ones,
// and whatever Sigil itself sets. A custom-claims script can add claims but never replace or remove these.
export const RESERVED_CLAIMS: ReadonlySet<string> = new Set([
  'iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'jti',
  'client_id', 'scope', 'scp', 'act', 'may_act', 'cnf', 'organization_id',
  'auth_time', 'acr', 'amr', 'azp', 'sid', 'nonce', 'at_hash', 'c_hash',
  'token_type', 'active', 'typ', 'kid', 'alg', 'gty',
]);

/** Merge custom claims under the reserved ones: the reserved value always wins, whatever the script returned. */
export function mergeClaims(reserved: Record<string, unknown>, custom: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!custom) return reserved;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(custom)) {
    if (!RESERVED_CLAIMS.has(k) && k !== '__proto__' && v !== undefined) out[k] = v;
  }
  return { ...out, ...reserved };
}
