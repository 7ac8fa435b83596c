// Address policy for outbound requests made on behalf of admins (claim-script fetch, webhooks).
// `isBlockedAddress` answers "may Sigil connect to this IP when private networks are not allowed?".
// It fails closed: anything that does not parse as an IPv4 or IPv6 address is blocked.
import { isIPv4, isIPv6 } from 'node:net';

type V4Range = readonly [base: number, prefix: number, label: string];

const V4_BLOCKED: readonly V4Range[] = [
  [v4('0.0.0.0'), 8, 'this-network'],
  [v4('10.0.0.0'), 8, 'private'],
  [v4('100.64.0.0'), 10, 'cgnat'],
  [v4('127.0.0.0'), 8, 'loopback'],
  [v4('169.254.169.254'), 32, 'metadata'], // AWS/GCP/Azure/OpenStack instance metadata
  [v4('169.254.0.0'), 16, 'link-local'],
  [v4('172.16.0.0'), 12, 'private'],
  [v4('192.0.0.0'), 24, 'ietf-protocol'],
  [v4('192.0.2.0'), 24, 'documentation'],
  [v4('192.88.99.0'), 24, '6to4-relay'],
  [v4('192.168.0.0'), 16, 'private'],
  [v4('198.18.0.0'), 15, 'benchmarking'],
  [v4('198.51.100.0'), 24, 'documentation'],
  [v4('203.0.113.0'), 24, 'documentation'],
  [v4('224.0.0.0'), 4, 'multicast'],
  [v4('240.0.0.0'), 4, 'reserved'], // includes 255.255.255.255
  [v4('168.63.129.16'), 32, 'metadata'], // Azure platform endpoint
];

function v4(text: string): number {
  const parts = text.split('.').map(Number);
  return (((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0);
}

function v4InRange(addr: number, base: number, prefix: number): boolean {
  if (prefix === 0) return true;
  const mask = prefix === 32 ? 0xffffffff : (~((1 << (32 - prefix)) - 1)) >>> 0;
  return ((addr & mask) >>> 0) === ((base & mask) >>> 0);
}

function parseV4(text: string): number | null {
  if (!isIPv4(text)) return null;
  return v4(text);
}

/** Parses an IPv6 address (optionally with a zone id or embedded IPv4) into 8 groups of 16 bits. */
function parseV6(input: string): number[] | null {
  let text = input;
  const zone = text.indexOf('%');
  if (zone !== -1) text = text.slice(0, zone);
  if (!isIPv6(text)) return null;
  let tail: number[] = [];
  if (text.includes('.')) {
    const idx = text.lastIndexOf(':');
    const n = parseV4(text.slice(idx + 1));
    if (n === null) return null;
    tail = [n >>> 16, n & 0xffff];
    text = text.slice(0, idx + 1);
    if (!text.endsWith('::')) text = text.slice(0, -1);
  }
  const toNums = (s: string) => (s === '' ? [] : s.split(':').map((g) => (/^[0-9a-f]{1,4}$/i.test(g) ? parseInt(g, 16) : NaN)));
  let groups: number[];
  const dc = text.indexOf('::');
  if (dc !== -1) {
    const head = toNums(text.slice(0, dc));
    const rest = toNums(text.slice(dc + 2));
    const fill = 8 - head.length - rest.length - tail.length;
    if (fill < 0) return null;
    groups = [...head, ...new Array<number>(fill).fill(0), ...rest, ...tail];
  } else {
    groups = [...toNums(text), ...tail];
  }
  if (groups.length !== 8 || groups.some((g) => !Number.isInteger(g) || g < 0 || g > 0xffff)) return null;
  return groups;
}

function v4Blocked(addr: number): string | null {
  for (const [base, prefix, label] of V4_BLOCKED) if (v4InRange(addr, base, prefix)) return label;
  return null;
}

function v6Blocked(g: number[]): string | null {
  const [g0, g1, g2, g3, g4, g5, g6, g7] = g as [number, number, number, number, number, number, number, number];
  const embedded = ((g6 << 16) | g7) >>> 0;
  const firstFiveZero = g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0;
  if (firstFiveZero && g5 === 0) {
    // ::, ::1 and the deprecated IPv4-compatible form ::a.b.c.d
    if (g6 === 0 && (g7 === 0 || g7 === 1)) return g7 === 0 ? 'unspecified' : 'loopback';
    return v4Blocked(embedded) ?? 'ipv4-compatible';
  }
  if (firstFiveZero && g5 === 0xffff) return v4Blocked(embedded); // ::ffff:a.b.c.d (IPv4-mapped)
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0xffff && g5 === 0) return v4Blocked(embedded) ?? 'ipv4-translated';
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return v4Blocked(embedded); // NAT64 well-known
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 1) return 'nat64-local';
  if (g0 === 0x100 && g1 === 0 && g2 === 0 && g3 === 0) return 'discard';
  if (g0 === 0x2001 && g1 < 0x200) return 'ietf-protocol'; // 2001::/23, includes Teredo 2001::/32
  if (g0 === 0x2001 && g1 === 0xdb8) return 'documentation';
  if (g0 === 0x2002) return v4Blocked(((g1 << 16) | g2) >>> 0); // 6to4 embeds an IPv4 address
  if ((g0 & 0xfff0) === 0x3ff0 && g0 <= 0x3fff) return 'documentation'; // 3fff::/20
  if (g0 === 0xfd00 && g1 === 0xec2 && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0 && g6 === 0 && g7 === 0x254) return 'metadata';
  if ((g0 & 0xfe00) === 0xfc00) return 'unique-local'; // fc00::/7
  if ((g0 & 0xffc0) === 0xfe80) return 'link-local';
  if ((g0 & 0xffc0) === 0xfec0) return 'site-local';
  if ((g0 & 0xff00) === 0xff00) return 'multicast';
  return null;
}

/** Why an address is blocked (e.g. "loopback"), or null when it is a public unicast address. */
export function blockedReason(ip: string): string | null {
  const a4 = parseV4(ip);
  if (a4 !== null) return v4Blocked(a4);
  const a6 = parseV6(ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip);
  if (a6 !== null) return v6Blocked(a6);
  return 'invalid';
}

/** True when `ip` is not a public unicast address (loopback, private, link-local, metadata, ...). */
export function isBlockedAddress(ip: string): boolean {
  return blockedReason(ip) !== null;
}
