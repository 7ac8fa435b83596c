// Secrets never reach the audit log or webhook payloads: secret-looking fields are masked by name.
const SECRET_FIELD = /(secret|password|token|signingkey|authorization|cookie|private|credential|api[-_]?key)/i;
// Names that match the pattern but are not secrets: token *kinds* and ids (`tokenId` is a JWT's public
// `jti` or an opaque token's row id, never the token).
const ALLOWED = new Set(['tokenType', 'tokenFormat', 'token_type', 'issued_token_type', 'subject_token_type', 'actor_token_type', 'accessTokenTtl', 'blockIssuanceOnError', 'tokenId', 'jti']);

export const MASK = '******';

export function maskSecrets(value: unknown, depth = 0): unknown {
  if (depth > 12) return '[depth]';
  // PostgreSQL's text and jsonb cannot hold U+0000: an audit record must never fail on a string it carries.
  if (typeof value === 'string') return value.includes('\u0000') ? value.replaceAll('\u0000', '\uFFFD') : value;
  if (Array.isArray(value)) return value.map((v) => maskSecrets(v, depth + 1));
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [
        k,
        SECRET_FIELD.test(k) && !ALLOWED.has(k) && v !== null && v !== undefined && typeof v !== 'boolean'
          ? MASK
          : maskSecrets(v, depth + 1),
      ]),
    );
  }
  return value;
}
