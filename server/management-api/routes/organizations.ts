// Logto's organization routes: /api/organizations (CRUD, search, featured users) and its memberships.
import { z } from 'zod';
import { id, pagination } from '../../schemas/common.ts';
import {
  organizationCreate, organizationListItem, organizationListQuery, organizationPatch, organizationResponse, organizationWithRoles,
} from '../../schemas/organizations.ts';
import * as organizations from '../../services/organizations/organizations.ts';
import { organizationsOf } from '../../services/organizations/member-reads.ts';
import { route } from '../route.ts';

const tag = 'Organizations';
const params = z.object({ id });

export const organizationRoutes = [
  route({
    method: 'GET', path: '/api/organizations', scope: 'read:organizations', tag, summary: 'List organizations (`q` searches id and name; `showFeatured` adds usersCount and featuredUsers)',
    query: pagination.extend(organizationListQuery.shape), response: z.array(organizationListItem), status: 200, paginated: true,
    handler: async ({ query }) => {
      const page = await organizations.listOrganizations(query, query);
      return { body: page.items, total: page.total };
    },
  }),
  route({
    method: 'POST', path: '/api/organizations', scope: 'write:organizations', tag, summary: 'Create an organization',
    body: organizationCreate, response: organizationResponse, status: 201, errors: [400],
    handler: async ({ body, actor }) => ({ body: await organizations.createOrganization(actor, body) }),
  }),
  route({
    method: 'GET', path: '/api/organizations/:id', scope: 'read:organizations', tag, summary: 'Get an organization',
    params, response: organizationResponse, status: 200, errors: [404],
    handler: async ({ params: p }) => ({ body: await organizations.getOrganization(p.id) }),
  }),
  route({
    method: 'PATCH', path: '/api/organizations/:id', scope: 'write:organizations', tag, summary: 'Update an organization (customData, color and branding are replaced)',
    params, body: organizationPatch, response: organizationResponse, status: 200, errors: [400, 404],
    handler: async ({ params: p, body, actor }) => ({ body: await organizations.updateOrganization(actor, p.id, body) }),
  }),
  route({
    method: 'DELETE', path: '/api/organizations/:id', scope: 'write:organizations', tag, summary: 'Delete an organization with its memberships, member roles and invitations',
    params, status: 204, errors: [404],
    handler: async ({ params: p, actor }) => (await organizations.deleteOrganization(actor, p.id), {}),
  }),
  route({
    method: 'GET', path: '/api/users/:userId/organizations', scope: 'read:organizations', tag, summary: "List a user's organizations with the user's organization roles",
    params: z.object({ userId: id }), response: z.array(organizationWithRoles), status: 200, errors: [404],
    handler: async ({ params: p }) => ({ body: (await organizationsOf('user', p.userId)).items }),
  }),
  route({
    method: 'GET', path: '/api/applications/:id/organizations', scope: 'read:organizations', tag, summary: "List an application's organizations with its organization roles",
    params, query: pagination, response: z.array(organizationWithRoles), status: 200, errors: [404], paginated: true,
    handler: async ({ params: p, query }) => {
      const page = await organizationsOf('application', p.id, query);
      return { body: page.items, total: page.total };
    },
  }),
];

