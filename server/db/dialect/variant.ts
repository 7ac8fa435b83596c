import { dbProvider, type Provider } from '../index.ts';

/**
 * This database's entry of `variants`. A record keyed by every provider, so a concern cannot ship with a
 * variant missing (a new provider fails to compile until each concern here says what it does there).
 */
export function variant<T>(variants: Record<Provider, T>): T {
  return variants[dbProvider()];
}
