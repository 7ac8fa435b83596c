// The claims-script stage as the token endpoint speaks it: runs the service and turns its typed refusals
// into OAuth errors. Every grant that issues access tokens calls this between drafting and issuing.
//
// - api.denyAccess(message) -> access_denied (400) with the script's message as error_description
//   (RFC 6749 §4.1.2.1 meaning: the resource owner or authorization server denied the request).
// - A failing script under blockIssuanceOnError -> server_error (500). None of RFC 6749 §5.2's codes
//   fits: invalid_request says the CLIENT's request is malformed, but the request was valid and the fault
//   is in the server's own configuration. server_error ("the authorization server encountered an
//   unexpected condition", RFC 6749 §4.1.2.1) is the code for that, and a 5xx tells client libraries not
//   to blame their parameters and that a retry may succeed (e.g. after a timeout). Logto, which answers
//   invalid_request (400) here, makes clients debug a request that was fine. The description names the
//   failure kind only; the script's message and position are in the audit log for the administrator.
import { JwtCustomizerDenied, JwtCustomizerFailed, runJwtCustomizer, type JwtCustomizerInput } from '../../services/jwt-customizer/index.ts';
import type { JwtCustomizerTokenType } from '../../schemas/jwt-customizer.ts';
import { AccessDenied, ServerError } from '../errors.ts';
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
      throw new ServerError(`the custom claims script failed (${error.kind}) and this server blocks issuance when it does`);
    }
    throw error;
  }
}
