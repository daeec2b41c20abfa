#!/usr/bin/env bash
# Installs whatever the local stack needs and is missing; safe to run again and again.
#   - npm packages (when package-lock.json changed since the last install)
#   - PostgreSQL and Redis servers (Debian packages, via apt-get)
#   - the Temporal CLI, pinned, built with `go install` into .gavel/bin
#   - the MinIO server (the local S3 for auction images), pinned, built with `go install` into .gavel/bin
#   - Mailpit (the local SMTP server that catches mail, with a web UI and an HTTP API), pinned, built with
#     `go install` into .gavel/bin
#   - stripe-mock (Stripe's own mock of its API, for payments), pinned, built with `go install` into .gavel/bin
#   - helm (the chart's lint and render in the tests), pinned, built with `go install` into .gavel/bin
#   - kube-validate (deploy/kube-validate: checks what `helm template` renders against the Kubernetes API's
#     own types, offline), built with `go build` into .gavel/bin whenever its sources change
#   - schemathesis (the API fuzzer the tests run), pinned, from PyPI into the virtualenv .gavel/venv
#   - Temporal's time-skipping test server (the Java one, for the workflow tests that skip days of timers),
#     pinned, resolved from Maven Central with mvn into .gavel/m2, run by the wrapper
#     .gavel/bin/temporal-test-server (needs Java 17+ and Maven: Debian packages, via apt-get, if missing)
#   - tmux (Debian package, via apt-get), the terminal the command line's tests read `gavel watch` and its
#     prompts in (test/helpers/tmux.ts)
#   - Chromium (Debian package, via apt-get), the browser the end-to-end tests (test/e2e/) drive through
#     Playwright: Playwright's own browser download is not used
# Everything it writes outside the system package manager lives under .gavel/ (git-ignored).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
state="$root/.gavel"
logs="$state/logs"
mkdir -p "$state/bin" "$logs"

TEMPORAL_CLI_VERSION=v1.5.1
# MinIO publishes no semver tags a Go module can name, so the pin is the pseudo-version of a commit
# (the one `@latest` resolved to when this was written: 2026-02-12). docs/decisions.md, "Images".
MINIO_VERSION=v0.0.0-20260212201848-7aac2a2c5b7c
MAILPIT_VERSION=v1.33.1
STRIPE_MOCK_VERSION=v0.203.0
# deploy/kube-validate's k8s.io modules (v0.37.2) are the ones this helm is built from: keep them in step.
HELM_VERSION=v4.3.2
SCHEMATHESIS_VERSION=4.32.5
TEMPORAL_TEST_SERVER_VERSION=1.31.0

say() { printf '[setup] %s\n' "$*"; }
fail() { printf '[setup] error: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else fail "need root to run: $* (install it yourself, or run as root)"; fi
}

apt_updated=
apt_install() {
  command -v apt-get >/dev/null 2>&1 || fail "apt-get not found: install $* with your system's package manager"
  if [ -z "$apt_updated" ]; then
    say "apt-get update"
    as_root apt-get update -qq >"$logs/apt.log" 2>&1 || fail "apt-get update failed, see $logs/apt.log"
    apt_updated=1
  fi
  say "apt-get install $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >>"$logs/apt.log" 2>&1 \
    || fail "apt-get install $* failed, see $logs/apt.log"
}

ensure_node_modules() {
  local stamp="$root/node_modules/.gavel-lock-stamp"
  local want
  want=$(sha256sum "$root/package-lock.json" | cut -d' ' -f1)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return; fi
  # Not `npm ci`: some registry mirrors lack other platforms' optional builds (@swc/core-darwin-*),
  # which leaves them out of the lockfile, and npm ci then refuses it. This still installs the
  # locked versions and leaves package-lock.json as it is.
  say "npm install (log: $logs/npm.log)"
  (cd "$root" && npm install --no-save --no-audit --no-fund >"$logs/npm.log" 2>&1) \
    || fail "npm install failed, see $logs/npm.log"
  echo "$want" >"$stamp"
}

ensure_postgres() {
  if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then return; fi
  apt_install postgresql
}

ensure_redis() {
  if command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1; then return; fi
  apt_install redis-server
}

go_is_new_enough() {
  # Go >= 1.21 fetches the toolchain a module asks for through the module proxy by itself.
  local v
  v=$(go env GOVERSION 2>/dev/null | sed -E 's/^go([0-9]+)\.([0-9]+).*/\1 \2/') || return 1
  set -- $v
  [ "${1:-0}" -gt 1 ] || [ "${2:-0}" -ge 21 ]
}

