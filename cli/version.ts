/** The version in package.json, found from here in a checkout (cli/) and in a build (dist/cli/). */
import fs from 'node:fs';
import path from 'node:path';

export function packageVersion(): string {
  for (let dir = import.meta.dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    try {
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (manifest.name === 'gavel' && manifest.version) return manifest.version;
    } catch {
      // no package.json here: look further up
    }
  }
  return 'unknown';
}
