/**
 * The app's routes as express itself holds them (its router stack), so nothing keeps a second list:
 * the OpenAPI test compares this table with the document, and a request whose path exists but whose
 * method does not is answered 405 with the Allow header RFC 9110 asks for, instead of a bare 404.
 */
import type { Express, RequestHandler } from 'express';
import { errorBody } from './errors.js';

/** The parts of a `router` Layer this module reads (express 5; its published types are express 4's). */
interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle: { stack?: Layer[] };
  /** Mounted at the root (`app.use(router)`). */
  slash: boolean;
  /** Whether the layer's path matches; it records the match on the layer, which the router re-does per request. */
  match(path: string): boolean;
}

export interface RouteEntry {
  method: string;
  /** The express path, e.g. `/v1/auctions/:id`. */
  path: string;
}

const stackOf = (app: Express): Layer[] => (app.router as unknown as { stack: Layer[] }).stack;

/** Routes, and those of routers mounted at the root, depth first (the feature routers are all mounted so). */
function* walk(stack: Layer[]): Generator<Layer> {
  for (const layer of stack) {
    if (layer.route) yield layer;
    else if (layer.slash && layer.handle.stack) yield* walk(layer.handle.stack);
  }
}

/** Each (method, path) once: guards (api/security/guards.ts) are mounted on the same paths as the routes. */
export function routesOf(app: Express): RouteEntry[] {
  const entries = new Map<string, RouteEntry>();
  for (const layer of walk(stackOf(app))) {
    for (const method of Object.keys(layer.route!.methods)) {
      const entry = { method: method.toUpperCase(), path: layer.route!.path };
      if (method !== '_all') entries.set(`${entry.method} ${entry.path}`, entry);
    }
  }
  return [...entries.values()];
}

/** The methods a path is served with, listed as express's own OPTIONS answer lists them (HEAD with GET). */
function allowedMethods(app: Express, path: string): string[] {
  const methods = new Set<string>();
  for (const layer of walk(stackOf(app))) {
    if (!layer.match(path)) continue;
    for (const method of Object.keys(layer.route!.methods)) methods.add(method.toUpperCase());
  }
  if (methods.size === 0) return [];
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods].sort();
}

/** Mounted after every router: only requests no route answered get here. */
export function methodNotAllowed(app: Express): RequestHandler {
  return (req, res, next) => {
    const allow = allowedMethods(app, req.path);
    if (allow.length === 0) return next();
    res
      .status(405)
      .set('Allow', allow.join(', '))
      .json(errorBody('METHOD_NOT_ALLOWED', `${req.method} is not allowed here; allowed: ${allow.join(', ')}`));
  };
}

/**
 * OPTIONS, answered from the whole route table. Left to express, the first router with a route on the
 * path answers it with only its own methods (the guards router holds just the limited ones).
 */
export function answerOptions(app: Express): RequestHandler {
  return (req, res, next) => {
    if (req.method !== 'OPTIONS') return next();
    const allow = allowedMethods(app, req.path);
    if (allow.length === 0) return next();
    res.status(200).set('Allow', allow.join(', ')).type('text/plain').send(allow.join(','));
  };
}
