/**
 * Cross-site request forgery defences for the routes a browser reaches with a cookie (the browser
 * session, api/accounts/session-routes.ts). The cookie is SameSite=Strict already; these checks hold
 * even where SameSite does not (an old browser, a sibling subdomain that counts as the same site):
 *
 * - `X-Gavel-Client: web` is required. A page on another origin cannot send a custom header without a
 *   CORS preflight, and this API grants none (it answers OPTIONS with Allow only, never
 *   Access-Control-Allow-*), so a forged request never leaves the attacker's page with it. Plain forms
 *   and <img> tags cannot set headers at all.
 * - `Sec-Fetch-Site`, when the browser sends it, must be `same-origin` (the app) or `none` (typed or
 *   bookmarked); `same-site` is refused too: a sibling subdomain is another application.
 * - `Origin`, when sent, must name this host (the app is served from the API's own origin). `null`
 *   (sandboxed frames, cross-origin redirects) names no host and is refused.
 *
 * Every refusal is the same 403, before the route does anything.
 */
import type { Request, RequestHandler } from 'express';
import { AppError } from '../errors.js';

export const CLIENT_HEADER = 'X-Gavel-Client';
export const WEB_CLIENT = 'web';

const ALLOWED_FETCH_SITES = new Set(['same-origin', 'none']);

const crossSite = () =>
  new AppError(
    403,
    'CROSS_SITE_REQUEST',
    `This route takes requests from the web app only (same origin, with ${CLIENT_HEADER}: ${WEB_CLIENT})`,
  );

/**
 * req.host is the Host header (X-Forwarded-Host behind a trusted proxy, TRUST_PROXY), port included;
 * both sides go through the URL parser, so case and a default port written out do not matter.
 */
function originIsThisHost(origin: string, req: Request): boolean {
  try {
    const from = new URL(origin);
    return req.host !== undefined && from.host === new URL(`${from.protocol}//${req.host}`).host;
  } catch {
    return false; // `null`, or not a URL at all
  }
}

export const requireSameOrigin: RequestHandler = (req, _res, next) => {
  if (req.get(CLIENT_HEADER) !== WEB_CLIENT) throw crossSite();
  const site = req.get('sec-fetch-site');
  if (site !== undefined && !ALLOWED_FETCH_SITES.has(site)) throw crossSite();
  const origin = req.get('origin');
  if (origin !== undefined && !originIsThisHost(origin, req)) throw crossSite();
  next();
};
