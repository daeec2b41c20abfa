#!/usr/bin/env bash
# `npm run test:node-lines`: `npm test` again on each current Node LTS line, besides the Node that runs
# everything else here (package.json's `engines` promises them all). Each Node comes pinned from the
# npm registry's node-<os>-<arch> package (the machine reaches package registries only), unpacked
# into .gavel/node/<version>. Arguments go to `npm test` (test files, say). Every line is tried; the
# exit status says whether all passed. A line that fails has its failing tests repeated at the very end,
# so the tail of the output (all a CI summary may show) names them, not the next line's passing run.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
# The newest of each LTS line when this was written; NODE_LINES="…" picks others.
NODE_LINES=${NODE_LINES:-"22.23.3 24.21.0"}

say() { printf '[node-lines] %s\n' "$*"; }

case "$(uname -m)" in
  x86_64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) say "no Node package for $(uname -m)"; exit 1 ;;
esac
os=$(uname -s | tr '[:upper:]' '[:lower:]')

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ensure_node() {
  local version=$1 dir=$2
  if [ -x "$dir/bin/node" ] && [ "$("$dir/bin/node" --version)" = "v$version" ]; then return; fi
  say "fetching node-$os-$arch@$version from the npm registry"
  local work="$tmp/$version"
  # Each step checked: called from an `if`, this function runs without errexit.
  rm -rf "$work" && mkdir -p "$work/unpacked" || return 1
  # npm pack checks the tarball against the registry's integrity hash.
  (cd "$work" && npm pack --silent "node-$os-$arch@$version" >/dev/null) || return 1
  tar -xzf "$work"/*.tgz -C "$work/unpacked" --strip-components=1 package/bin || return 1
  "$work/unpacked/bin/node" --version >/dev/null || return 1
  # Into place whole, or not at all: a cut-off run leaves no half-unpacked Node behind.
  rm -rf "$dir" && mkdir -p "$(dirname "$dir")" && mv "$work/unpacked" "$dir"
}

cd "$root"
failed=()
for version in $NODE_LINES; do
  dir="$root/.gavel/node/$version"
  if ! ensure_node "$version" "$dir"; then
    failed+=("$version (not installed)")
    continue
  fi
  say "npm test on Node $("$dir/bin/node" --version)"
  # npm, the stack supervisor and the test runner all start as `node`: first on PATH, this one.
  log="$tmp/npm-test-$version.log"
  PATH="$dir/bin:$PATH" npm test -- "$@" 2>&1 | tee "$log" || failed+=("$version")
done
if [ ${#failed[@]} -gt 0 ]; then
  for version in "${failed[@]}"; do
    log="$tmp/npm-test-${version%% *}.log"
    [ -f "$log" ] || continue
    say "Node $version: the failing tests, as its run reported them"
    # node's spec reporter lists them after "failing tests:"; without it, the run's last lines say why.
    if grep -q 'failing tests:' "$log"; then sed -n '/failing tests:/,$p' "$log"; else tail -n 40 "$log"; fi
  done
  say "failed on Node ${failed[*]}"
  exit 1
fi
say "passed on Node $NODE_LINES"
