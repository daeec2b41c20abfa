#!/usr/bin/env bash
# `npm run test:unit`: the tests that need no services (no Postgres, Redis, Temporal or S3), by name:
# every test/**/*.unit.test.ts. `npm test` runs them too (it runs every *.test.ts). Node 20's test
# runner takes no glob, so the files are listed here. Arguments go to node before the files
# (`npm run test:unit -- --test-name-pattern=reserve`). Needs node_modules (any earlier `npm start`,
# `npm test` or `npm install`) and, for the workflow tests with time skipping, Temporal's test server
# (.gavel/bin/temporal-test-server, from `npm run setup`: they say so when it is missing); no stack.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(find test -name '*.unit.test.ts' -not -path '*/node_modules/*' | sort)
if [ "${#files[@]}" -eq 0 ]; then
  echo 'test:unit: no test/**/*.unit.test.ts files found' >&2
  exit 1
fi
exec node --import tsx --test --test-reporter=spec "$@" "${files[@]}"
