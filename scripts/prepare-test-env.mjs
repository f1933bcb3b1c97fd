#!/usr/bin/env node
// Runs before `npm test`: installs the system packages the test suite drives for real
// (Chromium for the /admin browser test, ffmpeg for fast audio work) when they are missing.
// Needs root and Debian's apt; anywhere else it says what is missing and the tests that need
// it skip with their own printed reason.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const wanted = [
  { pkg: 'chromium', present: () => existsSync('/usr/bin/chromium'), why: 'browser test of /admin' },
  { pkg: 'ffmpeg', present: () => spawnSync('ffmpeg', ['-version'], { stdio: 'ignore' }).status === 0, why: 'faster audio transcoding in download tests' },
];

const missing = wanted.filter((item) => !item.present());
if (missing.length === 0) process.exit(0);

const names = missing.map((item) => item.pkg);
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = existsSync('/usr/bin/apt-get');
if (!isRoot || !hasApt || process.env.SKIP_SYSTEM_PACKAGES === '1') {
  console.warn(`[prepare-test-env] not installing ${names.join(', ')} (${!hasApt ? 'no apt-get' : !isRoot ? 'not root' : 'SKIP_SYSTEM_PACKAGES=1'}); tests needing them will skip: ${missing.map((m) => m.why).join('; ')}`);
  process.exit(0);
}

console.log(`[prepare-test-env] installing ${names.join(', ')} with apt-get…`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
try {
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...names], { stdio: 'inherit', env });
} catch (error) {
  // A failed install must not hide the rest of the suite: the dependent tests skip and say why.
  console.warn(`[prepare-test-env] apt-get failed (${error.message}); tests needing ${names.join(', ')} will skip`);
}
