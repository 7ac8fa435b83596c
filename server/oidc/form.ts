// application/x-www-form-urlencoded bodies and query strings, parsed strictly (RFC 6749 §3.1 and §3.2:
// parameters MUST NOT repeat).
import { InvalidRequest, MethodNotAllowed } from './errors.ts';
import type { ProtocolRequest } from '../http/envelope.ts';

export type Form = { get(name: string): string | undefined; all(name: string): string[]; keys(): string[] };

/** Parameters that may repeat (RFC 8707 `resource`); the grant decides how many it accepts. */
const MULTI = new Set(['resource']);

export function requirePost(req: ProtocolRequest): void {
  if (req.method !== 'POST') throw new MethodNotAllowed('POST');
}

/** The request body as a form; throws invalid_request for a missing or wrong content type. */
export function parseForm(req: ProtocolRequest): Form {
  if (req.bodyError === 'too_large') throw new InvalidRequest('request body is too large');
  if (req.bodyError) throw new InvalidRequest('request body could not be read');
  const type = req.header('content-type')?.split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    throw new InvalidRequest('content type must be application/x-www-form-urlencoded');
  }
  return parseParams(req.body ?? '', 'request body');
}

/** `name=value&...` text (a body or a query string) as a Form; `where` names it in error messages. */
export function parseParams(text: string, where = 'query string'): Form {
  if (/%(?![0-9a-fA-F]{2})/.test(text)) throw new InvalidRequest(`${where} has malformed percent-encoding`);
  const values = new Map<string, string[]>();
  for (const [key, value] of new URLSearchParams(text)) {
    if (key === '') continue;
    // Never echo such a name back (it would carry the NUL into the error and the audit record).
    if (key.includes('\u0000')) throw new InvalidRequest('a parameter name contains a NUL character');
    if (value.includes('\u0000')) throw new InvalidRequest(`parameter ${key.slice(0, 64)} contains a NUL character`);
    const list = values.get(key) ?? [];
    if (list.length > 0 && !MULTI.has(key)) throw new InvalidRequest(`parameter ${key.slice(0, 64)} must not be repeated`);
    if (list.length >= 10) throw new InvalidRequest(`too many ${key} parameters`);
    list.push(value);
    values.set(key, list);
  }
  return {
    get: (name) => {
      const v = values.get(name)?.[0];
      return v === '' ? undefined : v;
    },
    all: (name) => (values.get(name) ?? []).filter((v) => v !== ''),
    keys: () => [...values.keys()],
  };
}
