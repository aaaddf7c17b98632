/**
 * Galata in bench mode: the timing specs of `make bench` (bench/bench_frontend.py runs this with
 * `-c playwright.bench.config.ts`). Their files end in `.bench.ts`, so `make test`'s plain
 * `jlpm playwright test` (which matches `*.spec.ts`) never picks them up.
 *
 * The server is the demo with `--scale 10000`: real sandbox data, not faked pages (an openBIS
 * collection of 10,000 datasets, a top level of 1,000 more spaces). It always starts fresh,
 * on GALATA_PORT, with its state in BENCH_DEMO_DIR.
 */
import { PlaywrightTestConfig } from '@playwright/test';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const baseConfig: PlaywrightTestConfig = require('@jupyterlab/galata/lib/playwright-config');

const PORT = process.env.GALATA_PORT || '8899';
const DEMO_DIR = process.env.BENCH_DEMO_DIR || '../.demo/bench';
const SCALE = process.env.BENCH_SCALE || '10000';
const SERVER_URL = `http://localhost:${PORT}`;

const config: PlaywrightTestConfig = {
  ...baseConfig,
  testDir: './bench',
  testMatch: '**/*.bench.ts',
  reporter: [['list']],
  workers: 1,
  retries: 0,
  timeout: 180 * 1000,
  use: {
    ...baseConfig.use,
    baseURL: SERVER_URL,
    launchOptions: { executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium' },
    trace: 'off',
    video: 'off'
  },
  webServer: {
    command: `python -m reana_openbis_lab_sandbox.demo --dir ${DEMO_DIR} --port ${PORT} --scale ${SCALE} -- --config jupyter_server_test_config.py`,
    url: `${SERVER_URL}/lab`,
    timeout: 180 * 1000,
    reuseExistingServer: false
  }
};

export default config;
