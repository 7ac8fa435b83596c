// The SSRF-safe outbound client shared by claim-script fetch and webhooks.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { blockedReason, isBlockedAddress, OutboundError, safeRequest } from '../../../server/services/outbound/index.ts';
import { startServer, type TestServer } from './helpers.ts';

vi.setConfig({ testTimeout: 30_000 });

describe('isBlockedAddress', () => {
  it.each([
    '127.0.0.1',
    '127.255.255.254',
    '10.0.0.1',
    '10.255.255.255',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '169.254.0.1',
    '100.64.0.1',
    '100.127.255.255',
    '0.0.0.0',
    '0.1.2.3',
    '224.0.0.1',
    '239.255.255.250',
    '255.255.255.255',
    '240.0.0.1',
    '198.18.0.1',
    '192.0.2.1',
    '::1',
    '::',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:10.0.0.1',
    '::ffff:169.254.169.254',
    '0:0:0:0:0:ffff:192.168.0.1',
    '::127.0.0.1',
    'fe80::1',
    'fe80::1%eth0',
    'fc00::1',
    'fd12:3456::1',
    'fd00:ec2::254',
    'ff02::1',
    '64:ff9b::127.0.0.1',
    '64:ff9b::a00:1',
    '2002:7f00:1::1',
    '2002:c0a8:101::1',
    '2001:db8::1',
    '2001::1',
    '[::1]',
    'not-an-ip',
    '',
    '1.2.3',
    '256.1.1.1',
  ])('blocks %s', (ip) => {
    expect(isBlockedAddress(ip)).toBe(true);
  });

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '93.184.216.34', '2606:4700:4700::1111', '2001:4860:4860::8888', '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::1'])(
    'allows public %s',
    (ip) => {
      expect(isBlockedAddress(ip)).toBe(false);
    },
  );

  it('names the reason', () => {
    expect(blockedReason('169.254.169.254')).toBe('metadata');
    expect(blockedReason('fd00:ec2::254')).toBe('metadata');
    expect(blockedReason('127.0.0.1')).toBe('loopback');
    expect(blockedReason('10.1.1.1')).toBe('private');
    expect(blockedReason('8.8.8.8')).toBeNull();
  });
});

