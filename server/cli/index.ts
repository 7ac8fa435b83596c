// `npm run sigil -- <command>`: administration without a browser. Uses the same services as the APIs.
import { parseArgs } from 'node:util';
import { ConfigError, env } from '../env.ts';
import { migrateDeploy } from '../db/migrate.ts';
import { db, disconnect, tuneConnection } from '../db/index.ts';
import { CLI } from '../services/actor.ts';
import * as apps from '../services/applications.ts';
import { drainAudit } from '../services/audit/index.ts';
import { bootstrap } from '../services/bootstrap.ts';

const HELP = `Usage: npm run sigil -- <command> [options]

  create-app --name NAME [--role ROLE_NAME_OR_ID ...] [--description TEXT]
        Create a MachineToMachine app with roles; prints its id and secret once.
        Use --role "Management API access" for an app that drives the Management API.
  list-apps [--search TEXT]
        List applications.
  rotate-secret --app APP_ID
        Replace every secret of the app with a new one; prints it once.
  rewrap --old-secret OLD [--new-secret NEW]
        Re-encrypt the instance key and every signing key's data key under a new SIGIL_SECRET
        (defaults to the SIGIL_SECRET in the environment). See README "Rotating SIGIL_SECRET".
  help
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      name: { type: 'string' },
      description: { type: 'string' },
      role: { type: 'string', multiple: true },
      search: { type: 'string' },
      app: { type: 'string' },
      'old-secret': { type: 'string' },
      'new-secret': { type: 'string' },
      json: { type: 'boolean' },
    },
    strict: true,
  });
  if (!command || command === 'help' || command === '--help') {
    console.log(HELP);
    return command ? 0 : 64;
  }
  if (command === 'rewrap') {
    const { rewrap } = await import('./rewrap.ts');
    return rewrap(values['old-secret'], values['new-secret']);
  }
  await migrateDeploy(env().databaseUrl);
  await tuneConnection();
  await bootstrap();
  switch (command) {
    case 'create-app': {
      if (!values.name) throw new UsageError('--name is required');
      const roles = await resolveRoles(values.role ?? []);
      const app = await apps.createApplication(CLI, { name: values.name, type: 'MachineToMachine', description: values.description });
      if (roles.length) await apps.assignApplicationRoles(CLI, app.id, roles);
      print(values.json, { id: app.id, secret: app.secret, roles }, [
        `Created application ${app.name}`,
        `  App ID:     ${app.id}`,
        `  App secret: ${app.secret}`,
        '  (the secret is shown only now; store it safely)',
        `  Token:      curl -u '${app.id}:${app.secret}' -d grant_type=client_credentials -d resource=${env().managementApiIndicator} -d scope=all ${env().issuer}/token`,
      ]);
      return 0;
    }
    case 'list-apps': {
      const page = await apps.listApplications({ search: values.search }, { page: 1, page_size: 100 });
      print(values.json, page.items, page.items.map((a) => `${a.id}  ${a.type.padEnd(16)}  ${a.name}`));
      return 0;
    }
    case 'rotate-secret': {
      if (!values.app) throw new UsageError('--app is required');
      const secret = await apps.rotateSecrets(CLI, values.app);
      print(values.json, secret, [`New secret for ${values.app}: ${secret.value}`, '(every previous secret of this app is revoked)']);
      return 0;
    }
    default:
      throw new UsageError(`unknown command ${command}`);
  }
}

class UsageError extends Error {}

async function resolveRoles(names: string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const name of names) {
    const role = await db().role.findFirst({ where: { OR: [{ id: name }, { name }] } });
    if (!role) throw new UsageError(`no role named or with id "${name}"`);
    ids.push(role.id);
  }
  return ids;
}

function print(json: boolean | undefined, data: unknown, lines: string[]): void {
  console.log(json ? JSON.stringify(data, null, 2) : lines.join('\n'));
}

main(process.argv.slice(2))
  .then(async (code) => {
    await drainAudit();
    await disconnect();
    process.exit(code);
  })
  .catch(async (error) => {
    if (error instanceof UsageError || error instanceof ConfigError || (error as { kind?: string }).kind) {
      console.error(`sigil: ${(error as Error).message}`);
      if (error instanceof UsageError) console.error(HELP);
    } else if ((error as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      console.error(`sigil: ${(error as Error).message}\n${HELP}`);
    } else console.error(error);
    await disconnect().catch(() => undefined);
    process.exit(1);
  });
