/**
 * Who made a change or a request: recorded with every audit entry and management event, and what the
 * privilege rule (privilege.ts) compares against. Administrators and the system are unrestricted; an
 * application acting through the Management API holds `scopes`: its token's scopes that its current
 * grants still back. An application actor without `scopes` holds none (fail closed).
 */
export type Actor =
  | { type: 'administrator'; id: string; email?: string; ip?: string; userAgent?: string }
  | { type: 'application'; id: string; scopes?: ReadonlySet<string>; ip?: string; userAgent?: string }
  | { type: 'system'; id: 'system' | 'cli' | 'bootstrap'; ip?: string; userAgent?: string };

export const SYSTEM: Actor = { type: 'system', id: 'system' };
export const CLI: Actor = { type: 'system', id: 'cli' };
export const BOOTSTRAP: Actor = { type: 'system', id: 'bootstrap' };