describe('safeRequest', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer((req, res) => {
      if (req.url === '/big') return void res.end('x'.repeat(5000));
      if (req.url === '/big-declared') {
        res.setHeader('content-length', '999999');
        return void res.write('x');
      }
      if (req.url === '/hang') return;
      if (req.url === '/redirect') {
        res.writeHead(302, { location: '/info' });
        return void res.end();
      }
      if (req.url === '/redirect-loopback-name') {
        res.writeHead(307, { location: `http://localhost:${server.port}/info` });
        return void res.end();
      }
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ host: req.headers.host, auth: req.headers.authorization ?? null, ua: req.headers['user-agent'], url: req.url }));
    });
  });
  afterAll(async () => {
    await server.close();
  });

  async function code(promise: Promise<unknown>): Promise<string> {
    try {
      await promise;
      return 'ok';
    } catch (error) {
      expect(error).toBeInstanceOf(OutboundError);
      return (error as OutboundError).code;
    }
  }

  it('blocks loopback and names resolving to it, without connecting', async () => {
    const connect = vi.spyOn(net.Socket.prototype, 'connect');
    try {
      expect(await code(safeRequest({ url: `${server.url}/info` }))).toBe('blocked_address');
      expect(await code(safeRequest({ url: `http://localhost:${server.port}/info` }))).toBe('blocked_address');
      expect(await code(safeRequest({ url: 'http://10.0.0.1/' }))).toBe('blocked_address');
      expect(await code(safeRequest({ url: 'http://[::ffff:169.254.169.254]/' }))).toBe('blocked_address');
      expect(connect).not.toHaveBeenCalled();
    } finally {
      connect.mockRestore();
    }
    expect(server.hits).toEqual([]);
  });

  it('refuses when ANY resolved address is private (DNS answers mixing public and private)', async () => {
    const resolve = async () => [
      { address: '93.184.216.34', family: 4 },
      { address: '127.0.0.1', family: 4 },
    ];
    expect(await code(safeRequest({ url: `http://mixed.example:${server.port}/`, resolve }))).toBe('blocked_address');
    expect(server.hits).toEqual([]);
  });

  it('pins the connection to the vetted address (no second DNS lookup) and keeps the Host header', async () => {
    let lookups = 0;
    const resolve = async () => {
      lookups++;
      return [{ address: '127.0.0.1', family: 4 }];
    };
    // "sigil-test.invalid" does not exist in DNS: success proves the socket used the vetted address.
    const res = await safeRequest({ url: `http://sigil-test.invalid:${server.port}/info`, resolve, allowPrivateNetworks: true });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body.toString())).toMatchObject({ host: `sigil-test.invalid:${server.port}`, ua: 'Sigil' });
    expect(res.remoteAddress).toBe('127.0.0.1');
    expect(lookups).toBe(1);
  });

  it('rejects invalid URLs and schemes', async () => {
    expect(await code(safeRequest({ url: 'not a url' }))).toBe('invalid_url');
    expect(await code(safeRequest({ url: 'ftp://example.com/' }))).toBe('invalid_url');
    expect(await code(safeRequest({ url: 'file:///etc/passwd' }))).toBe('invalid_url');
    expect(await code(safeRequest({ url: 'http://example.com/', method: 'CONNECT' }))).toBe('invalid_url');
    expect(await code(safeRequest({ url: 'http://example.com/', headers: { 'x-bad': 'a\r\nInjected: 1' } }))).toBe('invalid_url');
  });

  it('caps the response size (streamed and declared)', async () => {
    const allow = { allowPrivateNetworks: true, maxResponseBytes: 1000 };
    expect(await code(safeRequest({ url: `${server.url}/big`, ...allow }))).toBe('too_large');
    expect(await code(safeRequest({ url: `${server.url}/big-declared`, ...allow }))).toBe('too_large');
  });

  it('times out', async () => {
    const started = Date.now();
    expect(await code(safeRequest({ url: `${server.url}/hang`, allowPrivateNetworks: true, timeoutMs: 150 }))).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('reports network errors', async () => {
    const closed = await startServer(() => {});
    await closed.close();
    expect(await code(safeRequest({ url: `${closed.url}/`, allowPrivateNetworks: true, timeoutMs: 2000 }))).toBe('network');
  });

  it('does not follow redirects by default; follows (re-validating) when asked', async () => {
    const first = await safeRequest({ url: `${server.url}/redirect`, allowPrivateNetworks: true });
    expect(first.status).toBe(302);
    const followed = await safeRequest({ url: `${server.url}/redirect`, allowPrivateNetworks: true, maxRedirects: 3 });
    expect(followed.status).toBe(200);
    expect(followed.redirected).toBe(true);
    expect(JSON.parse(followed.body.toString()).url).toBe('/info');
  });

  it('every redirect hop is resolved and checked again before connecting', async () => {
    // The first hop (public.example -> the test server) connects; the redirect names localhost, which is
    // resolved afresh (no pinning to the first hop's address) and, resolving to nothing, is never reached.
    const asked: string[] = [];
    const resolve = async (host: string) => (asked.push(host), host === 'public.example' ? [{ address: '127.0.0.1', family: 4 }] : []);
    const before = server.hits.filter((h) => h.startsWith('GET')).length;
    await expect(
      safeRequest({ url: `http://public.example:${server.port}/redirect-loopback-name`, resolve, allowPrivateNetworks: true, maxRedirects: 3 }),
    ).rejects.toMatchObject({ code: 'network' });
    expect(asked).toEqual(['public.example', 'localhost']);
    const requests = server.hits.filter((h) => h.startsWith('GET')).slice(before);
    expect(requests).toEqual(['GET /redirect-loopback-name']);
  });

  it('turns URL credentials into Basic auth and strips Authorization on cross-origin redirects', async () => {
    const res = await safeRequest({ url: `http://user:pa%20ss@127.0.0.1:${server.port}/info`, allowPrivateNetworks: true });
    expect(JSON.parse(res.body.toString()).auth).toBe(`Basic ${Buffer.from('user:pa ss').toString('base64')}`);
  });
});
