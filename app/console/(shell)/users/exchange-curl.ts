// The copy-paste token exchange the console shows after "Impersonate". Pure, so tests run the exact text.
// The app secret stays a shell variable ($CLIENT_SECRET): the console never knows it.
export type ExchangeCurlInput = {
  tokenEndpoint: string;
  applicationId: string;
  subjectToken: string;
  grantType: string;
  subjectTokenType: string;
  /** Omitted: the default resource. */
  resource?: string;
  /** Space-separated; omitted: no scopes. */
  scope?: string;
};

const quote = (v: string) => `'${v.replace(/'/g, `'\\''`)}'`;

export function exchangeCurl(s: ExchangeCurlInput): string {
  const field = (name: string, value: string) => `  --data-urlencode ${quote(`${name}=${value}`)}`;
  return [
    `curl -sS -X POST ${quote(s.tokenEndpoint)}`,
    `  -u ${quote(`${s.applicationId}:`)}"$CLIENT_SECRET"`,
    field('grant_type', s.grantType),
    field('subject_token', s.subjectToken),
    field('subject_token_type', s.subjectTokenType),
    ...(s.resource ? [field('resource', s.resource)] : []),
    ...(s.scope ? [field('scope', s.scope)] : []),
  ].join(' \\\n');
}
