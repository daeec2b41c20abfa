/**
 * The JavaScript a page costs, two ways: what the build says it needs (Vite's manifest: the entry, the
 * page's chunk and every chunk either imports statically) and what the browser fetched during the
 * Lighthouse run (its network records, type Script). Each file is gzipped at level 9 here, as a server
 * or CDN would send it, and the sizes are summed; raw bytes beside them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { NetworkRecord } from './lighthouse.js';

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
}

export interface JsWeight {
  files: string[];
  rawBytes: number;
  gzipBytes: number;
}

export function weigh(dir: string, files: string[]): JsWeight {
  let rawBytes = 0;
  let gzipBytes = 0;
  for (const file of files) {
    const bytes = fs.readFileSync(path.join(dir, file));
    rawBytes += bytes.length;
    gzipBytes += gzipSync(bytes, { level: 9 }).length;
  }
  return { files: [...files].sort(), rawBytes, gzipBytes };
}

/** The entry (index.html's script) plus the chunks of `sources` and all they import statically. */
export function manifestScripts(dir: string, sources: string[]): string[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, '.vite', 'manifest.json'), 'utf8')) as Record<
    string,
    ManifestChunk
  >;
  const entries = Object.keys(manifest).filter((key) => manifest[key]!.isEntry);
  const files = new Set<string>();
  const visit = (key: string) => {
    const chunk = manifest[key];
    if (!chunk) throw new Error(`${key} is not in the manifest`);
    if (files.has(chunk.file)) return;
    files.add(chunk.file);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  for (const key of [...entries, ...sources]) visit(key);
  return [...files].filter((file) => file.endsWith('.js'));
}

/** The same-origin scripts the browser fetched, as paths inside the build (`assets/…`). */
export function fetchedScripts(requests: NetworkRecord[], origin: string): string[] {
  return requests
    .filter((r) => r.resourceType === 'Script' && r.url.startsWith(origin))
    .map((r) => new URL(r.url).pathname.replace(/^\//, ''));
}

export const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} KB`;
