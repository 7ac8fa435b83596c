// The load generator of one run, in its own process so that it can be pinned to its own core (taskset -c 0)
// apart from the server under test. Plain JavaScript: nothing to compile on the load core.
//
// argv[2]: JSON { url, method, headers, body?, bodies?, connections, seconds }. `bodies`, when given, are sent
// one per request in order, each exactly once (autocannon's `amount`: the run ends when the last is answered,
// whatever `seconds` says): for requests that consume what they present, e.g. authorization codes minted
// before the run.
// stdout: the line `start` when load begins, then one JSON line with the result.
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

// The spec inline, or `@<file>` when it is too long for one argument (many bodies).
const arg = process.argv[2];
const o = JSON.parse(arg.startsWith('@') ? readFileSync(arg.slice(1), 'utf8') : arg);
const latencies = [];
const perSecond = [];
let t0 = 0;
let next = 0;
let instance;

const requests = o.bodies ? [{ setupRequest: (req) => ({ ...req, body: o.bodies[next++ % o.bodies.length] }) }] : undefined;
process.stdout.write('start\n');
t0 = performance.now();
instance = autocannon({
  url: o.url,
  method: o.method,
  headers: o.headers,
  body: o.body,
  requests,
  connections: o.connections,
  ...(o.bodies ? { amount: o.bodies.length } : { duration: o.seconds }),
  timeout: 10,
});
let lastResponse = 0;
instance.on('response', (_client, status, _bytes, responseTime) => {
  lastResponse = performance.now();
  if (status < 200 || status > 299) return;
  latencies.push(responseTime);
  const s = Math.floor((performance.now() - t0) / 1000);
  perSecond[s] = (perSecond[s] ?? 0) + 1;
});
const result = await instance;
// autocannon ends an `amount` run at its next 1 s sample tick, up to a second after the last answer: such a
// run lasts until its last response (a server that answers 500 codes in 0.7 s is not credited with 1 s).
const seconds = ((o.bodies && lastResponse ? lastResponse : performance.now()) - t0) / 1000;
latencies.sort((a, b) => a - b);
const pct = (p) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)] : NaN);
const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, s]) => [code, Number(s.count)]));
process.stdout.write(
  `${JSON.stringify({
    seconds,
    sent: result.requests.sent,
    completed: Object.values(statusCodes).reduce((a, b) => a + b, 0),
    ok: latencies.length,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
    p50: pct(50),
    p99: pct(99),
    perSecond: Array.from(perSecond, (n) => n ?? 0),
  })}\n`,
);
