// Custom token claims: the administrator's getCustomJwtClaims scripts (one per token type), run in the
// QuickJS sandbox's worker threads at issuance, behind a circuit breaker for scripts that keep timing
// out. Grants call runJwtCustomizer; the Management API and the console manage the scripts through the
// store and test them with testJwtCustomizer.
export { JwtCustomizerDenied, JwtCustomizerFailed } from './errors.ts';
export { breakerStatus, type BreakerStatus } from './status.ts';
export { BREAKER_AUDIT_KEYS } from './breaker.ts';
export { AUDIT_KEYS, runJwtCustomizer, type JwtCustomizerInput, type JwtCustomizerOutcome } from './run.ts';
export {
  accessTokenToken,
  applicationContext,
  clientCredentialsContext,
  clientCredentialsToken,
  type AccessTokenContext,
  type AccessTokenToken,
  type ApplicationContext,
  type ClientCredentialsContext,
  type ClientCredentialsToken,
} from './shapes.ts';
export {
  activeJwtCustomizer,
  deleteJwtCustomizer,
  findJwtCustomizer,
  getJwtCustomizer,
  listJwtCustomizers,
  patchJwtCustomizer,
  putJwtCustomizer,
} from './store.ts';
export { previewToken, testJwtCustomizer, type TestRunResult } from './test-run.ts';
