/**
 * The dashboard and the alert rules in deploy/observability/ ask only for series the API and the worker
 * export, with labels those series have: a metric renamed in the code, or misspelt in a query, would
 * otherwise leave a panel empty and an alert silent without anyone noticing.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import type { Client } from '@temporalio/client';
import type { Registry } from 'prom-client';
import { parse } from 'yaml';
import { createMetrics } from '../api/metrics.js';
import type { Database } from '../db/pool.js';
import { createWorkerMetrics } from '../worker/metrics.js';

const folder = new URL('../deploy/observability/', import.meta.url);

/** Labels every scraped series carries besides its own: Prometheus's and Kubernetes service discovery's. */
const SCRAPE_LABELS = new Set(['namespace', 'pod', 'instance', 'job', 'le']);
const HISTOGRAM_SUFFIXES = ['_bucket', '_sum', '_count'];

/** Each exported metric's name, its label names, and whether it is a histogram. */
function exported(): Map<string, { labels: Set<string>; histogram: boolean }> {
  // Never scraped here, so the worker's database and Temporal client are not called.
  const worker = createWorkerMetrics({} as Database, { client: {} as Client, taskQueue: 'unused' });
  const registries: Registry[] = [createMetrics().registry, worker.registry];
  const metrics = new Map<string, { labels: Set<string>; histogram: boolean }>();
  for (const registry of registries) {
    for (const metric of registry.getMetricsAsArray()) {
      const { name, labelNames } = metric as unknown as { name: string; labelNames?: string[] };
      const histogram = metric.constructor.name === 'Histogram';
      metrics.set(name, { labels: new Set(labelNames ?? []), histogram });
    }
  }
  return metrics;
}

/** Every PromQL expression of the dashboard and the rules, with where it is. */
function queries(): { where: string; expr: string }[] {
  const dashboard = JSON.parse(fs.readFileSync(new URL('grafana-dashboard.json', folder), 'utf8')) as {
    panels: { title: string; targets?: { expr: string }[] }[];
  };
  const rules = parse(fs.readFileSync(new URL('alerts.yaml', folder), 'utf8')) as {
    groups: { rules: { alert: string; expr: string }[] }[];
  };
  return [
    ...dashboard.panels.flatMap((panel) => (panel.targets ?? []).map(({ expr }) => ({ where: panel.title, expr }))),
    ...rules.groups.flatMap((group) => group.rules.map(({ alert, expr }) => ({ where: alert, expr }))),
  ];
}

const METRIC = /\b((?:gavel|http|process|nodejs)_[a-z0-9_]+)(\{[^}]*\})?/g;

test('when the dashboard and the alerts are read, then every series they ask for is exported, with its labels', () => {
  const metrics = exported();
  const found = queries();
  assert.ok(found.length >= 20, `the dashboard's panels and the rules (${found.length})`);
  let checked = 0;
  for (const { where, expr } of found) {
    for (const [, name, selector] of expr.matchAll(METRIC)) {
      const suffix = HISTOGRAM_SUFFIXES.find((candidate) => name!.endsWith(candidate));
      const base =
        suffix && metrics.get(name!.slice(0, -suffix.length))?.histogram ? name!.slice(0, -suffix.length) : name!;
      const metric = metrics.get(base);
      assert.ok(metric, `${where}: ${name} is not exported by the API or the worker`);
      for (const [, label] of (selector ?? '').matchAll(/([a-z_]+)\s*=~?/g)) {
        assert.ok(metric.labels.has(label!) || SCRAPE_LABELS.has(label!), `${where}: ${name} has no label ${label}`);
      }
      checked++;
    }
  }
  assert.ok(checked >= 25, `series checked: ${checked}`);
});

test('when the rules are read, then each alert says how bad it is and what to do', () => {
  const rules = parse(fs.readFileSync(new URL('alerts.yaml', folder), 'utf8')) as {
    groups: { rules: { alert: string; labels?: { severity?: string }; annotations?: Record<string, string> }[] }[];
  };
  const alerts = rules.groups.flatMap((group) => group.rules);
  assert.ok(alerts.length >= 6);
  for (const alert of alerts) {
    assert.ok(['critical', 'warning'].includes(alert.labels?.severity ?? ''), alert.alert);
    assert.ok(alert.annotations?.summary && alert.annotations.description, alert.alert);
  }
  for (const needed of [
    'GavelBidsNotPersisted',
    'GavelPersistLagHigh',
    'GavelWorkflowsEndingBadly',
    'GavelMailBacklog',
    'GavelWebhookBacklog',
    'GavelApiNotReady',
  ])
    assert.ok(
      alerts.some((alert) => alert.alert === needed),
      needed,
    );
});
