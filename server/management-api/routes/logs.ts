import { z } from 'zod';
import { id, pagination } from '../../schemas/common.ts';
import { logExportQuery, logFilterQuery, logResponse } from '../../schemas/logs.ts';
import * as logs from '../../services/logs.ts';
import { route } from '../route.ts';

const tag = 'Audit logs';

const CONTENT_TYPES = { ndjson: 'application/x-ndjson; charset=utf-8', csv: 'text/csv; charset=utf-8' } as const;

export const logOps = {
  list: route({
    method: 'GET', path: '/api/logs', scope: 'read:logs', tag,
    summary: 'List audit log entries, newest first (token requests, webhook deliveries and every management change with actor, before/after; secrets masked)',
    query: pagination.extend(logFilterQuery.shape), response: z.array(logResponse), status: 200, paginated: true,
    handler: async ({ query }) => {
      const page = await logs.listLogs(query, query);
      return { body: page.items, total: page.total };
    },
  }),
  // Before `/api/logs/:id`: the first route whose pattern and method match wins.
  export: route({
    method: 'GET', path: '/api/logs/export', scope: 'read:logs', tag,
    console: false,
    summary: 'Export matching entries, oldest first, as NDJSON (one entry per line) or CSV, streamed page by page',
    query: logExportQuery, status: 200,
    handler: async ({ query }) => {
      const { format, ...filter } = query;
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      return {
        headers: { 'content-type': CONTENT_TYPES[format], 'content-disposition': `attachment; filename="sigil-audit-${stamp}.${format}"` },
        stream: logs.exportLogs(filter, format),
      };
    },
  }),
  get: route({
    method: 'GET', path: '/api/logs/:id', scope: 'read:logs', tag, summary: 'Get an audit log entry',
    params: z.object({ id }), response: logResponse, status: 200, errors: [404],
    handler: async ({ params }) => ({ body: await logs.getLog(params.id) }),
  }),
};
