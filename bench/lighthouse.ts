/**
 * Lighthouse (v12) in Debian's Chromium: one headless browser for the whole bench, one run per page and
 * form factor (the mobile default, with its simulated slow 4G and CPU slowdown, or the desktop preset).
 * Each run starts from cleared storage (Lighthouse's default), so no page warms the next one's cache.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../test/helpers/chromium.js';

export const CATEGORIES = ['performance', 'accessibility', 'best-practices'] as const;
export type Category = (typeof CATEGORIES)[number];
export const TARGETS: Record<Category, number> = { performance: 90, accessibility: 95, 'best-practices': 95 };
export type FormFactor = 'mobile' | 'desktop';

const CHROME_FLAGS = ['--headless=new', ...CHROMIUM_ARGS];

export interface Failing {
  title: string;
  /** What Lighthouse shows beside it: a time, a count, a size. */
  value: string | undefined;
}

export interface NetworkRecord {
  url: string;
  resourceType: string | undefined;
  transferSize: number;
  resourceSize: number;
  statusCode: number;
}

export interface PageAudit {
  /** 0-100 per category. */
  scores: Record<Category, number>;
  /** Per category: the audits that cost points (score under 1, weighted or, for performance, any metric). */
  failing: Record<Category, Failing[]>;
  metrics: { fcpMs: number; lcpMs: number; tbtMs: number; cls: number; speedIndexMs: number };
  requests: NetworkRecord[];
  consoleErrors: string[];
  warnings: string[];
}

export async function launchChromium(): Promise<chromeLauncher.LaunchedChrome> {
  return chromeLauncher.launch({
    chromePath: process.env.CHROME_PATH ?? CHROMIUM_PATH,
    chromeFlags: CHROME_FLAGS,
  });
}

type Result = NonNullable<Awaited<ReturnType<typeof lighthouse>>>['lhr'];
type AuditResult = Result['audits'][string];

const numeric = (audit: AuditResult | undefined) => audit?.numericValue ?? NaN;

function failingOf(lhr: Result, category: Category): Failing[] {
  const refs = lhr.categories[category]?.auditRefs ?? [];
  return refs
    .filter((ref) => ref.weight > 0 || (category === 'performance' && ref.group === 'metrics'))
    .map((ref) => lhr.audits[ref.id]!)
    .filter((audit) => audit.score !== null && audit.score < 1 && audit.scoreDisplayMode !== 'informative')
    .map((audit) => ({ title: audit.title, value: audit.displayValue }));
}

function tableItems<T>(audit: AuditResult | undefined): T[] {
  const details = audit?.details as { items?: T[] } | undefined;
  return details?.items ?? [];
}

/** BENCH_LIGHTHOUSE_LOG: Lighthouse's own log level (error, warn, info, verbose). */
const LOG_LEVEL = (process.env.BENCH_LIGHTHOUSE_LOG ?? 'error') as 'error' | 'warn' | 'info' | 'verbose';
/** BENCH_LIGHTHOUSE_REPORTS=<dir>: each run's HTML report is written there too. */
const REPORTS = process.env.BENCH_LIGHTHOUSE_REPORTS;

export async function auditPage(port: number, url: string, formFactor: FormFactor, name: string): Promise<PageAudit> {
  const result = await lighthouse(
    url,
    { port, output: 'html', logLevel: LOG_LEVEL, onlyCategories: [...CATEGORIES] },
    formFactor === 'desktop' ? desktopConfig : undefined,
  );
  if (!result) throw new Error(`Lighthouse returned nothing for ${url}`);
  const { lhr } = result;
  if (REPORTS) {
    fs.mkdirSync(REPORTS, { recursive: true });
    const file = `${name.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '')}-${formFactor}-${Date.now()}.html`;
    fs.writeFileSync(path.join(REPORTS, file), result.report as string);
  }
  if (lhr.runtimeError) throw new Error(`Lighthouse could not audit ${url}: ${lhr.runtimeError.message}`);
  const scores = Object.fromEntries(
    CATEGORIES.map((c) => [c, Math.round((lhr.categories[c]?.score ?? NaN) * 100)]),
  ) as Record<Category, number>;
  const failing = Object.fromEntries(CATEGORIES.map((c) => [c, failingOf(lhr, c)])) as Record<Category, Failing[]>;
  return {
    scores,
    failing,
    metrics: {
      fcpMs: numeric(lhr.audits['first-contentful-paint']),
      lcpMs: numeric(lhr.audits['largest-contentful-paint']),
      tbtMs: numeric(lhr.audits['total-blocking-time']),
      cls: numeric(lhr.audits['cumulative-layout-shift']),
      speedIndexMs: numeric(lhr.audits['speed-index']),
    },
    requests: tableItems<NetworkRecord>(lhr.audits['network-requests']),
    consoleErrors: tableItems<{ description: string; url?: string }>(lhr.audits['errors-in-console']).map(
      (item) => `${item.description}${item.url ? ` (${item.url})` : ''}`,
    ),
    warnings: lhr.runWarnings,
  };
}
