/**
 * Debian's Chromium (scripts/setup.sh installs it), as the browser tests, the screenshots and the web
 * bench launch it. The machine's network is closed: without these flags Chromium's own background
 * connections (updates, sync, QUIC probes) would only fail, noisily, at every start.
 */
export const CHROMIUM_PATH = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
