import { defineConfig } from '@playwright/test';

// The platform and the demo reseller website run on different host names (localhost vs
// 127.0.0.1), so the embedded widget is cross-site, exactly as on a real reseller's website.
export const PLATFORM = 'http://localhost:3180';
export const RESELLER_SITE = 'http://127.0.0.1:3181';
// MailDev: a real SMTP server on loopback, with an HTTP API to read what it received.
export const MAILBOX = 'http://127.0.0.1:3183';

export default defineConfig({
  testDir: './tests',
  outputDir: './test-results',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  reporter: [['list']],
  use: {
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        // Block third-party cookies, as Safari and Firefox do: the widget must not need them.
        '--test-third-party-cookie-phaseout',
      ],
    },
  },
  webServer: [
    {
      command: 'exec node_modules/.bin/maildev --smtp 3182 --ip 127.0.0.1 --web 3183 --web-ip 127.0.0.1',
      cwd: '..',
      url: `${MAILBOX}/api/email`,
      timeout: 30_000,
      reuseExistingServer: false,
    },
    {
    // A fresh embedded database for every run, in demo mode.
    command: 'rm -rf target/e2e-data && exec target/debug/portico --demo',
    cwd: '..',
    url: `${PLATFORM}/health`,
    timeout: 60_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    env: {
      PORTICO_LISTEN: '127.0.0.1:3180',
      PORTICO_PUBLIC_URL: PLATFORM,
      PORTICO_DEMO_SITE_LISTEN: '127.0.0.1:3181',
      PORTICO_DEMO_SITE_URL: RESELLER_SITE,
      PORTICO_DATA_DIR: 'target/e2e-data',
      PORTICO_SITE_DIR: 'target/site',
      PORTICO_SMTP_URL: 'smtp://127.0.0.1:3182',
      // The robot fills the form in well under the 3 s a person needs.
      PORTICO_SIGNUP_MIN_FILL_MS: '0',
      RUST_LOG: 'warn',
    },
    },
  ],
});
