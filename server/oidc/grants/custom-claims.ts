// The claims-script stage as the token endpoint speaks it: runs the service and turns its typed refusals
// into OAuth errors. Every grant that issues access tokens calls this between drafting and issuing.
//
// - api.denyAccess(message) -> access_denied (400) with the script's message as error_description
//   (RFC 6749 §4.1.2.1 meaning: the resource owner or authorization server denied the request).
// - A failing script under blockIssuanceOnError -> invalid_request (400), as Logto answers (its
//   throwJwtCustomizerInvalidRequest). Sigil once answered server_error (500): the request was valid and the
//   fault is the server's configuration; but a 5xx looks like a crash to monitoring and to Logto's clients,
//   and Sigil never answers 5xx for a handled condition. The description names the failure kind only; the
//   script's message and position are in the audit log for the administrator.
// - SIGIL_JWT_CUSTOMIZER_BLOCKING=false never blocks (Logto's released behaviour; see services/env).
import { JwtCustomizerDenied, JwtCustomizerFailed, runJwtCustomizer, type JwtCustomizerInput } from '../../services/jwt-customizer/index.ts';
import type { JwtCustomizerTokenType } from '../../schemas/jwt-customizer.ts';
import { AccessDenied, InvalidRequest } from '../errors.ts';
import type { TokenFacts } from './types.ts';

export async function customClaims<T extends JwtCustomizerTokenType>(
  tokenType: T,
  input: JwtCustomizerInput<T>,
  facts: TokenFacts,
): Promise<Record<string, unknown> | undefined> {
  try {
    const { claims, report } = await runJwtCustomizer(tokenType, input);
    if (report) facts.customClaims = report;
    return claims;
  } catch (error) {
    if (error instanceof JwtCustomizerDenied) {
      facts.customClaims = { denied: true };
      throw new AccessDenied(error.message);
    }
    if (error instanceof JwtCustomizerFailed) {
      facts.customClaims = { failed: error.kind, blocked: true };
      throw new InvalidRequest(`the custom claims script failed (${error.kind}) and blockIssuanceOnError is set`);
    }
    throw error;
  }
}
