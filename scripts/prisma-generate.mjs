// Renders prisma/models.prisma (the one data model) into one schema per provider and generates a
// Prisma client for each. Runs on `npm install` (postinstall). The Prisma CLI wants a native
// schema-engine binary it cannot download here; `generate` itself only needs WebAssembly, so any
// existing executable satisfies the check (see README: "Migrations without engine binaries").
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const models = readFileSync(join(root, 'prisma/models.prisma'), 'utf8');

export const providers = ['sqlite', 'postgresql'];

export function renderSchema(provider) {
  return `// GENERATED from prisma/models.prisma by scripts/prisma-generate.mjs. Do not edit.
generator client {
  provider     = "prisma-client"
  output       = "../../server/db/generated/${provider}"
  moduleFormat = "esm"
}

datasource db {
  provider = "${provider}"
}

${models}`;
}

for (const provider of providers) {
  const dir = join(root, 'prisma', provider);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'schema.prisma');
  writeFileSync(file, renderSchema(provider));
  if (process.argv.includes('--render-only')) continue;
  execFileSync(process.execPath, [join(root, 'node_modules/prisma/build/index.js'), 'generate', '--schema', file], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? '/bin/true',
      PRISMA_HIDE_UPDATE_MESSAGE: '1',
      CHECKPOINT_DISABLE: '1',
    },
  });
}
