// Organization invitations: /api/organization-invitations (list, create, read, delete, status).
import { z } from 'zod';
import { id, jsonObject } from '../../schemas/common.ts';
import { invitationCreate, invitationListQuery, invitationResponse, invitationStatusBody } from '../../schemas/organizations.ts';
import * as invitations from '../../services/organizations/invitations.ts';
import { ApiError } from '../errors.ts';
import { route } from '../route.ts';

/** Sigil sends no mail (Logto answers the same when no email connector is set): subscribe to the event instead. */
const noMailer = () =>
  new ApiError(501, 'connector.not_found', 'Sigil sends no email; omit messagePayload and send the invitation from a webhook on OrganizationInvitation.Created.', 'messagePayload');

const tag = 'Organization invitations';
const params = z.object({ id });

export const organizationInvitationRoutes = [
  route({
    method: 'GET', path: '/api/organization-invitations', scope: 'read:organizations', tag, summary: 'List invitations (filter by organizationId, inviterId, invitee)',
    query: invitationListQuery, response: z.array(invitationResponse), status: 200,
    handler: async ({ query }) => ({ body: await invitations.listInvitations(query) }),
  }),
  route({
    method: 'POST', path: '/api/organization-invitations', scope: 'write:organizations', tag, summary: 'Invite an email address to an organization (Sigil sends no mail; the OrganizationInvitation.Created event carries the invitation)',
    body: invitationCreate, response: invitationResponse, status: 201, errors: [400, 422, 501],
    handler: async ({ body, actor }) => {
      if (body.messagePayload) throw noMailer();
      return { body: await invitations.createInvitation(actor, body) };
    },
  }),
  route({
    method: 'GET', path: '/api/organization-invitations/:id', scope: 'read:organizations', tag, summary: 'Get an invitation',
    params, response: invitationResponse, status: 200, errors: [404],
    handler: async ({ params: p }) => ({ body: await invitations.getInvitation(p.id) }),
  }),
  route({
    method: 'DELETE', path: '/api/organization-invitations/:id', scope: 'write:organizations', tag, summary: 'Delete an invitation',
    params, status: 204, errors: [404],
    handler: async ({ params: p, actor }) => (await invitations.deleteInvitation(actor, p.id), {}),
  }),
  route({
    method: 'POST', path: '/api/organization-invitations/:id/message', scope: 'write:organizations', tag, summary: 'Send the invitation message again (Sigil sends no mail: 501)',
    params, body: jsonObject, status: 204, errors: [404, 501],
    handler: async ({ params: p }) => {
      await invitations.getInvitation(p.id);
      throw noMailer();
    },
  }),
  route({
    method: 'PUT', path: '/api/organization-invitations/:id/status', scope: 'write:organizations', tag, summary: 'Accept (the user joins with the roles) or revoke a Pending invitation',
    params, body: invitationStatusBody, response: invitationResponse, status: 200, errors: [400, 404, 422],
    handler: async ({ params: p, body, actor }) => ({ body: await invitations.updateInvitationStatus(actor, p.id, body) }),
  }),
];
