// JavaScript evaluated inside every fresh QuickJS context before the admin's script.
//
// Nothing here is a host object: inputs arrive as JSON text and results leave as strings, so no host
// prototype or constructor is reachable from the VM.
//
// PRELUDE hardens the global scope and returns the host's private entry points:
// - eval and the Function constructors (plain/async/generator) are removed: scripts cannot compile
//   code at run time (the QuickJS parser recurses deeply, and nothing in a claims script needs it).
// - fetch(url, init) queues a request in a private outbox; the host drains it whenever the VM is
//   idle, performs it with the SSRF-safe client and delivers the outcome (resolve/reject).
// - api.denyAccess(message) records the denial in a private variable (so a script that catches the
//   thrown error is still denied) and throws.
// - The completion value is a setup function returning the entry points
//   [invoke, denied, drain, deliver, describe]. The script never sees them.
// Built-ins the protocol relies on are captured before the admin's code can replace them.
//
// QuickJS compiles only ~10 KB/ms under WebAssembly and the prelude is compiled on every run, so it
// is minimal: the fetch machinery is compiled on the first fetch() call (with the captured eval no
// script can reach), and error description only when a run fails (DESCRIBE, evaluated by the host).
export const PRELUDE_FILENAME = 'sigil:prelude';
export const SCRIPT_FILENAME = 'claims.js';

export const ENTRY_INVOKE = 0;
export const ENTRY_DENIED = 1;
export const ENTRY_DRAIN = 2;
export const ENTRY_DELIVER = 3;
export const ENTRY_DESCRIBE = 4;

/**
 * PRELUDE evaluates to setup(fetchModuleSource) -> [invoke, denied, drain, deliver, describe].
 * invoke('[token, context, environmentVariables, maxOutputChars]') returns a promise for either a
 * string — 'O'+claimsJson, 'L'+jsonLength (too large), 'I'+description (not a plain object), 'U'
 * (stringifies to nothing), 'N' (no getCustomJwtClaims) — or an array ['E', thrownValue] (the
 * script threw) / ['J', thrownValue] (JSON.stringify of the claims threw).
 * Written compactly on purpose: every character is compiled on every run.
 */
export const PRELUDE = `(function (src) {
'use strict';
var G = globalThis, O = Object, P = Promise, S = String, JP = JSON.parse, JS = JSON.stringify, EV = G.eval;
var ap = Reflect.apply, gp = O.getPrototypeOf, isA = Array.isArray, OP = O.prototype, FP = Function.prototype;
var th = P.prototype.then, rs = P.resolve, E = Error, denied = null, im = null, max = 0, n = function () {};
function no() { throw new EvalError('Code generation from strings is not allowed in claim scripts'); }
no.prototype = FP;
[FP, gp(async function () {}), gp(function* () {}), gp(async function* () {})].forEach(function (p) { O.defineProperty(p, 'constructor', { value: no }); });
delete G.eval;
G.Function = no;
G.console = { log: n, info: n, warn: n, error: n, debug: n, trace: n };
G.fetch = function fetch(u, o) { if (im === null) im = EV(src)(S, JS, JP, ap, P); return im.fetch(u, o); };
function denyAccess(m) {
  m = m === undefined ? 'Access denied' : S(m);
  if (denied === null) denied = m;
  var e = new E(m);
  e.name = 'AccessDeniedError';
  throw e;
}
function fail(e) { return ['E', e]; }
function done(r) {
  var t = typeof r, j;
  if (r === null || t !== 'object') return 'I' + (r === null ? 'null' : t === 'function' ? 'a function' : 'a ' + t);
  if (isA(r)) return 'Ian array';
  t = gp(r);
  if (t !== OP && t !== null) return 'Ia class instance';
  try { j = JS(r); } catch (e) { return ['J', e]; }
  return typeof j !== 'string' ? 'U' : j.length > max ? 'L' + j.length : 'O' + j;
}
return [
  function (s) {
    var a = JP(s), f, r;
    max = a[3];
    try { f = getCustomJwtClaims; } catch (e) {}
    if (typeof f !== 'function') return ap(rs, P, ['N']);
    try { r = f({ token: a[0], context: a[1], environmentVariables: a[2], api: O.freeze({ denyAccess: denyAccess }) }); }
    catch (e) { return ap(rs, P, [fail(e)]); }
    return ap(th, ap(rs, P, [r]), [done, fail]);
  },
  function () { return denied; },
  function () { return im === null ? '' : im.drain(); },
  function (s) { if (im !== null) im.deliver(s); },
  function (x, v) { return EV(x)(S, JS)(v); }
];
})`;

