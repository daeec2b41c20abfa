/**
 * The web app as a visitor's browser gets it: Lighthouse's performance, accessibility and best-practices
 * scores for the listing (/) and an auction page (/auctions/<id>), mobile (the default: simulated slow
 * 4G, 4× CPU slowdown) and desktop, beside the targets (performance ≥ 90, accessibility ≥ 95, best
 * practices ≥ 95), with the audits that cost points when a score misses. Then the JavaScript an auction
 * page loads, gzipped (target ≤ 100 KB), measured from what the browser fetched and from Vite's
 * manifest. The floors, in the same run: a static page with no JavaScript and a bare Preact "hello".
 *
 * The API runs as production runs it (NODE_ENV=production, with secrets made for this run) and serves
 * the production Vite build, built here first; the worker runs in development mode (production wants
 * the workflow bundle `npm run build` makes). The catalogue is made through the API (bench/web-seed.ts).
 * Figures are printed, not asserted; the exit code is non-zero only when Lighthouse could not audit
 * a page at all (a failed run is printed, and one is made up).
 */
import path from 'node:path';
import { buildWebApp } from '../scripts/stack/web.js';
import { repoRoot } from '../scripts/stack/profiles.js';
import { spawnApi } from '../test/helpers/api-process.js';
import { startBenchBackend } from './backend.js';
import { productionEnv } from './production-env.js';
import { auditPage, CATEGORIES, launchChromium, TARGETS, type FormFactor, type PageAudit } from './lighthouse.js';
import { startFloors } from './web-floor.js';
import { fetchedScripts, kb, manifestScripts, weigh } from './web-js.js';
import { seedCatalogue } from './web-seed.js';

const RUNS = Math.max(1, Number(process.env.BENCH_LIGHTHOUSE_RUNS ?? 3));
const FORM_FACTORS: FormFactor[] = ['mobile', 'desktop'];
const JS_TARGET_BYTES = 100_000;
const WEB_DIST = path.join(repoRoot, 'web', 'dist');
const AUCTION_PAGE_SOURCE = 'src/pages/auction.tsx';

const say = (line = '') => process.stdout.write(`${line}\n`);

say('building the web app (production build into web/dist)');
await buildWebApp();
const floors = await startFloors();

const backend = await startBenchBackend();
const api = await spawnApi({
  ...productionEnv(),
  TEMPORAL_TASK_QUEUE: backend.config.TEMPORAL_TASK_QUEUE,
  LOG_LEVEL: 'warn',
});
say(`API ${api.url}: NODE_ENV=production (secrets made for this run), serving web/dist; worker: NODE_ENV=development`);
const catalogue = await seedCatalogue(api.url);
say(
  `seeded through the API: 4 users, ${catalogue.auctionIds.length} auctions (one with 2 photos and 6 bids, bids on 4 more), 1 sale`,
);

interface Page {
  name: string;
  url: string;
  floor: boolean;
}
const pages: Page[] = [
  { name: 'listing /', url: `${api.url}/`, floor: false },
  { name: 'auction /auctions/<id>', url: `${api.url}/auctions/${catalogue.featuredAuctionId}`, floor: false },
  { name: 'floor: static, no JS', url: floors.staticUrl, floor: true },
  { name: 'floor: Preact hello', url: floors.helloUrl, floor: true },
];

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : Math.round((sorted[mid - 1]! + sorted[mid]!) / 2);
};

let failed = false;
const audits = new Map<string, PageAudit[]>();
const chrome = await launchChromium().catch((error: unknown) => {
  say(`Lighthouse could not run: Chromium did not start (${String(error)})`);
  return null;
});
try {
  if (chrome) {
    for (const page of pages) {
      for (const formFactor of FORM_FACTORS) {
        const runs: PageAudit[] = [];
        // One failed run (Chromium's trace sometimes misses the navigation: NO_NAVSTART) is made up once.
        for (let attempt = 0; runs.length < RUNS && attempt < RUNS + 1; attempt++) {
          try {
            runs.push(await auditPage(chrome.port, page.url, formFactor, page.name));
          } catch (error) {
            say(`Lighthouse failed on ${page.name} (${formFactor}): ${String(error)}`);
          }
        }
        if (runs.length > 0) audits.set(`${page.name}|${formFactor}`, runs);
        else failed = true;
      }
    }
  }
} finally {
  chrome?.kill();
}

