// Hardening of a reused ("warm") context, so one run cannot leave anything a later run would see
// except the admin script's own top-level state.
//
// HARDEN_CAPTURE is evaluated after the prelude and BEFORE the admin's script: it captures the
// primordials it needs and the names of the global properties that exist at that point (the
// intrinsics and the prelude's console/fetch). It returns harden(), called by the host once the
// admin's script has been evaluated (defining getCustomJwtClaims). harden():
// - deep-freezes everything reachable from those intrinsic globals and from a few intrinsics only
//   reachable through instances (iterator, generator, async function prototypes): every prototype,
//   constructor and namespace object (Object.prototype, Array.prototype, Function.prototype, Promise,
//   JSON, Math, Reflect, Error types, ...), plus their prototype chains;
// - makes those intrinsic global properties non-writable and non-configurable, makes
//   getCustomJwtClaims non-writable, seals the script's other globals (they stay writable, like its
//   top-level let/const) and makes globalThis non-extensible: no run can create or replace a global;
// - "override taming" (as in SES): freezing a prototype makes assignments like `err.name = 'X'` or
//   `Child.prototype.constructor = Child` throw in strict code (the "override mistake"). For the
//   usual victims (constructor, name, message, toString, valueOf, toJSON, toLocaleString) a writable
//   data property on a frozen object becomes a getter plus a setter that defines an own property on
//   the receiver instead, so such scripts behave as in a fresh context.
// The prelude's mutable state (denied flag, fetch module, output limit) lives in closures and is not
// affected by freezing.
import type { PreparedContext } from './context.ts';

/** A warm context's build state, shared between the warm pool and the run that builds it. */
export interface WarmState {
  /** Set by the first run once the script is evaluated and the context hardened. */
  prepared: PreparedContext | null;
}

export const HARDEN_CAPTURE = `(function () {
'use strict';
var G = globalThis, O = Object, R = Reflect, ap = R.apply, ok = R.ownKeys, gp = O.getPrototypeOf, gd = O.getOwnPropertyDescriptor;
var dp = O.defineProperty, fr = O.freeze, pe = O.preventExtensions, cr = O.create, has = O.prototype.hasOwnProperty;
var WS = WeakSet, wa = WS.prototype.add, wh = WS.prototype.has, TE = TypeError, it = Symbol.iterator;
var base = ok(G);
var roots = [async function () {}, function* () {}, async function* () {}, (function* () {})(), (async function* () {})(),
  [][it](), new Map()[it](), new Set()[it](), ''[it](), /x/g[Symbol.matchAll](''), P0(), (function () { return arguments; })()];
function P0() { return Promise.resolve(); }
var TAME = cr(null);
TAME.constructor = TAME.name = TAME.message = TAME.toString = TAME.valueOf = TAME.toJSON = TAME.toLocaleString = 1;
function tame(o, k, d) {
  // Accessor functions have no .prototype, so taming never creates new objects to tame.
  var v = d.value, acc = gd({
    get v() { return v; },
    set v(x) {
      if (this === o) throw new TE('Cannot assign to read only property ' + k);
      dp(this, k, { value: x, writable: true, enumerable: true, configurable: true });
    }
  }, 'v');
  dp(o, k, { get: acc.get, set: acc.set, enumerable: d.enumerable, configurable: false });
}
return function harden() {
  var seen = new WS(), stack = cr(null), n = 0, i, k, d, o, ks;
  function push(v) {
    if (((typeof v === 'object' && v !== null) || typeof v === 'function') && v !== G && !ap(wh, seen, [v])) { ap(wa, seen, [v]); stack[n++] = v; }
  }
  for (i = 0; i < base.length; i++) { d = gd(G, base[i]); if (d) { push(d.value); push(d.get); push(d.set); } }
  for (i = 0; i < roots.length; i++) push(roots[i]);
  push(gp(G));
  while (n > 0) {
    o = stack[--n];
    delete stack[n];
    push(gp(o));
    ks = ok(o);
    for (i = 0; i < ks.length; i++) {
      k = ks[i];
      d = gd(o, k);
      if (!d) continue;
      if (ap(has, d, ['value'])) {
        if (typeof o !== 'function' && typeof k === 'string' && TAME[k] === 1 && d.writable && d.configurable) {
          tame(o, k, d);
          d = gd(o, k);
          push(d.get); push(d.set);
        }
        push(d.value);
      } else { push(d.get); push(d.set); }
    }
    fr(o);
  }
  for (i = 0; i < base.length; i++) {
    d = gd(G, base[i]);
    if (d && d.configurable !== false || d && d.writable) dp(G, base[i], ap(has, d, ['value']) ? { writable: false, configurable: false } : { configurable: false });
  }
  ks = ok(G);
  for (i = 0; i < ks.length; i++) {
    k = ks[i];
    d = gd(G, k);
    if (!d) continue;
    if (k === 'getCustomJwtClaims' && ap(has, d, ['value'])) dp(G, k, { writable: false, configurable: false });
    else if (d.configurable) dp(G, k, { configurable: false });
  }
  pe(G);
};
})()`;
