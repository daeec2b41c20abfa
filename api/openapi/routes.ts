/**
 * GET /openapi.json (the document) and GET /docs/ (Swagger UI reading it). The UI's scripts and styles
 * come from the swagger-ui-dist package on this server: nothing is fetched from a CDN, so the page also
 * works offline, and the online spec validator is off for the same reason.
 */
import { Router } from 'express';
import swaggerUi from 'swagger-ui-express';
import type { OpenApiDocument } from './document.js';

const UI_OPTIONS = {
  customSiteTitle: 'Gavel API reference',
  // Relative to /docs/, so the page also works behind a proxy that mounts the API under a prefix.
  swaggerUrl: '../openapi.json',
  swaggerOptions: { validatorUrl: null },
};

export function openApiRoutes(document: OpenApiDocument): Router {
  const router = Router();
  router.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  // The assets, and a redirect from /docs to /docs/ so the page's relative asset URLs resolve.
  router.use('/docs', swaggerUi.serveFiles(undefined, UI_OPTIONS));
  router.get('/docs/', swaggerUi.setup(undefined, UI_OPTIONS));
  return router;
}
