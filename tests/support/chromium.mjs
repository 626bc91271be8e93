// Chromium for every browser test: Debian's (or CHROMIUM), headless, through playwright-core.
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--headless=new',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** @returns {Promise<import('playwright-core').Browser>} */
export async function launchChromium() {
  // Loaded here, not at the top: most tests that import this folder never start a browser.
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    timeout: 30_000,
  });
}