/**
 * Evaluated on the first fetch() by the prelude's captured eval; returns { fetch, drain, deliver }.
 * It reads a few built-ins only then, after the script ran: a script that replaced them can only
 * break its own fetch calls (the host validates everything it receives).
 */
export const FETCH_MODULE = `(function (S, JS, JP, apply, P) {
'use strict';
var dp = Object.defineProperty, isA = Array.isArray, keys = Object.keys, hasOwn = Object.prototype.hasOwnProperty, TE = TypeError;
var pending = Object.create(null), outbox = Object.create(null), outN = 0, nextId = 0;
function own(o, k) { return o !== null && typeof o === 'object' && apply(hasOwn, o, [k]); }
function pairs(x) {
  var out = '[', n = 0;
  function add(k, v) { out += (n++ ? ',' : '') + '[' + JS(S(k)) + ',' + JS(S(v)) + ']'; }
  if (x === null || x === undefined) return '[]';
  if (isA(x)) { for (var i = 0; i < x.length; i++) add(x[i][0], x[i][1]); }
  else if (typeof x.forEach === 'function' && typeof x.entries === 'function') x.forEach(function (v, k) { add(k, v); });
  else { var ks = keys(x); for (var j = 0; j < ks.length; j++) add(ks[j], x[ks[j]]); }
  return out + ']';
}
function fetch(input, init) {
  var url = S(input !== null && typeof input === 'object' && typeof input.url === 'string' ? input.url : input);
  var method = 'GET', headers = '[]', body = 'null';
  if (init !== null && init !== undefined) {
    if (init.method !== undefined) method = S(init.method);
    if (init.headers !== undefined) headers = pairs(init.headers);
    if (init.body !== undefined && init.body !== null) body = JS(S(init.body));
  }
  var id = ++nextId;
  var entry = '{"id":' + id + ',"url":' + JS(url) + ',"method":' + JS(method) + ',"headers":' + headers + ',"body":' + body + '}';
  return new P(function (resolve, reject) { pending[id] = { resolve: resolve, reject: reject }; outbox[outN++] = entry; });
}
function response(m) {
  var body = m.body, headers = m.headers;
  dp(headers, 'get', { value: function (name) { var k = S(name).toLowerCase(); return own(headers, k) ? headers[k] : null; } });
  dp(headers, 'has', { value: function (name) { return own(headers, S(name).toLowerCase()); } });
  return {
    ok: m.status >= 200 && m.status < 300, status: m.status, statusText: m.statusText, url: m.url, redirected: m.redirected, headers: headers,
    text: function () { return new P(function (resolve) { resolve(body); }); },
    json: function () { return new P(function (resolve) { resolve(JP(body)); }); }
  };
}
function deliver(json) {
  var list = JP(json);
  for (var i = 0; i < list.length; i++) {
    var m = list[i], p = pending[m.id];
    if (!p) continue;
    delete pending[m.id];
    if (own(m, 'error')) apply(p.reject, undefined, [new TE('fetch failed: ' + m.error)]);
    else apply(p.resolve, undefined, [response(m)]);
  }
}
function drain() {
  if (outN === 0) return '';
  var s = '[';
  for (var i = 0; i < outN; i++) { s += (i ? ',' : '') + outbox[i]; delete outbox[i]; }
  outN = 0;
  return s + ']';
}
return { fetch: fetch, deliver: deliver, drain: drain };
})`;

/**
 * Compiled (through the prelude's describe entry, with the captured String and JSON.stringify) only
 * when a run fails: describes a thrown value as JSON {type, name, message, stack}. Property reads may
 * run script getters; the host bounds them with a short interrupt deadline.
 */
export const DESCRIBE = `(function (S, JS) {
'use strict';
return function (e) {
  var type = e === null ? 'null' : typeof e, name = '', message = '', stack = '';
  try {
    if (type === 'object' || type === 'function') {
      name = e.name === undefined ? '' : S(e.name);
      message = e.message === undefined ? '' : S(e.message);
      stack = e.stack === undefined ? '' : S(e.stack);
    } else message = S(e);
  } catch (ignored) {}
  return '{"type":' + JS(type) + ',"name":' + JS(name) + ',"message":' + JS(message) + ',"stack":' + JS(stack) + '}';
};
})`;
