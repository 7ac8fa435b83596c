// What the token path learns from a claims script besides its claims. Services know nothing of OAuth:
// the protocol layer (server/oidc/grants/custom-claims.ts) turns these into `access_denied` and
// `invalid_request`.
import type { ScriptFailureKind } from '../../schemas/jwt-customizer.ts';

/** The script called `api.denyAccess(message)`: the token must not be issued. */
export class JwtCustomizerDenied extends Error {
  override name = 'JwtCustomizerDenied';
  constructor(message: string) {
    super(message);
  }
}

/** The script failed and its configuration says `blockIssuanceOnError`: the token must not be issued. */
export class JwtCustomizerFailed extends Error {
  override name = 'JwtCustomizerFailed';
  constructor(
    readonly kind: Exclude<ScriptFailureKind, 'denied'>,
    message: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
  }
}
