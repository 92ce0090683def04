// Headless Debian Chromium driven by playwright-core (never `playwright install`).
import { chromium, type Browser, type LaunchOptions } from 'playwright-core';
import { chromiumPath } from './paths';

export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Debian's /etc/chromium.d/dev-shm adds it only when /dev/shm is small; a container's may be.
  '--disable-dev-shm-usage',
];

export function launchBrowser(options: LaunchOptions = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: process.env.ORCH_E2E_HEADED !== '1',
    ...options,
    args: [...chromiumArgs, ...(options.args ?? [])],
  });
}
