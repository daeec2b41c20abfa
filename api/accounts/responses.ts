/** What the account routes answer, as zod schemas: the presenter is typed by them, the OpenAPI document generated from them. */
import { z } from 'zod';
import { ROLES } from '../../domain/moderation/roles.js';
import { instant, uuid } from '../wire-types.js';
import { emailAddress } from './schemas.js';

export const user = z
  .object({ id: uuid, email: emailAddress, displayName: z.string(), createdAt: instant })
  .meta({ id: 'User', description: 'An account, as anyone may see it: never the password hash.' });

export type UserJson = z.infer<typeof user>;

/** The signed-in account, with what it may do: its role (for an admin area) and whether an admin blocked it. */
export const me = user
  .extend({
    role: z.enum(ROLES).meta({ description: 'admin: may use the /v1/admin routes.' }),
    blocked: z.boolean().meta({
      description: 'Blocked by an admin: may sign in, read and pay existing orders, but not bid, sell or claim.',
    }),
  })
  .meta({ id: 'Me', description: 'The signed-in account, as its owner sees it.' });

export type MeJson = z.infer<typeof me>;
