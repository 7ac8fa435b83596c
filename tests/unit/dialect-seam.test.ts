// Services never branch on the database: every SQLite/PostgreSQL difference is named in server/db/dialect.
// A grep over server/services, so that a new `if (provider === ...)` or a dialect-only SQL construct
// cannot creep back into a service unnoticed.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const services = join(root, 'server', 'services');

/** What only the dialect may say: asking for the provider, naming one, or SQL only one database has. */
const FORBIDDEN: Array<[string, RegExp]> = [
  ['asks for the provider', /\b(dbProvider|providerOf)\b/],
  ['names a provider', /(['"`])(sqlite|postgres|postgresql)\1/i],
  ['uses a substring function of one database', /\b(instr|strpos)\b/i],
  ['reads JSON in one dialect', /json_extract|->>/i],
  ['takes a PostgreSQL lock', /pg_advisory|skip\s+locked/i],
  // Case-sensitive: our SQL keywords are upper case, and Logto's messages say `similar to` in words.
  ['uses PostgreSQL-only operators', /\bILIKE\b|\bSIMILAR\s+TO\b/],
  ['buckets time in one dialect', /extract\s*\(\s*epoch/i],
  ["calls SQLite's search functions", /\bsigil_(like|similar|regexp)\b/],
];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return /\.(ts|tsx|mts|mjs|js)$/.test(e.name) ? [path] : [];
  });
}

function violations(file: string, text: string): string[] {
  return text.split('\n').flatMap((line, i) =>
    FORBIDDEN.filter(([, re]) => re.test(line)).map(([what]) => `${file}:${i + 1} ${what}: ${line.trim()}`));
}

describe('the query seam', () => {
  it('recognises what it forbids', () => {
    // The checker itself: each pattern catches the code it was written against.
    const samples = [
      `if (dbProvider() === 'postgresql') await lock();`,
      `const position = pg ? 'strpos' : 'instr';`,
      `json_extract("payload", '$.hookId')`,
      `("payload"->>'hookId')`,
      `SELECT pg_advisory_xact_lock(1)`,
      `FOR UPDATE OF d SKIP LOCKED`,
      'Prisma.sql`${col} ILIKE ${first}`',
      'Prisma.sql`${col} SIMILAR TO ${first}`',
      `floor(extract(epoch from "createdAt") * 1000)`,
      'Prisma.sql`sigil_regexp(${col}, ${first}, 1)`',
      `const provider = providerOf(url);`,
    ];
    for (const line of samples) expect(violations('sample', line), line).not.toEqual([]);
    expect(violations('sample', `const term = contains(query.search); // SQLite serialises writers`)).toEqual([]);
  });

  it('no file under server/services mentions the database provider or dialect-only SQL', () => {
    const files = sources(services);
    expect(files.length).toBeGreaterThan(100);
    const found = files.flatMap((f) => violations(relative(root, f), readFileSync(f, 'utf8')));
    expect(found, 'say it in server/db/dialect instead').toEqual([]);
  });
});
