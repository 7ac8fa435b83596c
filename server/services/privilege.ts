// The privilege rule: a caller can never give any principal (application, user, role) more than it holds
// itself. Every write that gives a principal something (a role, a scope, default status, a credential, its
// reinstatement) calls `assertWithinCaller` inside its transaction, after writing: the check reads what
// each principal holds on the Management API as a result of the change, so no path or ordering of writes
// can get around it, and a refusal rolls the whole change back.
import type { Tx } from '../db/index.ts';
import type { Actor } from './actor.ts';
import { forbidden } from './errors.ts';
import { MANAGEMENT_RESOURCE_ID } from './management-resource.ts';

export type Principal =
  | { type: 'application'; id: string }
  | { type: 'user'; id: string }
  /** `withHolders`: also every application and user holding the role (its scopes reach them). */
  | { type: 'role'; id: string; withHolders?: boolean };

/** The scopes of `target` that a caller holding `held` lacks, `all` first; `all` implies every scope. */
export function lackedScopes(held: ReadonlySet<string>, target: Iterable<string>): string[] {
  if (held.has('all')) return [];
  return [...new Set(target)].filter((s) => !held.has(s)).sort((a, b) => (a === 'all' ? -1 : b === 'all' ? 1 : a.localeCompare(b)));
}

/** What two scope sets allow together (a token's scopes and its app's current grants), `all` implying every scope. */
export function intersectScopes(a: ReadonlySet<string>, b: ReadonlySet<string>): Set<string> {
  if (a.has('all')) return new Set(b);
  if (b.has('all')) return new Set(a);
  return new Set([...a].filter((s) => b.has(s)));
}

type RoleFilter = Record<string, unknown>;

/** Role filters whose Management API scopes reach the principal (apps take only MachineToMachine roles). */
function rolesReaching(p: Principal): RoleFilter[] {
  switch (p.type) {
    case 'application':
      return [{ type: 'MachineToMachine', applications: { some: { applicationId: p.id } } }];
    case 'user':
      return [{ type: 'User', users: { some: { userId: p.id } } }];
    case 'role':
      return p.withHolders
        ? [
            { id: p.id },
            { type: 'MachineToMachine', applications: { some: { application: { roles: { some: { roleId: p.id } } } } } },
            { type: 'User', users: { some: { user: { roles: { some: { roleId: p.id } } } } } },
          ]
        : [{ id: p.id }];
  }
}

/** Management API scope names the principal holds, as the transaction sees it now. */
export async function managementScopesOf(tx: Tx, p: Principal): Promise<string[]> {
  const rows = await tx.scope.findMany({
    where: { resourceId: MANAGEMENT_RESOURCE_ID, roles: { some: { role: { OR: rolesReaching(p) } } } },
    select: { name: true },
  });
  return rows.map((r) => r.name);
}

const LABEL: Record<Principal['type'], string> = { application: 'Application', user: 'User', role: 'Role' };

/**
 * 403 `auth.privilege_escalation` naming the missing scope when any principal holds, after this change, a
 * Management API scope the actor lacks. Administrators and the system are not restricted.
 */
export async function assertWithinCaller(tx: Tx, actor: Actor, principals: Principal[]): Promise<void> {
  if (actor.type !== 'application') return;
  const held = actor.scopes ?? new Set<string>();
  if (held.has('all')) return;
  for (const p of principals) {
    const [missing] = lackedScopes(held, await managementScopesOf(tx, p));
    if (missing) {
      const who = p.type === 'role' && p.withHolders ? `Role \`${p.id}\` or an application or user holding it` : `${LABEL[p.type]} \`${p.id}\``;
      throw forbidden(
        'auth.privilege_escalation',
        `${who} would hold the Management API scope \`${missing}\`, which the caller lacks: a caller can never give more than it holds.`,
      );
    }
  }
}
