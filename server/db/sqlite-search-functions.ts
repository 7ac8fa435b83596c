// PostgreSQL has the pattern operators Logto's user search uses (LIKE / ILIKE, SIMILAR TO, POSIX `~` / `~*`);
// SQLite has none of them with case control. Each SQLite connection gets the same three as SQL functions,
// written over JavaScript regular expressions: `sigil_like(value, pattern, caseSensitive)`,
// `sigil_similar(value, pattern)` (always case-sensitive, as Logto requires) and
// `sigil_regexp(value, pattern, caseSensitive)`. Patterns arrive as bound parameters and are compiled once
// per distinct pattern; an invalid pattern matches nothing (the service validates it first).
import type { SqlDriverAdapterFactory } from '@prisma/driver-adapter-utils';

type SqliteHandle = { function(name: string, options: { deterministic: boolean }, fn: (...args: unknown[]) => unknown): void };

const cache = new Map<string, RegExp | null>();

function compiled(key: string, build: () => string, flags: string): RegExp | null {
  const id = `${flags}\u0000${key}`;
  let re = cache.get(id);
  if (re === undefined) {
    try {
      re = new RegExp(build(), flags);
    } catch {
      re = null;
    }
    if (cache.size > 500) cache.clear();
    cache.set(id, re);
  }
  return re;
}

const escapeRe = (c: string) => c.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');

/** SQL LIKE with `\` as escape: `%` any run, `_` one character, everything else literal. */
export function likeToRegExp(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) out += escapeRe(pattern[++i]!);
    else if (c === '%') out += '[\\s\\S]*';
    else if (c === '_') out += '[\\s\\S]';
    else out += escapeRe(c);
  }
  return `^(?:${out})$`;
}

/** SQL SIMILAR TO: LIKE's wildcards plus regular-expression operators; `.` is literal; matches the whole value. */
export function similarToRegExp(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) out += escapeRe(pattern[++i]!);
    else if (c === '%') out += '[\\s\\S]*';
    else if (c === '_') out += '[\\s\\S]';
    else if (c === '.' || c === '^' || c === '$') out += `\\${c}`;
    else out += c;
  }
  return `^(?:${out})$`;
}

const text = (v: unknown) => (typeof v === 'string' ? v : v === null || v === undefined ? null : String(v));
const truthy = (v: unknown) => v === 1 || v === 1n || v === true;

function register(client: SqliteHandle): void {
  const test = (re: RegExp | null, value: unknown) => {
    const s = text(value);
    return s !== null && re !== null && re.test(s) ? 1 : 0;
  };
  client.function('sigil_like', { deterministic: true }, (value, pattern, cs) =>
    test(compiled(String(pattern), () => likeToRegExp(String(pattern)), truthy(cs) ? 'u' : 'iu'), value));
  client.function('sigil_similar', { deterministic: true }, (value, pattern) =>
    test(compiled(String(pattern), () => similarToRegExp(String(pattern)), 'u'), value));
  client.function('sigil_regexp', { deterministic: true }, (value, pattern, cs) =>
    test(compiled(String(pattern), () => String(pattern), truthy(cs) ? '' : 'i'), value));
}

/** `factory` whose connections have the search functions. */
export function withSearchFunctions<T extends SqlDriverAdapterFactory>(factory: T): T {
  const connect = factory.connect.bind(factory);
  return Object.assign(factory, {
    connect: async () => {
      const adapter = await connect();
      const client = (adapter as unknown as { client?: SqliteHandle }).client;
      if (client && typeof client.function === 'function') register(client);
      return adapter;
    },
  });
}
