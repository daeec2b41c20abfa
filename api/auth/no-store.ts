/** Answers that carry tokens must not be kept by any cache on the way (RFC 6749 §5.1). */
import type { Response } from 'express';

export const noStore = (res: Response) => res.set('Cache-Control', 'no-store');
