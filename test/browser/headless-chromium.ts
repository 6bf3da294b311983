import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface HeadlessChromium {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Debian's chromium (or CHROME_PATH), driven by playwright-core, with a fresh profile. Never skipped: no browser fails. */
export async function launchChromium(): Promise<HeadlessChromium> {
  const executablePath = process.env.CHROME_PATH ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    throw new Error(
      `No Chromium at ${executablePath}: install Debian's chromium package (apt-get install -y chromium) or set CHROME_PATH to a Chromium binary.`,
    );
  }
  const userDataDir = mkdtempSync(join(tmpdir(), 'docs-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, { executablePath, args: ARGS, headless: true });
  return {
    context,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
