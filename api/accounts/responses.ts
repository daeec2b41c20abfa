/** What the account routes answer, as zod schemas: the presenter is typed by them, the OpenAPI document generated from them. */
import { z } from 'zod';
import { instant, uuid } from '../wire-types.js';
import { emailAddress } from './schemas.js';

export const user = z
  .object({ id: uuid, email: emailAddress, displayName: z.string(), createdAt: instant })
  .meta({ id: 'User', description: 'An account, as anyone may see it: never the password hash.' });

export type UserJson = z.infer<typeof user>;
