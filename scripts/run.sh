#!/usr/bin/env bash
# Entry point of `npm start`, `npm test` and `npm run bench`: install what is missing, then hand over
# to the stack supervisor (exec, so Ctrl-C and SIGTERM reach it directly).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/setup.sh"
cd "$root"
exec node --import tsx scripts/stack/cli.ts "$@"
