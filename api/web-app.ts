/**
 * The web app (web/, built by Vite into web/dist) served by the API process from the same origin, so the
 * page and the API share cookies and nothing crosses origins. Hashed files under /assets/ never change
 * and are cached for a year; index.html is revalidated every time so a deploy reaches every browser at
 * once. Any other GET a browser makes for a page (Accept: text/html) outside the API's own paths gets
 * index.html, and the app's router takes it from there. A strict Content-Security-Policy goes with
 * every file: scripts, styles and connections only from this origin, images also from the image store.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import compression from 'compression';
import express, { Router, type RequestHandler } from 'express';
import helmet from 'helmet';

export interface WebAppOptions {
  /** The build output: index.html and assets/. */
  dir: string;
  /** Where auction photos are fetched from (the image store's public origin), besides this origin. */
  imageOrigins: string[];
}

const YEAR_SECONDS = 365 * 24 * 3600;
/** Paths the API answers itself, and the assets: an unknown one is a JSON 404, never the app. */
const ROOT_FILES = new Set(['/favicon.svg', '/robots.txt']);
const API_PATHS = /^\/(v1|docs|openapi\.json|\.well-known|healthz|readyz|metrics|assets)(\/|$)/;

export function contentSecurityPolicy(imageOrigins: string[]): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', ...imageOrigins],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    // The app links to Stripe Checkout and to SSO providers: they may learn the origin, not the path.
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    // Same-origin API, images from the store: nothing here needs to be embedded cross-origin.
    crossOriginEmbedderPolicy: false,
    crossOriginResourcePolicy: { policy: 'same-origin' },
  });
}

/**
 * The app's files, or null (the API alone) when the app has not been built. Middleware only, no routes:
 * the route table (api/route-table.ts) and with it the OpenAPI document and the 405 answers stay the API's.
 */
export function webAppRoutes(options: WebAppOptions): Router | null {
  const index = path.join(options.dir, 'index.html');
  if (!fs.existsSync(index)) return null;
  const router = Router();
  // The policy and compression together: what every file of the app is sent with. Compression here, not
  // for the whole API: bids and event streams stay as they are, and the app's JavaScript goes gzipped.
  const policy = contentSecurityPolicy(options.imageOrigins);
  const compress = compression();
  const headers: RequestHandler = (req, res, next) => policy(req, res, () => compress(req, res, next));
  const assets = express.static(path.join(options.dir, 'assets'), {
    immutable: true,
    maxAge: YEAR_SECONDS * 1000,
    index: false,
  });
  const rootFiles = express.static(options.dir, { index: false, maxAge: 3600 * 1000 });
  router.use('/assets', headers, assets);
  router.use((req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (ROOT_FILES.has(req.path)) return headers(req, res, () => void rootFiles(req, res, next));
    // A page a browser navigates to; an API client's unknown path stays a JSON 404.
    if (API_PATHS.test(req.path) || !(req.get('accept') ?? '').includes('text/html')) return next();
    headers(req, res, () => {
      res.set('Cache-Control', 'no-cache');
      res.sendFile(index, { cacheControl: false });
    });
  });
  return router;
}

/** Where the build lands beside this module: web/dist from the sources, dist/web/dist in a production build. */
export const defaultWebAppDir = fileURLToPath(new URL('../web/dist', import.meta.url));
