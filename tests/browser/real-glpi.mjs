// Screenshots of the dashboard in a REAL GLPI (not part of `make test`):
//   GLPI_URL=http://127.0.0.1:8080 node tests/browser/real-glpi.mjs OUT_DIR
// Logs in as glpi/glpi, opens Tools > GDMS Integration in the light and the
// dark theme, and reports page errors and failed requests.
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {chromium} from 'playwright-core';

const URL = process.env.GLPI_URL ?? 'http://127.0.0.1:8080';
const OUT = process.argv[2] ?? 'tests/artifacts/real-glpi';
const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'gdms-chromium-')), {
    executablePath: '/usr/bin/chromium', headless: true, viewport: {width: 1600, height: 1000},
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
});
const page = await context.newPage();
const problems = [];
page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
page.on('response', (r) => { if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`); });
await page.goto(`${URL}/`);
await page.fill('#login_name', 'glpi');
await page.fill('input[type="password"]', 'glpi');
await Promise.all([page.waitForNavigation(), page.click('button[type="submit"], input[type="submit"]')]);
await page.goto(`${URL}/plugins/gdmsintegration/front/dashboard.php`);
await page.waitForSelector('#gdms-dashboard[data-loaded]', {timeout: 15000});
await page.waitForSelector('#gdms-dashboard[data-firmware-checked]', {timeout: 30000});
await page.screenshot({path: `${OUT}/dashboard-light.png`, fullPage: true});
const dot = page.locator('#gdms-rows .gdms-port').first();
if (await dot.count()) {
    await dot.click();
    await page.waitForSelector('.gdms-modal');
    await page.screenshot({path: `${OUT}/port-modal.png`});
    await page.keyboard.press('Escape');
}
// The firmware modal of a device offered a beta when there is one (the beta chosen), else of the first device.
const firmware = await (await page.request.get(`${URL}/plugins/gdmsintegration/ajax/dashboard.php?action=firmware`)).json();
const withBeta = firmware.devices.find((d) => d.channels.some((c) => c.channel === 'beta'));
const fw = withBeta ? page.locator(`#gdms-rows tr[data-id="${withBeta.id}"] .gdms-fw-update`) : page.locator('.gdms-fw-update').first();
if (withBeta && await fw.count() === 0) problems.push(`device #${withBeta.id} is offered a beta but not on the first page`);
if (await fw.count()) {
    await fw.click();
    await page.waitForSelector('.gdms-modal');
    if (withBeta) await page.locator('.gdms-modal input[value="beta"]').check();
    await page.screenshot({path: `${OUT}/firmware-modal.png`});
    await page.keyboard.press('Escape');
}
// GLPI's dark palette marker, then a reload so the chart and the topology pick it up.
await page.evaluate(() => { document.documentElement.dataset.bsTheme = 'dark'; document.documentElement.setAttribute('data-glpi-theme-dark', '1'); });
await page.waitForTimeout(300);
await page.screenshot({path: `${OUT}/dashboard-dark.png`, fullPage: true});
const info = await page.evaluate(() => ({echarts: !!window.echarts, flatpickr: !!window.flatpickr, csrf: !!document.querySelector('meta[property="glpi:csrf_token"]'), rows: document.querySelectorAll('#gdms-rows tr').length}));
console.log(JSON.stringify({info, problems}, null, 1));
await context.close();
