// Headless Chromium from the OS packages (/usr/bin/chromium), driven over CDP by playwright-core:
// nothing is downloaded; every test gets fresh, isolated browser contexts.
import { chromium } from 'playwright-core';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { Gateway } from './gateway.js';
import { checkPageSockets } from './schema.js';

export const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
/** Where screenshots go: client-js/target/e2e (the Maven build directory of this module). */
export const ARTIFACTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../target/e2e');

const FLAGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export async function launchChromium() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install the Debian packages chromium and chromium-driver (scripts/install-deps.sh)`);
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS, timeout: 30000 });
}

/** A new browser session (own cookies and storage) with one page open at `url`; console errors are kept. */
export async function openPage(browser, url, context) {
  const ctx = context || (await browser.newContext({ viewport: { width: 1200, height: 760 } }));
  const page = await ctx.newPage();
  checkPageSockets(page);
  page.errors = [];
  page.on('pageerror', (err) => page.errors.push(String(err)));
  page.on('console', (msg) => {
    if (msg.type() === 'error') page.errors.push(msg.text());
  });
  await page.goto(url);
  return page;
}

export function screenshotPath(name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  return path.join(ARTIFACTS, name);
}

/** A gateway (started with `args`) and Chromium, launched side by side for one test file. */
export async function startGatewayAndBrowser(args) {
  const [gateway, browser] = await Promise.all([Gateway.start(args), launchChromium()]);
  return { gateway, browser };
}

/** Stops what startGatewayAndBrowser started (either is missing when its start failed). */
export async function stopGatewayAndBrowser({ gateway, browser }) {
  await browser?.close();
  await gateway?.kill();
}
