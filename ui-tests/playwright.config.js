/**
 * Galata configuration: JupyterLab's own defaults, Debian's Chromium (no browser
 * downloads on these machines), one worker so tests share the Jupyter server calmly.
 */
const baseConfig = require('@jupyterlab/galata/lib/playwright-config');

/**
 * The same setup as `make demo`: sandbox openBIS and REANA servers, and JupyterLab with
 * them as connection presets (Galata's server configuration on top).
 */
/** GALATA_PORT lets two checkouts run their UI tests side by side; the server config reads it too. */
const PORT = process.env.GALATA_PORT || '8899';
/**
 * Opt-in, never in CI: GALATA_REANA_URL and GALATA_REANA_TOKEN point JupyterLab's REANA preset
 * at another server (a real REANA) instead of the sandbox's; the REANA specs then run there.
 */
const REANA_URL = process.env.GALATA_REANA_URL;
const REANA_OPTION = REANA_URL ? ` --reana-url ${REANA_URL}` : '';
const SERVER_COMMAND = `python -m reana_openbis_lab_sandbox.demo --dir ../.demo/galata --port ${PORT}${REANA_OPTION} -- --config jupyter_server_test_config.py`;
const SERVER_URL = `http://localhost:${PORT}`;

module.exports = {
  ...baseConfig,
  reporter: [['list'], ['html', { open: 'never' }]],
  workers: 1,
  // One retry in CI only: a test that needs it is reported as "flaky" in the list, to be fixed.
  retries: process.env.CI ? 1 : 0,
  use: {
    ...baseConfig.use,
    baseURL: SERVER_URL,
    launchOptions: { executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium' },
    video: 'off'
  },
  webServer: {
    command: SERVER_COMMAND,
    url: `${SERVER_URL}/lab`,
    timeout: 120 * 1000,
    reuseExistingServer: !process.env.CI,
    env: REANA_URL
      ? { ...process.env, REANA_ACCESS_TOKEN: process.env.GALATA_REANA_TOKEN || '' }
      : undefined
  }
};
