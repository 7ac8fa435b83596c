// Running a script against sample inputs without saving it (POST /api/configs/jwt-customizer/test and the
// console playground). Same sandbox worker pool and limits as issuance, in a fresh context each time
// (no warm context, no circuit breaker): a looping test costs one worker for its time limit, never the
// server's event loop. Failures come back with environment variable values redacted, as in the audit
// log. Nothing is stored or audited.
import { env } from '../../env.ts';
import type { JwtCustomizerTest, JwtCustomizerTokenType, ScriptFailureKind } from '../../schemas/jwt-customizer.ts';
import { runClaimsScript } from '../sandbox/index.ts';
import { mergeClaims, RESERVED_CLAIMS } from '../tokens/claims.ts';

export type TestRunResult =
  | { ok: true; claims: Record<string, unknown>; durationMs: number }
  | { ok: false; kind: ScriptFailureKind; message: string; line?: number; column?: number; durationMs: number };

export async function testJwtCustomizer(input: JwtCustomizerTest): Promise<TestRunResult> {
  return runClaimsScript({
    script: input.script,
    token: input.token,
    context: input.context ?? {},
    environmentVariables: input.environmentVariables ?? {},
    limits: { fetch: { allowPrivateNetworks: env().allowPrivateOutbound } },
  });
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

/**
 * The payload the token would carry, for the playground: the reserved claims Sigil would set for a token
 * like the sample (values it cannot know, such as `iat`, are illustrative), with the script's claims merged
 * under them exactly as at issuance. `ignored` lists the script's keys the token does not take.
 */
export function previewToken(tokenType: JwtCustomizerTokenType, token: Record<string, unknown>, claims: Record<string, unknown>, now = Date.now()): { payload: Record<string, unknown>; reserved: string[]; ignored: string[] } {
  const iat = Math.floor(now / 1000);
  const clientId = str(token.clientId) ?? 'sample-client-id';
  const sub = tokenType === 'client-credentials' ? clientId : (str(token.accountId) ?? 'sample-user-id');
  const aud = typeof token.aud === 'string' || Array.isArray(token.aud) ? token.aud : 'https://api.example.com';
  const scope = str(token.scope);
  const reserved: Record<string, unknown> = {
    jti: str(token.jti) ?? 'sample-jti',
    sub,
    iat,
    exp: iat + 3600,
    ...(scope ? { scope } : {}),
    client_id: clientId,
    iss: env().issuer,
    aud,
  };
  const payload = mergeClaims(reserved, claims);
  const ignored = Object.keys(claims).filter((k) => RESERVED_CLAIMS.has(k) || k === '__proto__' || claims[k] === undefined);
  return { payload, reserved: Object.keys(reserved), ignored };
}
