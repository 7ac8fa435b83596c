// RFC 8707 resource indicators with Logto's semantics: one resource per request; the default resource
// when none is given; invalid_target when it is unknown or there is no default.
import { defaultResource, findResource, type OAuthResource } from '../../services/clients.ts';
import { InvalidTarget } from '../errors.ts';
import type { Form } from '../form.ts';

/** oidc-provider's text for InvalidTarget, which Logto answers for an unknown resource (its tests compare it). */
export const UNKNOWN_RESOURCE = 'resource indicator is missing, or unknown';

export async function resolveResource(
  form: Form,
  missing = 'no resource indicator was requested and no default resource is configured',
): Promise<OAuthResource> {
  const requested = form.all('resource');
  if (requested.length > 1) throw new InvalidTarget('only one resource indicator may be requested');
  const indicator = requested[0];
  if (indicator === undefined) {
    const fallback = await defaultResource();
    if (!fallback) throw new InvalidTarget(missing);
    return fallback;
  }
  return knownResource(indicator);
}

/** One indicator (RFC 8707 §2): an absolute URI without a fragment that names a known resource. */
export async function knownResource(indicator: string): Promise<OAuthResource> {
  let url: URL;
  try {
    url = new URL(indicator);
  } catch {
    throw new InvalidTarget('resource must be an absolute URI');
  }
  if (url.hash) throw new InvalidTarget('resource must not contain a fragment');
  const resource = await findResource(indicator);
  if (!resource) throw new InvalidTarget(UNKNOWN_RESOURCE);
  return resource;
}

const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/** Requested scopes (RFC 6749 §3.3), de-duplicated, in request order. */
export function requestedScopes(form: Form): string[] {
  const raw = form.get('scope');
  if (raw === undefined) return [];
  const tokens = raw.split(' ').filter(Boolean);
  return [...new Set(tokens.filter((t) => SCOPE_TOKEN.test(t)))];
}