ensure_go() {
  if ! command -v go >/dev/null 2>&1; then
    [ -x /usr/local/go/bin/go ] && export PATH="/usr/local/go/bin:$PATH"
  fi
  command -v go >/dev/null 2>&1 || apt_install golang-go ca-certificates
  go_is_new_enough || fail "Go $(go env GOVERSION) is too old to build $1 (need >= 1.21)"
}

# Builds <module>@<version> into .gavel/bin/<name> with go install, unless that very version is there
# (its stamp file says so).
go_build() {
  local name=$1 what=$2 version=$3 module=$4
  local stamp="$state/bin/$name.version"
  if [ -x "$state/bin/$name" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$version" ]; then return; fi
  ensure_go "$what"
  local log="$logs/$name-build.log"
  say "building $what $version with go install (a few minutes the first time, log: $log)"
  if ! GOBIN="$state/bin" GOFLAGS=-buildvcs=false go install -ldflags='-s -w' "$module@$version" >"$log" 2>&1; then
    # Newer Go linkers refuse some old //go:linkname uses in dependencies; this flag is the known workaround.
    say "go install failed; retrying with -checklinkname=0"
    GOBIN="$state/bin" GOFLAGS=-buildvcs=false go install -ldflags='-s -w -checklinkname=0' "$module@$version" >>"$log" 2>&1 \
      || fail "could not build $what, see $log"
  fi
  echo "$version" >"$stamp"
}

ensure_temporal_cli() { go_build temporal "the Temporal CLI" "$TEMPORAL_CLI_VERSION" github.com/temporalio/cli/cmd/temporal; }

# --- Images: the local S3-compatible server ---
ensure_minio() { go_build minio MinIO "$MINIO_VERSION" github.com/minio/minio; }

# --- Mail: the local SMTP server; what the stack sends arrives there, to be read in its UI or API ---
ensure_mailpit() { go_build mailpit Mailpit "$MAILPIT_VERSION" github.com/axllent/mailpit; }

# --- Payments: Stripe's mock API server (its OpenAPI spec and fixtures are embedded in the binary) ---
ensure_stripe_mock() { go_build stripe-mock stripe-mock "$STRIPE_MOCK_VERSION" github.com/stripe/stripe-mock; }

# --- Deployment: helm renders the chart; kube-validate checks the result with no cluster to ask ---
ensure_helm() { go_build helm Helm "$HELM_VERSION" helm.sh/helm/v4/cmd/helm; }

# Built from this repository's own source, so its stamp is a hash of that source rather than a version.
ensure_kube_validate() {
  local src="$root/deploy/kube-validate"
  local stamp="$state/bin/kube-validate.version"
  local want
  want=$(cat "$src/go.mod" "$src/go.sum" "$src"/*.go | sha256sum | cut -d' ' -f1)
  if [ -x "$state/bin/kube-validate" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then return; fi
  ensure_go kube-validate
  local log="$logs/kube-validate-build.log"
  say "building kube-validate from deploy/kube-validate (log: $log)"
  (cd "$src" && GOFLAGS=-buildvcs=false go build -ldflags='-s -w' -o "$state/bin/kube-validate" .) >"$log" 2>&1 \
    || fail "could not build kube-validate, see $log"
  echo "$want" >"$stamp"
}

ensure_schemathesis() {
  local venv="$state/venv"
  local stamp="$venv/schemathesis.version"
  # The venv's python is a link to the system's: if that moved, the venv is rebuilt.
  local works=
  "$venv/bin/python" -c '' >/dev/null 2>&1 && works=1
  if [ -n "$works" ] && [ -x "$venv/bin/schemathesis" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$SCHEMATHESIS_VERSION" ]; then
    return
  fi
  command -v python3 >/dev/null 2>&1 || apt_install python3
  # Debian splits venv (and the pip it bootstraps) out of python3.
  python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || apt_install python3-venv
  local log="$logs/schemathesis.log"
  say "installing schemathesis $SCHEMATHESIS_VERSION into $venv (log: $log)"
  if [ -z "$works" ]; then
    python3 -m venv --clear "$venv" >"$log" 2>&1 || fail "could not create $venv, see $log"
  fi
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION" >>"$log" 2>&1 \
    || fail "could not install schemathesis, see $log"
  echo "$SCHEMATHESIS_VERSION" >"$stamp"
}

# --- Workflow tests: Temporal's time-skipping test server (test/helpers/time-skipping.ts starts it) ---
# The server is a Java program published to Maven Central, with its dependencies; mvn resolves them
# into .gavel/m2 and the wrapper .gavel/bin/temporal-test-server runs it on that classpath. The SDK
# starts the wrapper as `temporal-test-server <port>` and stops it with SIGKILL, hence `exec java` (the
# JVM is the process it kills).
test_server_is_current() {
  local wrapper=$1 classpath jar
  [ -x "$wrapper" ] && [ "$(cat "$wrapper.version" 2>/dev/null)" = "$TEMPORAL_TEST_SERVER_VERSION" ] || return 1
  command -v java >/dev/null 2>&1 || return 1
  # Every jar the wrapper names is still there (`rm -rf .gavel/m2`, or a wrapper written by another checkout).
  classpath=$(sed -n "s/^exec java .* -cp '\([^']*\)' io\.temporal\.testserver\.TestServer .*/\1/p" "$wrapper")
  [ -n "$classpath" ] || return 1
  local IFS=:
  for jar in $classpath; do [ -f "$jar" ] || return 1; done
}

ensure_temporal_test_server() {
  local wrapper="$state/bin/temporal-test-server"
  if test_server_is_current "$wrapper"; then return; fi
  command -v java >/dev/null 2>&1 || apt_install default-jre-headless
  command -v mvn >/dev/null 2>&1 || apt_install maven
  local artifact="io.temporal:temporal-test-server:$TEMPORAL_TEST_SERVER_VERSION"
  local log="$logs/temporal-test-server.log"
  local repo="$state/m2"
  local work
  work=$(mktemp -d)
  say "resolving $artifact from Maven Central into $repo (log: $log)"
  mvn -q -B -Dmaven.repo.local="$repo" dependency:get -Dartifact="$artifact" >"$log" 2>&1 \
    || { rm -rf "$work"; fail "could not download $artifact, see $log"; }
  # build-classpath works on a project: a throwaway pom whose one dependency is the server.
  cat >"$work/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.gavel</groupId>
  <artifactId>temporal-test-server-classpath</artifactId>
  <version>0</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>io.temporal</groupId>
      <artifactId>temporal-test-server</artifactId>
      <version>$TEMPORAL_TEST_SERVER_VERSION</version>
    </dependency>
    <!-- A logging backend: without one SLF4J prints its warning on every start; this one prints the server's warnings. -->
    <dependency>
      <groupId>org.slf4j</groupId>
      <artifactId>slf4j-simple</artifactId>
      <version>1.7.36</version>
    </dependency>
  </dependencies>
</project>
POM
  mvn -q -B -f "$work/pom.xml" -Dmaven.repo.local="$repo" dependency:build-classpath \
    -Dmdep.includeScope=runtime -Dmdep.outputFile="$work/classpath" >>"$log" 2>&1 \
    || { rm -rf "$work"; fail "could not resolve the classpath of $artifact, see $log"; }
  local classpath
  classpath=$(cat "$work/classpath")
  rm -rf "$work"
  case $classpath in *"'"* | "") fail "unusable classpath for $artifact (a quote in $repo?): '$classpath'" ;; esac
  cat >"$wrapper.tmp" <<WRAPPER
#!/bin/sh
# Temporal's time-skipping test server $TEMPORAL_TEST_SERVER_VERSION ($artifact), written by
# scripts/setup.sh. Usage: temporal-test-server <port> [--enable-time-skipping]
# It goes when the process that started it goes, even one killed outright: a watcher stops it then.
parent=\$PPID
self=\$\$
(
  while kill -0 "\$parent" 2>/dev/null && kill -0 "\$self" 2>/dev/null; do sleep 1; done
  kill -0 "\$parent" 2>/dev/null || kill "\$self" 2>/dev/null
) </dev/null >/dev/null 2>&1 &
exec java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp '$classpath' io.temporal.testserver.TestServer "\$@"
WRAPPER
  chmod +x "$wrapper.tmp"
  mv "$wrapper.tmp" "$wrapper"
  echo "$TEMPORAL_TEST_SERVER_VERSION" >"$wrapper.version"
}

# --- The command line's tests: a real terminal (test/cli-watch.test.ts, test/cli-commands.test.ts) ---
ensure_tmux() {
  if command -v tmux >/dev/null 2>&1; then return; fi
  apt_install tmux
}

# --- End-to-end tests: Debian's Chromium, launched by test/e2e/playwright.config.ts from this path ---
ensure_chromium() {
  if [ -x /usr/bin/chromium ]; then return; fi
  apt_install chromium
}

command -v node >/dev/null 2>&1 || fail "Node.js is required (20.19+, 22 or 24): https://nodejs.org"
command -v npm >/dev/null 2>&1 || fail "npm is required"

ensure_node_modules
ensure_postgres
ensure_redis
ensure_temporal_cli
ensure_minio
ensure_mailpit
ensure_stripe_mock
ensure_helm
ensure_kube_validate
ensure_schemathesis
ensure_temporal_test_server
ensure_tmux
ensure_chromium
