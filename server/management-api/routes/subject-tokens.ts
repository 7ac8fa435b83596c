import { subjectTokenCreate, subjectTokenResponse } from '../../schemas/subject-tokens.ts';
import { issueSubjectToken } from '../../services/subject-tokens.ts';
import { route } from '../route.ts';

export const subjectTokenRoutes = [
  route({
    method: 'POST', path: '/api/subject-tokens', scope: 'create:subject-tokens', tag: 'Subject tokens',
    summary: 'Issue a single-use subject token (10 minutes) for impersonating a user through token exchange (RFC 8693)',
    body: subjectTokenCreate, response: subjectTokenResponse, status: 201, errors: [400, 404, 422],
    handler: async ({ body, actor }) => {
      const { subjectToken, expiresIn } = await issueSubjectToken(actor, body);
      return { body: { subjectToken, expiresIn } };
    },
  }),
];
