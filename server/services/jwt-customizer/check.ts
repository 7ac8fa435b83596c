// The check a script passes before it is saved: it compiles and its top-level code ends in time (whether
// it defines getCustomJwtClaims is reported by the test run, not enforced: Logto saves drafts). The function itself is NOT called (it may fetch,
// deny, or depend on real inputs): a line appended to the script throws a marker once the definition
// is seen, which stops the run before the sandbox would invoke it.
import { env } from '../../env.ts';
import { runClaimsScript } from '../sandbox/index.ts';
import type { ScriptFailureKind } from '../../schemas/jwt-customizer.ts';

const MARKER = '__sigil_getCustomJwtClaims_defined__';

export type ScriptProblem = { kind: ScriptFailureKind; message: string; line?: number; column?: number };

/** null when the script is fine; otherwise what is wrong with it and where. */
export async function checkScript(script: string): Promise<ScriptProblem | null> {
  // On its own line, so positions in the admin's script are unchanged and a trailing `// comment` ends.
  const probe = `${script}\n;if (typeof getCustomJwtClaims === 'function') throw '${MARKER}';`;
  const result = await runClaimsScript({
    script: probe,
    token: {},
    context: {},
    environmentVariables: {},
    limits: { fetch: { allowPrivateNetworks: env().allowPrivateOutbound } },
  });
  if (result.ok) return null; // unreachable in practice: the marker is thrown before invocation
  if (result.kind === 'runtime' && result.message.includes(MARKER)) return null;
  // As Logto, a script that compiles is saved even when its top-level code throws or it does not define
  // getCustomJwtClaims yet (drafts, `''`): issuance then runs without its claims, or fails when
  // blockIssuanceOnError is on. Only what can never run, a syntax error (or a hang at compile), is refused.
  if (result.kind !== 'syntax' && result.kind !== 'timeout' && result.kind !== 'memory') return null;
  const { kind, message, line, column } = result;
  return { kind, message, ...(line !== undefined ? { line } : {}), ...(column !== undefined ? { column } : {}) };
}
