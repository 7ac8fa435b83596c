// The frame of the endpoints a client calls with its own credentials: token, revocation, introspection.
// POST with a form body; failures as RFC 6749 §5.2 JSON (with Logto's code and message); CORS for the
// authenticated client's registered origins where the endpoint allows browsers (RFC 6749 leaves CORS to
// the server; Sigil allows it on token and revocation, as SPA SDKs call them); and one audit record per
// request, built from what the endpoint established: who the request is from (`RequestFacts`) and the
// endpoint's own typed facts. An endpoint's code fills those and returns its success response; it never
// builds an audit record or an error response itself.
import { audit } from '../services/audit/index.ts';
import type { OAuthClient } from '../services/clients.ts';
import { corsHeaders } from './cors.ts';
import { errorResponse, toOAuthError } from './errors.ts';
import { parseForm, requirePost, type Form } from './form.ts';
import type { Endpoint, ProtocolRequest, ProtocolResponse } from '../http/envelope.ts';

/** Who a request is from, as far as it is known: set by the endpoint as it authenticates the client. */
export type RequestFacts = {
  /** Logto's audit key of the request (the token endpoint refines it by grant type). */
  key: string;
  /** The client the request claims to be from (printable ids only), then the one it proved it is. */
  applicationId?: string;
  client?: OAuthClient;
};

export type AuditedEndpoint<F extends object> = {
  key: string;
  cors: boolean;
  /**
   * Which requests get an audit record: all; only those attributed to a client (not anonymous noise); or
   * only failures (an endpoint called on every request a resource server serves).
   */
  record: 'every request' | 'attributed requests' | 'failures';
  /** The endpoint's facts, empty at the start of each request. */
  facts(): F;
  handle(req: ProtocolRequest, form: Form, request: RequestFacts, facts: F): Promise<ProtocolResponse>;
};

export function auditedEndpoint<F extends object>(spec: AuditedEndpoint<F>): Endpoint {
  return async (req) => {
    const request: RequestFacts = { key: spec.key };
    const facts = spec.facts();
    let response: ProtocolResponse;
    let outcome: { result: 'Success' } | { result: 'Error'; error: { code: string; description: string } };
    try {
      requirePost(req);
      response = await spec.handle(req, parseForm(req), request, facts);
      outcome = { result: 'Success' };
    } catch (thrown) {
      const error = toOAuthError(thrown);
      outcome = { result: 'Error', error: { code: error.error, description: error.description } };
      response = errorResponse(error);
    }
    if (spec.cors) response = { ...response, headers: { ...response.headers, ...corsHeaders(req, request.client) } };
    const recorded = spec.record === 'every request'
      || (spec.record === 'attributed requests' && request.applicationId !== undefined)
      || (spec.record === 'failures' && outcome.result === 'Error');
    if (recorded) {
      await audit({
        key: request.key,
        ...outcome,
        applicationId: request.applicationId,
        ...facts,
        ip: req.ip,
        userAgent: req.header('user-agent')?.slice(0, 512) ?? null,
      });
    }
    return response;
  };
}

/** The client id a request claims, so failed authentications are attributed in the audit log (printable only). */
export function auditableClientId(id: string | undefined): string | undefined {
  return id && /^[\x21-\x7e]{1,128}$/.test(id) ? id : undefined;
}
