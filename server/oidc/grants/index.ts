import { authorizationCode } from './authorization-code.ts';
import { clientCredentials } from './client-credentials.ts';
import { refreshToken } from './refresh-token.ts';
import { tokenExchange } from './token-exchange.ts';
import type { Grant } from './types.ts';

/** Every grant Sigil implements, by grant_type. Discovery lists exactly these. */
export const GRANTS: ReadonlyMap<string, Grant> = new Map([authorizationCode, refreshToken, clientCredentials, tokenExchange].map((g) => [g.grantType, g]));
