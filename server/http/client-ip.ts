// The client's IP, decided in one place for every front:
// - behind a trusted reverse proxy (SIGIL_TRUST_PROXY, on by default on Vercel): the first X-Forwarded-For hop;
// - in the console process the self-hosted server starts: the IP the protocol process passes on, believed only
//   with the per-boot token that process shares with it (nobody else can set it);
// - otherwise the socket's address; a Next route handler has no socket, but `next start` sets X-Forwarded-For
//   from it when the client sent none, so there the last hop is the best we know.
import { timingSafeEqual } from 'node:crypto';
import { env } from '../env.ts';

export const CLIENT_IP_HEADER = 'x-sigil-client-ip';
export const PROXY_TOKEN_HEADER = 'x-sigil-proxy-token';

type Header = (name: string) => string | null | undefined;

export function clientIp(header: Header, socketIp: string | null | undefined): string | null {
  const config = env();
  if (config.trustProxy) {
    const first = header('x-forwarded-for')?.split(',')[0]?.trim();
    if (first) return first;
  }
  if (config.internalToken && sameToken(header(PROXY_TOKEN_HEADER), config.internalToken)) {
    return header(CLIENT_IP_HEADER) || null;
  }
  if (socketIp) return socketIp;
  return header('x-forwarded-for')?.split(',').map((hop) => hop.trim()).filter(Boolean).at(-1) ?? null;
}

function sameToken(given: string | null | undefined, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
