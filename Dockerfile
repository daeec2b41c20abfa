# syntax=docker/dockerfile:1

# Gavel API and worker image: `node dist/api/main.js` (default) or `node dist/worker/main.js`.
# Install scripts are skipped: the Temporal core bridge ships prebuilt native binaries in its package,
# and the other scripts (esbuild, @swc/core, protobufjs) only verify or announce what is already there.
# Node 24: its AsyncLocalStorage no longer rides on async hooks, which is what makes tracing cheap enough
# to leave on (docs/measurements.md, "Tracing's cost on the bid route").

FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# npm install, not npm ci: see scripts/setup.sh (some mirrors lack optional platform builds in the lockfile).
RUN npm install --no-save --no-audit --no-fund --ignore-scripts
COPY . .
# Emits dist/, including dist/workflow-bundle.js, dist/db/migrations and the web app in dist/web/dist.
RUN npm run build

FROM node:24-bookworm-slim AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --no-save --no-audit --no-fund --omit=dev --ignore-scripts && npm cache clean --force

FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
# Owned by root and only readable by the app user: the running process cannot rewrite its own code.
COPY package.json ./
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
USER node
EXPOSE 3000
CMD ["node", "dist/api/main.js"]
