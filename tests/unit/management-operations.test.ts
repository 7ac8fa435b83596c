// One declaration per Management operation: the REST route table and the console's procedures come from
// the same objects, and answers outside the declared response are caught when SIGIL_CHECK_RESPONSES is on
// (tests/helpers/sigil.ts turns it on for every server the integration tests start).
import { afterEach, describe, expect, it } from 'vitest';
import { resetEnv } from '../../server/env.ts';
import { checkResponse } from '../../server/management-api/response-check.ts';
import type { Operations, Route } from '../../server/management-api/route.ts';
import { applicationOps } from '../../server/management-api/routes/applications.ts';
import { hookOps } from '../../server/management-api/routes/hooks.ts';
import { ROUTES } from '../../server/management-api/routes/index.ts';
import { jwtCustomizerOps } from '../../server/management-api/routes/jwt-customizer.ts';
import { logOps } from '../../server/management-api/routes/logs.ts';
import { resourceOps } from '../../server/management-api/routes/resources.ts';
import { roleOps } from '../../server/management-api/routes/roles.ts';
import { signInExperienceOps } from '../../server/management-api/routes/sign-in-exp.ts';
import { signingKeyOps } from '../../server/management-api/routes/signing-keys.ts';
import { userOps } from '../../server/management-api/routes/users.ts';
import { derivedProcedures } from '../../server/trpc/derive.ts';
import { appRouter } from '../../server/trpc/router.ts';

const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>;

/** The console router of each area whose Management operations the console uses. */
const AREAS: Record<string, Operations> = {
  applications: applicationOps, resources: resourceOps, roles: roleOps, users: userOps,
  signingKeys: signingKeyOps, logs: logOps, hooks: hookOps, jwtCustomizer: jwtCustomizerOps, signIn: signInExperienceOps,
};

/** Hand-written procedures, each console-only: no Management operation answers what it does. */
const CONSOLE_ONLY: Record<string, string> = {
  'meta.info': 'public facts for the sign-in page',
  'admin.createFirst': 'console administrators are not a Management resource',
  'admin.me': 'idem', 'admin.list': 'idem', 'admin.create': 'idem', 'admin.delete': 'idem', 'admin.changePassword': 'idem',
  'apiReference.document': 'the OpenAPI document, typed for the reference page',
  'dashboard.tokenRequests': 'dashboard chart', 'dashboard.counts': 'dashboard', 'dashboard.recentFailures': 'dashboard',
  'impersonation.options': 'impersonation panel (sessions)', 'impersonation.start': 'impersonation panel (sessions)',
  'applications.grants': 'what a token request can ask for, from the client cache',
  'hooks.events': 'the event catalogue with descriptions',
  'hooks.test': "each receiver's answer, successes included (REST answers Logto's bodiless 204)",
  'hooks.chart': 'delivery success chart',
  'logs.histogram': 'audit log chart',
  'signIn.userSignIns': "a user's live sessions and grants (no Management operation lists them)",
  'signIn.signOutEverywhere': 'ends those sessions and grants (console only, like suspension without suspending)',
  'signingKeys.jwksMaxAge': 'the JWKS cache lifetime in force',
  'jwtCustomizer.playground': 'the playground view: script or null, breaker state, sandbox limits',
  'jwtCustomizer.test': 'the playground run: failures as values, plus the final token payload',
};

afterEach(() => {
  delete process.env.SIGIL_CHECK_RESPONSES;
  resetEnv();
});

describe('Management operations', () => {
  it('derive a console procedure of the right kind from every operation the console may use', () => {
    const wrong: string[] = [];
    for (const [area, ops] of Object.entries(AREAS)) {
      for (const [name, op] of Object.entries(ops) as [string, Route][]) {
        const procedure = procedures[`${area}.${name}`];
        if (op.console === false) {
          // REST-only (a streamed export) or replaced by a console-only procedure of the same name.
          if (procedure && derivedProcedures.has(procedure)) wrong.push(`${area}.${name} should not be derived`);
          continue;
        }
        if (!procedure || !derivedProcedures.has(procedure)) wrong.push(`${op.method} ${op.path} -> ${area}.${name} is not derived`);
        else if (procedure._def.type !== (op.method === 'GET' ? 'query' : 'mutation')) wrong.push(`${area}.${name} has the wrong kind`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('leave no hand-written twin: every other procedure is a listed console-only one', () => {
    const handWritten = Object.entries(procedures).filter(([, p]) => !derivedProcedures.has(p)).map(([path]) => path).sort();
    expect(handWritten).toEqual(Object.keys(CONSOLE_ONLY).sort());
    // A console-only procedure must not shadow a derived operation's name.
    for (const path of handWritten) {
      const [area, name] = path.split('.') as [string, string];
      const op = AREAS[area]?.[name];
      if (op) expect(op.console, `${path} shadows ${op.method} ${op.path}`).toBe(false);
    }
  });

  it('serve every console-area REST route from the same declarations', () => {
    const declared = new Set(Object.values(AREAS).flatMap((ops) => Object.values(ops)));
    for (const op of declared) expect(ROUTES).toContain(op);
    // Same object, same limit: assigning a role to 1000 applications passes both fronts' validation, 1001 neither.
    const body = roleOps.assignApplications.body!;
    expect(body.safeParse({ applicationIds: Array.from({ length: 1000 }, (_, i) => `a${i}`) }).success).toBe(true);
    expect(body.safeParse({ applicationIds: Array.from({ length: 1001 }, (_, i) => `a${i}`) }).success).toBe(false);
  });

  it('refuse an answer outside the declared response when checking is on, and let a conforming one through', () => {
    process.env.SIGIL_CHECK_RESPONSES = 'true';
    resetEnv();
    const role = { id: 'r1', name: 'reader', description: 'd', type: 'User', isDefault: false, createdAt: 1 };
    expect(() => checkResponse(roleOps.get, 200, role)).not.toThrow();
    expect(() => checkResponse(roleOps.get, 200, { ...role, name: undefined })).toThrow(/GET \/api\/roles\/:id answered outside its declared response: name/);
    expect(() => checkResponse(roleOps.get, 200, { ...role, createdAt: '1970-01-01' })).toThrow(/createdAt/);
    // Error answers and bodiless successes are not checked against the success schema.
    expect(() => checkResponse(roleOps.get, 404, { code: 'entity.not_exists_with_id' })).not.toThrow();
    expect(() => checkResponse(roleOps.delete, 204, undefined)).not.toThrow();
  });

  it('leaves answers alone when checking is off (production)', () => {
    resetEnv();
    expect(() => checkResponse(roleOps.get, 200, { nonsense: true })).not.toThrow();
  });
});
