/**
 * The web bench's floors, served the way the API serves the app (express.static, no compression): a
 * static page with no JavaScript at all (what Lighthouse gives a page that only paints HTML and CSS),
 * and a bare Preact "hello" built by the same Vite and plugin as the app (the least JavaScript a Preact
 * page can cost).
 */
import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import preact from '@preact/preset-vite';
import express from 'express';
import { build } from 'vite';
import { listen, portOf } from '../api/server.js';
import { repoRoot } from '../scripts/stack/profiles.js';

const HEAD = `<meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="description" content="A floor for the web bench." />
    <link rel="icon" href="data:," />`;

const STATIC_PAGE = `<!doctype html>
<html lang="en">
  <head>
    ${HEAD}
    <title>Static floor</title>
  </head>
  <body>
    <main><h1>Hello</h1><p>A page with no JavaScript.</p></main>
  </body>
</html>
`;

const HELLO_PAGE = `<!doctype html>
<html lang="en">
  <head>
    ${HEAD}
    <title>Preact floor</title>
  </head>
  <body>
    <div id="app"></div>
    <script type="module" src="/main.tsx"></script>
  </body>
</html>
`;

const HELLO_MAIN = `import { render } from 'preact';
render(<main><h1>Hello</h1><p>A page Preact rendered.</p></main>, document.getElementById('app')!);
`;

export interface Floors {
  staticUrl: string;
  helloUrl: string;
  /** The hello build, for its manifest. */
  helloDir: string;
  servers: http.Server[];
  remove: () => void;
}

export async function startFloors(): Promise<Floors> {
  // Inside the checkout (.gavel is git-ignored), so the build resolves preact from its node_modules.
  fs.mkdirSync(path.join(repoRoot, '.gavel'), { recursive: true });
  const root = fs.mkdtempSync(path.join(repoRoot, '.gavel', 'web-floor-'));
  const src = path.join(root, 'hello');
  fs.mkdirSync(src);
  fs.writeFileSync(path.join(src, 'index.html'), HELLO_PAGE);
  fs.writeFileSync(path.join(src, 'main.tsx'), HELLO_MAIN);
  const helloDir = path.join(root, 'hello-dist');
  await build({
    configFile: false,
    root: src,
    logLevel: 'warn',
    plugins: [preact()],
    build: {
      outDir: helloDir,
      emptyOutDir: true,
      target: 'es2022',
      manifest: true,
      modulePreload: { polyfill: false },
    },
  });
  const staticDir = path.join(root, 'static');
  fs.mkdirSync(staticDir);
  fs.writeFileSync(path.join(staticDir, 'index.html'), STATIC_PAGE);

  const serve = async (dir: string) => {
    const app = express();
    app.use(express.static(dir));
    const server = await listen(app, '127.0.0.1', 0);
    return { server, url: `http://127.0.0.1:${portOf(server)}/` };
  };
  const [staticFloor, hello] = await Promise.all([serve(staticDir), serve(helloDir)]);
  return {
    staticUrl: staticFloor.url,
    helloUrl: hello.url,
    helloDir,
    servers: [staticFloor.server, hello.server],
    remove: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}
