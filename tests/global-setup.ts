// Integration suites run the real server against the real build: build once if the sources changed.
// Browser suites drive Debian's Chromium: on a fresh machine where we are root with apt (this project's
// machines and CI), install it once so that `npm install && npm test` works as the README says.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { ensureBuild } from '../scripts/start.mjs';
import { CHROMIUM } from './helpers/browser.ts';

function ensureChromium(): void {
  if (existsSync(CHROMIUM) || process.env.SIGIL_TEST_SKIP_CHROMIUM_INSTALL === '1') return;
  if (process.getuid?.() !== 0 || !existsSync('/usr/bin/apt-get')) {
    console.warn(`[tests] Chromium not found at ${CHROMIUM}; browser tests will fail. Install it: apt-get install -y chromium`);
    return;
  }
  console.log('[tests] installing Chromium from apt for the browser tests (once)…');
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

export default function setup(): void {
  ensureChromium();
  if (process.env.SIGIL_TEST_SKIP_BUILD !== '1') ensureBuild();
}
