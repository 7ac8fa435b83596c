// Console-only procedures' inputs (the derived ones take their operation's own schemas).
import { z } from 'zod';
import { id } from '../schemas/common.ts';

export const byId = z.object({ id });
