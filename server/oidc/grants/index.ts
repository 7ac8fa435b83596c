import { clientCredentials } from './client-credentials.ts';
import { tokenExchange } from './token-exchange.ts';
import type { Grant } from './types.ts';

/** Every grant Sigil implements, by grant_type. Discovery lists exactly these. */
export const GRANTS: ReadonlyMap<string, Grant> = new Map([clientCredentials, tokenExchange].map((g) => [g.grantType, g]));
