// Logto's optional pagination: GET /applications, /resources and /hooks with neither `page` nor `page_size`
// answer every row (no Total-Number); with either, 20 (or page_size) a page with Total-Number.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { managementClient, startSigil, type Sigil } from '../helpers/sigil.ts';

describe('lists without page or page_size answer every row (Logto)', () => {
  let sigil: Sigil;
  let api: Awaited<ReturnType<typeof managementClient>>;
  beforeAll(async () => {
    sigil = await startSigil({ env: { SIGIL_ALLOW_PRIVATE_OUTBOUND: 'true' } });
    api = await managementClient(sigil);
    for (let i = 0; i < 23; i++) {
      expect((await api.post('/api/applications', { name: `app ${i}`, type: 'MachineToMachine' })).status).toBe(200);
      expect((await api.post('/api/resources', { name: `api ${i}`, indicator: `https://api-${i}.example.test` })).status).toBe(201);
    }
  });
  afterAll(async () => sigil?.stop());

  for (const path of ['/api/applications', '/api/resources']) {
    it(`${path}: every row without paging parameters, pages with either`, async () => {
      const all = await api.get(path);
      expect(all.status).toBe(200);
      expect(all.headers.get('total-number')).toBeNull();
      expect(all.body.length).toBeGreaterThanOrEqual(24);
      const first = await api.get(`${path}?page=1`);
      expect(first.body).toHaveLength(20);
      expect(Number(first.headers.get('total-number'))).toBe(all.body.length);
      const sized = await api.get(`${path}?page_size=5`);
      expect(sized.body).toHaveLength(5);
      expect(Number(sized.headers.get('total-number'))).toBe(all.body.length);
      expect((await api.get(`${path}?page_size=101`)).status).toBe(400);
    });
  }
});
