/**
 * Launches Debian's Chromium through playwright-core for end-to-end tests and benchmarks (no browser download).
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Where Debian installs Chromium; overridable for other machines. */
export const CHROMIUM_PATH = process.env.PENHOLDER_CHROMIUM ?? '/usr/bin/chromium';

/** The flags this machine's closed network and root user need. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Starts a headless Chromium, or explains how to install it. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: install it with 'apt-get install -y chromium' (or set PENHOLDER_CHROMIUM).`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}
