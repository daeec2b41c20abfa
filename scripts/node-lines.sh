#!/usr/bin/env bash
# `npm run test:node-lines`: `npm test` again on each current Node LTS line, besides the Node that runs
# everything else here (package.json's `engines` promises them all). Each Node comes pinned from the
# npm registry's node-<os>-<arch> package (the machine reaches package registries only), unpacked
# into .gavel/node/<version>. Arguments go to `npm test` (test files, say).
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

ensure_node() {
  local version=$1 dir=$2
  if [ -x "$dir/bin/node" ] && [ "$("$dir/bin/node" --version)" = "v$version" ]; then return; fi
  local tmp
  tmp=$(mktemp -d)
  say "fetching node-$os-$arch@$version from the npm registry"
  # npm pack checks the tarball against the registry's integrity hash.
  (cd "$tmp" && npm pack --silent "node-$os-$arch@$version" >/dev/null)
  rm -rf "$dir" && mkdir -p "$dir"
  tar -xzf "$tmp"/*.tgz -C "$dir" --strip-components=1 package/bin
  rm -rf "$tmp"
}

cd "$root"
for version in $NODE_LINES; do
  dir="$root/.gavel/node/$version"
  ensure_node "$version" "$dir"
  say "npm test on Node $("$dir/bin/node" --version)"
  # npm, the stack supervisor and the test runner all start as `node`: first on PATH, this one.
  PATH="$dir/bin:$PATH" npm test -- "$@"
done
