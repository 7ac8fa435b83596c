// Tests run with SIGIL_CHECK_RESPONSES: every successful Management answer, over REST or through a
// console procedure, is parsed against the response its operation declares, so a service that returns
// something else than the declaration (and so the OpenAPI document) says fails the test that called it.
import { env } from '../env.ts';
import { ApiError } from './errors.ts';
import type { Route } from './route.ts';

export function checkResponse(route: Route, status: number, body: unknown): void {
  if (!env().checkResponses || !route.response || status >= 300 || body === undefined) return;
  const parsed = route.response.safeParse(body);
  if (parsed.success) return;
  const issue = parsed.error.issues[0]!;
  const where = issue.path.map(String).join('.') || '(root)';
  throw new ApiError(500, 'response.schema_mismatch', `${route.method} ${route.path} answered outside its declared response: ${where}: ${issue.message}`);
}
