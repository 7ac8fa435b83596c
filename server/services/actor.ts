/** Who made a change or a request: recorded with every audit entry and management event. */
export type Actor =
  | { type: 'administrator'; id: string; email?: string; ip?: string; userAgent?: string }
  | { type: 'application'; id: string; ip?: string; userAgent?: string }
  | { type: 'system'; id: 'system' | 'cli' | 'bootstrap'; ip?: string; userAgent?: string };

export const SYSTEM: Actor = { type: 'system', id: 'system' };
export const CLI: Actor = { type: 'system', id: 'cli' };
export const BOOTSTRAP: Actor = { type: 'system', id: 'bootstrap' };
