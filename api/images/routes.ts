/** The image routes: a seller uploads (multipart/form-data) and deletes; the auction detail lists them. */
import { Router, type Request, type RequestHandler } from 'express';
import { userIdOf } from '../auth/require-user.js';
import { deleteImage, uploadImage, type ImageDeps } from './service.js';
import { closeUploadOnError } from './upload-refusal.js';

export const UPLOAD_PATH = '/v1/auctions/:id/images';

/** A path segment; anything but one string is no id (and so a 404 later). */
const param = (req: Request, name: string) => {
  const value: unknown = req.params[name];
  return typeof value === 'string' ? value : '';
};

export function imageRoutes(deps: ImageDeps, requireUser: RequestHandler): Router {
  const router = Router();

  const upload: RequestHandler = async (req, res) => {
    res.status(201).json(await uploadImage(deps, userIdOf(res), param(req, 'id'), req));
  };
  router.post(UPLOAD_PATH, requireUser, upload, closeUploadOnError);

  router.delete('/v1/auctions/:id/images/:imageId', requireUser, async (req, res) => {
    await deleteImage(deps, userIdOf(res), param(req, 'id'), param(req, 'imageId'));
    res.status(204).end();
  });

  return router;
}
