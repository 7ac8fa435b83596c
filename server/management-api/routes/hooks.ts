import { z } from 'zod';
import { id, pagination } from '../../schemas/common.ts';
import {
  deliveryDetail, deliveryListQuery, deliveryResponse, hookCreate, hookListQuery, hookPatch, hookResponse, hookTestBody,
  includeExecutionStats,
} from '../../schemas/hooks.ts';
import { logResponse } from '../../schemas/logs.ts';
import * as deliveries from '../../services/webhooks/deliveries.ts';
import * as hooks from '../../services/webhooks/hooks.ts';
import { recentHookLogs } from '../../services/logs.ts';
import { route } from '../route.ts';

const tag = 'Webhooks';
const params = z.object({ id });
const deliveryParams = params.extend({ deliveryId: id });

export const hookOps = {
  list: route({
    method: 'GET', path: '/api/hooks', scope: 'read:hooks', tag,
    summary: 'List webhooks (all of them unless `page` is given, as Logto; `includeExecutionStats=true` adds 24 h counts)',
    query: hookListQuery, response: z.array(hookResponse), status: 200, paginated: true,
    handler: async ({ query }) => {
      const page = query.page ? { page: query.page, page_size: query.page_size } : undefined;
      const list = await hooks.listHooks({ page, includeExecutionStats: query.includeExecutionStats });
      return { body: list.items, ...(page ? { total: list.total } : {}) };
    },
  }),
  create: route({
    method: 'POST', path: '/api/hooks', scope: 'write:hooks', tag, summary: 'Create a webhook (a signing key is generated)',
    body: hookCreate, response: hookResponse, status: 201, errors: [400, 422],
    handler: async ({ body, actor }) => ({ status: 201, body: await hooks.createHook(actor, body) }),
  }),
  get: route({
    method: 'GET', path: '/api/hooks/:id', scope: 'read:hooks', tag, summary: 'Get a webhook',
    params, query: z.object({ includeExecutionStats }), response: hookResponse, status: 200, errors: [404],
    handler: async ({ params: p, query }) => ({ body: await hooks.getHook(p.id, query) }),
  }),
  update: route({
    method: 'PATCH', path: '/api/hooks/:id', scope: 'write:hooks', tag, summary: 'Update a webhook (`config` is replaced as a whole; disabling pauses its deliveries)',
    params, body: hookPatch, response: hookResponse, status: 200, errors: [400, 404, 422],
    handler: async ({ params: p, body, actor }) => ({ body: await hooks.updateHook(actor, p.id, body) }),
  }),
  delete: route({
    method: 'DELETE', path: '/api/hooks/:id', scope: 'write:hooks', tag, summary: 'Delete a webhook and its pending deliveries',
    params, status: 204, errors: [404],
    handler: async ({ params: p, actor }) => (await hooks.deleteHook(actor, p.id), {}),
  }),
  regenerateSigningKey: route({
    method: 'PATCH', path: '/api/hooks/:id/signing-key', scope: 'write:hooks', tag, summary: 'Regenerate the signing key',
    params, response: hookResponse, status: 200, errors: [404],
    handler: async ({ params: p, actor }) => ({ body: await hooks.regenerateSigningKey(actor, p.id) }),
  }),
  sendTest: route({
    method: 'POST', path: '/api/hooks/:id/test', scope: 'write:hooks', tag,
    console: false,
    summary: "Send a signed test payload per event to `config.url`: 204 when every receiver answered 2xx, else 422 with each receiver's status and body",
    params, body: hookTestBody, status: 204, errors: [400, 404, 422],
    handler: async ({ params: p, body, actor }) => {
      const { results } = await hooks.testHook(actor, p.id, body);
      const failed = results.find((r) => r.result === 'Error');
      if (!failed) return {};
      // Logto's codes: the endpoint answered with an error, or no answer came at all.
      const code = failed.response ? 'hook.endpoint_responded_with_error' : 'hook.send_test_payload_failed';
      return { status: 422, body: { code, message: failed.error, results } };
    },
  }),
  recentLogs: route({
    method: 'GET', path: '/api/hooks/:id/recent-logs', scope: 'read:hooks', tag, summary: "This webhook's delivery log entries (`TriggerHook.<event>`) of the last 24 hours",
    params, query: pagination.extend({ logKey: z.string().max(256).optional() }), response: z.array(logResponse), status: 200, errors: [404], paginated: true,
    handler: async ({ params: p, query }) => {
      await hooks.getHook(p.id);
      const page = await recentHookLogs(p.id, query, query);
      return { body: page.items, total: page.total };
    },
  }),
  deliveries: route({
    method: 'GET', path: '/api/hooks/:id/deliveries', scope: 'read:hooks', tag, summary: 'List deliveries (outbox rows): status, attempts, last answer, next attempt',
    params, query: pagination.extend(deliveryListQuery.shape), response: z.array(deliveryResponse), status: 200, errors: [404], paginated: true,
    handler: async ({ params: p, query }) => {
      const page = await deliveries.listDeliveries(p.id, query, query);
      return { body: page.items, total: page.total };
    },
  }),
  delivery: route({
    method: 'GET', path: '/api/hooks/:id/deliveries/:deliveryId', scope: 'read:hooks', tag, summary: 'Get a delivery with its payload',
    params: deliveryParams, response: deliveryDetail, status: 200, errors: [404],
    handler: async ({ params: p }) => ({ body: await deliveries.getDelivery(p.id, p.deliveryId) }),
  }),
  redeliver: route({
    method: 'POST', path: '/api/hooks/:id/deliveries/:deliveryId/redeliver', scope: 'write:hooks', tag,
    summary: 'Queue a delivery again now with a fresh attempt budget (same payload and event id)',
    params: deliveryParams, response: deliveryResponse, status: 200, errors: [404, 422],
    handler: async ({ params: p, actor }) => ({ body: await deliveries.redeliver(actor, p.id, p.deliveryId) }),
  }),
};
