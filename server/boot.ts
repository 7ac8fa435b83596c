// Start-up, in one place for every process: apply migrations (the self-hosted server only; on Vercel they run
// at build time), tune the connection, and the idempotent first-start setup (instance key, signing key,
// built-in resource and role, bootstrap app and administrator). Safe when several processes start at once.
import { migrateDeploy } from './db/migrate.ts';
import { tuneConnection } from './db/index.ts';
import { env } from './env.ts';
import { log } from './log.ts';
import { bootstrap } from './services/bootstrap.ts';

export async function boot(options: { migrate: boolean }): Promise<void> {
  if (options.migrate) {
    const { applied } = await migrateDeploy(env().databaseUrl);
    if (applied.length) log.info({ migrations: applied }, 'applied migrations');
  }
  await tuneConnection();
  await bootstrap();
}