// --- Scores ---
say();
say(
  `Lighthouse ${RUNS > 1 ? `(median of ${RUNS} runs) ` : ''}scores, targets: performance ≥ ${TARGETS.performance}, accessibility ≥ ${TARGETS.accessibility}, best practices ≥ ${TARGETS['best-practices']}`,
);
say(`${'page'.padEnd(26)}${'form'.padEnd(9)}${CATEGORIES.map((c) => c.padEnd(16)).join('')}FCP     LCP     TBT    CLS`);
for (const page of pages) {
  for (const formFactor of FORM_FACTORS) {
    const runs = audits.get(`${page.name}|${formFactor}`);
    if (!runs) continue;
    const cells = CATEGORIES.map((c) => {
      const score = median(runs.map((r) => r.scores[c]));
      const mark = page.floor ? '' : score >= TARGETS[c] ? ' ok' : ' MISS';
      return `${score}/${TARGETS[c]}${mark}`.padEnd(16);
    });
    // The metrics of the run whose performance score is the median.
    const m = [...runs].sort((a, b) => a.scores.performance - b.scores.performance)[Math.floor(runs.length / 2)]!
      .metrics;
    say(
      `${page.name.padEnd(26)}${formFactor.padEnd(9)}${cells.join('')}${(m.fcpMs / 1000).toFixed(2)} s  ${(m.lcpMs / 1000).toFixed(2)} s  ${Math.round(m.tbtMs)} ms  ${m.cls.toFixed(3)}`,
    );
  }
}

// --- Why a score misses (the app's pages only) ---
for (const page of pages.filter((p) => !p.floor)) {
  for (const formFactor of FORM_FACTORS) {
    const runs = audits.get(`${page.name}|${formFactor}`);
    if (!runs) continue;
    for (const category of CATEGORIES) {
      if (median(runs.map((r) => r.scores[category])) >= TARGETS[category]) continue;
      const worst = runs.reduce((a, b) => (b.scores[category] < a.scores[category] ? b : a));
      say(
        `  ${page.name}, ${formFactor}, ${category} ${worst.scores[category]} < ${TARGETS[category]}; audits that cost points:`,
      );
      for (const audit of worst.failing[category]) say(`    - ${audit.title}${audit.value ? ` (${audit.value})` : ''}`);
    }
    const errors = runs[0]!.consoleErrors;
    if (errors.length > 0) say(`  ${page.name}, ${formFactor}: console errors: ${errors.join('; ')}`);
    for (const warning of runs[0]!.warnings) say(`  ${page.name}, ${formFactor}: Lighthouse warns: ${warning}`);
  }
}

// --- JavaScript an auction page loads ---
say();
say(`JavaScript an auction page loads (each file gzip -9, summed), target ≤ ${kb(JS_TARGET_BYTES)} gzipped`);
const auctionRuns = audits.get(`${pages[1]!.name}|mobile`);
const fromManifest = weigh(WEB_DIST, manifestScripts(WEB_DIST, [AUCTION_PAGE_SOURCE]));
if (auctionRuns) {
  const fetched = weigh(WEB_DIST, fetchedScripts(auctionRuns[0]!.requests, api.url));
  const verdict = fetched.gzipBytes <= JS_TARGET_BYTES ? 'ok' : 'MISS';
  say(
    `  fetched by the browser: ${kb(fetched.gzipBytes)} gzipped (${verdict}), ${kb(fetched.rawBytes)} raw, ${fetched.files.length} files: ${fetched.files.join(' ')}`,
  );
  const same = fetched.files.join() === fromManifest.files.join();
  say(
    `  Vite manifest (entry + ${AUCTION_PAGE_SOURCE} + static imports): ${kb(fromManifest.gzipBytes)} gzipped, ${kb(fromManifest.rawBytes)} raw, ${fromManifest.files.length} files${same ? ' (the same files)' : `: ${fromManifest.files.join(' ')}`}`,
  );
} else {
  say(
    `  Vite manifest (entry + ${AUCTION_PAGE_SOURCE} + static imports): ${kb(fromManifest.gzipBytes)} gzipped, ${kb(fromManifest.rawBytes)} raw (no Lighthouse run to cross-check)`,
  );
}
const listingEntry = weigh(WEB_DIST, manifestScripts(WEB_DIST, []));
say(
  `  the listing (the entry and its imports): ${kb(listingEntry.gzipBytes)} gzipped, ${kb(listingEntry.rawBytes)} raw`,
);
const hello = weigh(floors.helloDir, manifestScripts(floors.helloDir, []));
say(`  floor, a bare Preact "hello": ${kb(hello.gzipBytes)} gzipped, ${kb(hello.rawBytes)} raw`);

for (const server of floors.servers) server.close();
floors.remove();
api.process.kill('SIGTERM');
await api.exited;
await backend.stop([]);
if (failed || !chrome) {
  say('Lighthouse could not audit every page at all: exit 1');
  process.exit(1);
}
process.exit(0);
