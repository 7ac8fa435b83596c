// Small HTTP helpers shared by the bench servers and scenarios.
export const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

export const FORM = 'application/x-www-form-urlencoded';

/** Decodes a compact JWS without verifying it (the bench checks shape, not trust). */
export function decodeJwt(token: unknown): { header: Record<string, unknown>; payload: Record<string, unknown> } | undefined {
  if (typeof token !== 'string') return undefined;
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const part = (s: string) => JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as Record<string, unknown>;
    return { header: part(parts[0]!), payload: part(parts[1]!) };
  } catch {
    return undefined;
  }
}

export async function waitFor(what: string, deadlineMs: number, probe: () => Promise<boolean>, exited: Promise<never>): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    if (Date.now() > deadline) throw new Error(`${what} did not start within ${deadlineMs / 1000} s`);
    if (await Promise.race([probe().catch(() => false), exited])) return;
    await new Promise((r) => setTimeout(r, 200));
  }
}
