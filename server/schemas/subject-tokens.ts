// Subject tokens (user impersonation, RFC 8693) in Logto's wire shape: POST /api/subject-tokens.
import { z } from 'zod';
import { id, jsonObject } from './common.ts';

/** What one subject token may carry as `context` (it reaches claims scripts as `grant.subjectTokenContext`). */
export const MAX_SUBJECT_TOKEN_CONTEXT_BYTES = 8 * 1024;

export const subjectTokenContext = jsonObject.refine(
  (value) => Buffer.byteLength(JSON.stringify(value), 'utf8') <= MAX_SUBJECT_TOKEN_CONTEXT_BYTES,
  { message: `must be at most ${MAX_SUBJECT_TOKEN_CONTEXT_BYTES} bytes as JSON` },
);

export const subjectTokenCreate = z
  .object({
    userId: id,
    context: subjectTokenContext.optional().describe('Any JSON object (at most 8 KB); claims scripts see it as `context.grant.subjectTokenContext`'),
  })
  .strict();
export type SubjectTokenCreate = z.infer<typeof subjectTokenCreate>;

export const subjectTokenResponse = z.object({
  /** Shown once: only a keyed hash is stored. */
  subjectToken: z.string(),
  /** Seconds until the token expires (Logto: 600). */
  expiresIn: z.number().int(),
});
export type SubjectTokenResponse = z.infer<typeof subjectTokenResponse>;

/** The console's impersonation request: the administrator picks the app that will do the exchange. */
export const impersonationCreate = z
  .object({
    userId: id,
    applicationId: id,
    context: subjectTokenContext.optional(),
  })
  .strict();
export type ImpersonationCreate = z.infer<typeof impersonationCreate>;
