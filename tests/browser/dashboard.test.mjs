// Browser tests of the NOC dashboard, in Debian's headless Chromium driven by
// playwright-core (no browser download). Started by tests/browser/run.sh, which
// provides BASE (the php -S server), SIM_INFO (the simulator's JSON line),
// SEED (what seed.php created) and ARTIFACTS (screenshots go there).
import {readFileSync} from 'node:fs';
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {chromium} from 'playwright-core';

const BASE = process.env.BASE;
const SIM = JSON.parse(readFileSync(process.env.SIM_INFO, 'utf8'));
const SEED = JSON.parse(readFileSync(process.env.SEED, 'utf8'));
const ART = process.env.ARTIFACTS;
const PAGE = `${BASE}/plugins/gdmsintegration/front/dashboard.php`;
const AJAX = `${BASE}/plugins/gdmsintegration/ajax/dashboard.php`;

const results = [];
let failed = 0;
function check(cond, what, detail = '') {
    if (!cond) throw new Error(`${what}${detail ? `: ${detail}` : ''}`);
}
function eq(actual, expected, what) {
    const a = JSON.stringify(actual), e = JSON.stringify(expected);
    check(a === e, what, `expected ${e}, got ${a}`);
}
async function test(name, fn) {
    const t0 = Date.now();
    try {
        await fn();
        results.push(`ok   ${name} (${Date.now() - t0} ms)`);
    } catch (e) {
        failed++;
        results.push(`FAIL ${name}: ${e.message}`);
    }
}
async function sim(path, method = 'GET') {
    const r = await fetch(`${SIM.admin_uri}${path}`, {method});
    return r.json();
}

// A fresh profile directory per run (playwright passes it as --user-data-dir).
const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'gdms-chromium-')), {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    viewport: {width: 1600, height: 1000},
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
});

/** A user's session: cookies of the previous user dropped, a new page logged in. */
async function session(user) {
    await context.clearCookies();
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('dialog', (d) => { errors.push(`dialog: ${d.message()}`); d.dismiss(); });
    await page.goto(`${BASE}/__login?user=${user}`);
    return {page, errors};
}
async function open(page, query = '') {
    await page.goto(`${PAGE}${query}`);
    await page.waitForSelector('#gdms-dashboard[data-loaded]', {timeout: 10000});
}
const rowNames = (page) => page.$$eval('#gdms-rows tr .gdms-name', (tds) => tds.map((td) => td.textContent));
const rowByName = (page, name) => page.locator('#gdms-rows tr', {has: page.locator('.gdms-name', {hasText: name})});

const alice = await session('alice');
const page = alice.page;

await test('cards count the entity\'s devices by category and networks', async () => {
    await open(page);
    const card = async (k) => (await page.textContent(`[data-card="${k}"] .gdms-card-value`)).trim();
    const data = await (await page.request.get(`${AJAX}?action=data&per_page=500`)).json();
    const byCat = {};
    for (const r of data.rows) byCat[r.category] = (byCat[r.category] ?? 0) + 1;
    const networks = new Set(data.rows.map((r) => r.network_name).filter((n) => n.trim() !== ''));
    check(networks.size >= 2, 'the seeded fleet spans networks', String(networks.size));
    eq(Number(await card('networks')), networks.size, 'networks card = distinct network names');
    eq(Number(await card('router')), byCat.router ?? 0, 'router card');
    eq(Number(await card('switch')), byCat.switch ?? 0, 'switch card');
    eq(Number(await card('ap')), byCat.ap ?? 0, 'AP card');
    eq(Number(await card('phones_pbx')), (byCat.phone ?? 0) + (byCat.pbx ?? 0), 'phones & PBX card');
    eq(data.rows.length, SEED.devices, 'every device of entity 0, no other');
    check(!data.rows.some((r) => r.name === 'Other tenant router'), 'no device of entity 1');
    const offline = data.rows.filter((r) => r.status !== 'online').length;
    eq((await page.textContent('#gdms-bar-text')).trim(), `${data.rows.length - offline} / ${data.rows.length} online`, 'availability bar text');
    check(await page.isVisible('#gdms-critical'), 'critical banner shown (an offline device below 95 %)');
    await page.screenshot({path: `${ART}/dashboard.png`, fullPage: true});
});

await test('sorting by header is kept in the URL and survives a reload', async () => {
    await open(page);
    await page.click('th[data-sort="name"]');
    await page.waitForFunction(() => location.search.includes('sort=name'));
    await page.waitForSelector('th[data-sort="name"][aria-sort="ascending"]');
    let names = await rowNames(page);
    const sorted = [...names].sort((a, b) => a.localeCompare(b, undefined, {numeric: true, sensitivity: 'base'}));
    eq(names, sorted, 'ascending by name');
    await page.click('th[data-sort="name"]');
    await page.waitForSelector('th[data-sort="name"][aria-sort="descending"]');
    check(page.url().includes('dir=desc'), 'dir=desc in the URL', page.url());
    names = await rowNames(page);
    eq(names, [...sorted].reverse(), 'descending by name');
    await page.reload();
    await page.waitForSelector('#gdms-dashboard[data-loaded]');
    await page.waitForSelector('th[data-sort="name"][aria-sort="descending"]');
    eq(await rowNames(page), [...sorted].reverse(), 'order kept after reload');
});

await test('filters (status, text) are kept in the URL', async () => {
    await open(page);
    await page.selectOption('#gdms-status', 'offline');
    await page.waitForFunction(() => location.search.includes('status=offline'));
    await page.waitForFunction(() => [...document.querySelectorAll('#gdms-rows .gdms-status')].every((b) => b.classList.contains('bg-danger')));
    const offline = await page.$$eval('#gdms-rows .gdms-status', (b) => b.length);
    check(offline >= 1, 'at least one offline device');
    await page.selectOption('#gdms-status', 'all');
    await page.fill('#gdms-search', 'lobby');
    await page.waitForFunction(() => location.search.includes('search=lobby'));
    await page.waitForFunction(() => document.querySelectorAll('#gdms-rows tr').length === 1);
    eq(await rowNames(page), ['Lobby AP'], 'text filter');
    await open(page, '?search=lobby');
    eq(await page.inputValue('#gdms-search'), 'lobby', 'search box filled from the URL');
    eq(await rowNames(page), ['Lobby AP'], 'filter applied from the URL');
});

await test('uptime tooltip shows traffic, channels, first and last seen', async () => {
    await open(page, '?search=HQ%20router');
    const title = await rowByName(page, 'HQ router').locator('.gdms-uptime').getAttribute('title');
    check(title.includes('3.0 GB') && title.includes('5.0 MB'), 'upload/download auto-scaled', title);
    check(title.includes('2.4GHz ch6') && title.includes('5GHz ch44'), 'Wi-Fi channels', title);
    check(title.includes('First seen') && title.includes('Last seen'), 'first/last seen', title);
    eq((await rowByName(page, 'HQ router').locator('.gdms-uptime').textContent()).trim(), '1d 1h 1m', 'uptime text');
});

await test('network modal: per-category badges and bar, clients', async () => {
    await open(page, '?search=HQ%20router');
    await rowByName(page, 'HQ router').locator('.gdms-network').click();
    const modal = page.locator('.gdms-modal');
    await modal.waitFor();
    eq((await modal.locator('.modal-title').textContent()).trim(), SEED.router_network, 'modal title = network');
    const kinds = await modal.locator('.gdms-net-row').evaluateAll((rows) => rows.map((r) => r.dataset.kind));
    check(kinds.includes('router') && kinds.includes('switch'), 'router and switch rows', JSON.stringify(kinds));
    const sw = modal.locator('.gdms-net-row[data-kind="switch"]');
    check((await sw.textContent()).includes('Offline'), 'switch row shows offline badge');
    check(await modal.locator('.progress-bar').first().isVisible(), 'bar shown');
    await page.keyboard.press('Escape');
    await modal.waitFor({state: 'detached'});
});

await test('port dots: WAN first, colours by state; port modal renders hostile labels as text', async () => {
    await open(page, '?search=HQ%20router');
    const dots = rowByName(page, 'HQ router').locator('.gdms-port');
    const states = await dots.evaluateAll((d) => d.map((x) => x.dataset.state));
    eq(states, ['internet', 'no_internet', 'unknown', 'lan_up', 'down'], 'dot order and states');
    const colours = await dots.evaluateAll((d) => d.map((x) => getComputedStyle(x).backgroundColor));
    eq(colours, ['rgb(40, 167, 69)', 'rgb(253, 126, 20)', 'rgb(255, 193, 7)', 'rgb(32, 201, 151)', 'rgb(108, 117, 125)'], 'dot colours');
    const tip = await dots.nth(1).getAttribute('title');
    check(tip.includes('<img src=x onerror="window.__xss=1">') && tip.includes('No internet'), 'tooltip has the raw label as text', tip);
    await dots.nth(1).click();
    const modal = page.locator('.gdms-modal');
    await modal.waitFor();
    const cards = await modal.locator('.gdms-port-card').evaluateAll((c) => c.map((x) => x.dataset.state));
    eq(cards, ['internet', 'no_internet', 'unknown', 'lan_up', 'down'], 'one card per port, WAN first');
    check((await modal.textContent()).includes('<img src=x onerror="window.__xss=1">'), 'hostile label shown as text');
    eq(await modal.locator('img').count(), 0, 'no element created from a cloud string');
    check((await modal.textContent()).includes('Fibre') && (await modal.textContent()).includes('203.0.113.7'), 'WAN name and IP');
    await page.screenshot({path: `${ART}/port-modal.png`});
    await page.keyboard.press('Escape');
});

await test('hostile device names are rendered as text, never run', async () => {
    await open(page, '?search=onerror');
    eq(await rowNames(page), ['<img src=x onerror="window.__xss=2">'], 'name shown verbatim');
    eq(await page.locator('#gdms-rows img').count(), 0, 'no img element in the table');
    eq(await page.evaluate(() => window.__xss ?? null), null, 'no script ran');
    eq(alice.errors, [], 'no page error or dialog');
});

await test('firmware: checked after load, modal, Apply now reaches the simulator', async () => {
    await sim('/recorded/clear', 'POST');
    await open(page, '?search=lobby');
    eq(await page.locator('.gdms-fw-update').count(), 0, 'no icon before the background check');
    await page.waitForSelector('#gdms-dashboard[data-firmware-checked]', {timeout: 6000});
    await rowByName(page, 'Lobby AP').locator('.gdms-fw-update').click();
    const modal = page.locator('.gdms-modal');
    await modal.waitFor();
    check((await modal.textContent()).includes('1.0.1.1') && (await modal.textContent()).includes('1.0.9.9'), 'current and available versions');
    check((await modal.textContent()).includes('will reboot'), 'reboot warning');
    eq(await modal.locator('input[name="gdms-fw-channel"]').evaluateAll((is) => is.map((i) => [i.value, i.checked])), [['official', true]],
        'GWN: the official release is the only choice');
    check(await modal.locator('.gdms-fw-note[data-cloud="gwn"]').isVisible(), 'GWN note: its API installs only official releases');
    await modal.locator('button[data-act="now"]').click();
    const msg = modal.locator('.gdms-fw-message');
    await msg.waitFor();
    check((await msg.getAttribute('class')).includes('alert-success'), 'inline success', await msg.textContent());
    await page.keyboard.press('Escape');
    const pending = rowByName(page, 'Lobby AP').locator('.gdms-fw-pending');
    await pending.waitFor();
    eq(await pending.getAttribute('data-state'), 'updating', 'row shows Updating…');
    const rec = (await sim('/recorded')).filter((r) => r.endpoint.includes('upgrade/add'));
    eq(rec.length, 1, 'one upgrade/add call');
    const body = JSON.parse(rec[0].body);
    eq(body.macs, [SEED.ap_mac.replace(/:/g, '').toUpperCase()], 'MAC in the body');
    check(!('time' in body), 'no time: as soon as possible', rec[0].body);

    // Kept by the server: a new page view still shows it, and no update icon, until a sync reports the new firmware.
    await open(page, '?search=lobby');
    await page.waitForSelector('#gdms-dashboard[data-firmware-checked]', {timeout: 6000});
    check((await rowByName(page, 'Lobby AP').locator('.gdms-fw').textContent()).includes('Updating'), 'Updating… after a reload');
    eq(await rowByName(page, 'Lobby AP').locator('.gdms-fw-update').count(), 0, 'no update icon while the upgrade is under way');
});

await test('firmware: Schedule sends the picked date as epoch milliseconds', async () => {
    await sim('/recorded/clear', 'POST');
    await open(page, '?search=store');
    await page.waitForSelector('#gdms-dashboard[data-firmware-checked]', {timeout: 6000});
    await rowByName(page, 'Store AP').locator('.gdms-fw-update').click();
    const modal = page.locator('.gdms-modal');
    await modal.waitFor();
    const when = await page.evaluate(() => {
        const fp = document.querySelector('#gdms-fw-when')._flatpickr;
        const d = new Date(Date.now() + 2 * 86400000);
        d.setSeconds(0, 0);
        fp.setDate(d, true);
        return fp.selectedDates[0].getTime();
    });
    check(/\d\d\/\d\d\/\d{4} \d\d:\d\d/.test(await page.inputValue('#gdms-fw-when')), 'd/m/Y H:i in the picker');
    await modal.locator('button[data-act="schedule"]').click();
    await modal.locator('.gdms-fw-message').waitFor();
    const rec = (await sim('/recorded')).filter((r) => r.endpoint.includes('upgrade/add'));
    eq(rec.length, 1, 'one upgrade/add call');
    const body = JSON.parse(rec[0].body);
    eq(body.time, when, 'scheduled time in epoch ms');
    eq(body.macs, [SEED.second_mac.replace(/:/g, '').toUpperCase()], 'MAC of the scheduled device');
    await page.keyboard.press('Escape');
    await open(page, '?search=store');
    const pending = rowByName(page, 'Store AP').locator('.gdms-fw-pending');
    eq(await pending.getAttribute('data-state'), 'scheduled', 'row shows the scheduled upgrade after a reload');
    const shown = await page.evaluate((ms) => new Date(ms).toLocaleString('en', {dateStyle: 'short', timeStyle: 'short'}), when);
    check((await pending.textContent()).includes(shown), 'scheduled time in the browser\'s zone', `${await pending.textContent()} / ${shown}`);
});

await test('topology: vis-network served by the plugin draws every device', async () => {
    const libs = [];
    page.on('request', (r) => { if (r.url().includes('vis-network')) libs.push(r.url()); });
    await open(page);
    await page.waitForSelector('#gdms-dashboard[data-topology]', {timeout: 10000});
    eq(Number(await page.getAttribute('#gdms-dashboard', 'data-topology')), SEED.devices, 'one node per device');
    check(await page.locator('#gdms-topology canvas').count() === 1, 'drawn on a canvas');
    eq(libs, [`${BASE}/plugins/gdmsintegration/lib/vis-network.min.js`], 'library from the plugin, no CDN');
    eq(await page.evaluate(() => window.__xss ?? null), null, 'hostile names drawn as text');
});

/** Opens the firmware modal of one device row (found by its MAC) after the background check. */
async function firmwareModalOf(row) {
    await open(page, `?search=${encodeURIComponent(row.mac)}`);
    await page.waitForSelector('#gdms-dashboard[data-firmware-checked]', {timeout: 6000});
    await page.locator('.gdms-fw-update').first().click();
    const modal = page.locator('.gdms-modal');
    await modal.waitFor();
    return modal;
}

await test('firmware of a UC device: official and beta from the firmware pages, official by default, task/add with it', async () => {
    await sim('/recorded/clear', 'POST');
    const fw = await (await page.request.get(`${AJAX}?action=firmware`)).json();
    const uc = fw.devices.find((d) => d.id === SEED.pbx_ids[0]);
    check(uc !== undefined, 'the PBX has a newer firmware', JSON.stringify(fw.devices));
    eq(uc.channels, [{channel: 'official', version: '1.0.40.1'}, {channel: 'beta', version: '1.0.41.3'}], 'official and beta offered');
    const data = await (await page.request.get(`${AJAX}?action=data&per_page=500`)).json();
    const row = data.rows.find((r) => r.id === uc.id);
    const modal = await firmwareModalOf(row);
    eq(await modal.locator('input[name="gdms-fw-channel"]').evaluateAll((is) => is.map((i) => [i.value, i.checked])),
        [['official', true], ['beta', false]], 'radio: official checked, beta offered');
    check(await modal.locator('.gdms-fw-note[data-cloud="gwn"]').isHidden(), 'no GWN note for a UC device');
    check(await modal.locator('.gdms-fw-note[data-channel="beta"]').isHidden(), 'no beta warning while official is chosen');
    await page.screenshot({path: `${ART}/firmware-modal.png`});
    await modal.locator('button[data-act="now"]').click();
    const msg = modal.locator('.gdms-fw-message');
    await msg.waitFor();
    check((await msg.getAttribute('class')).includes('alert-success'), 'inline success', await msg.textContent());
    const rec = (await sim('/recorded')).filter((r) => r.endpoint.includes('task/add'));
    eq(rec.length, 1, 'one task/add call');
    const body = JSON.parse(rec[0].body);
    eq(body.taskType, 3, 'upgrade task');
    eq(body.fwVersion, '1.0.40.1', 'official version sent');
    eq(body.macList, [row.mac.toUpperCase()], 'MAC of the device');
    await page.keyboard.press('Escape');
});

await test('firmware of a UC device: the beta chosen in the modal is what task/add installs', async () => {
    await sim('/recorded/clear', 'POST');
    const data = await (await page.request.get(`${AJAX}?action=data&per_page=500`)).json();
    const row = data.rows.find((r) => r.id === SEED.pbx_ids[1]);
    const modal = await firmwareModalOf(row);
    await modal.locator('input[name="gdms-fw-channel"][value="beta"]').check();
    check(await modal.locator('.gdms-fw-note[data-channel="beta"]').isVisible(), 'pre-release warning once beta is chosen');
    await page.screenshot({path: `${ART}/firmware-modal-beta.png`});
    await modal.locator('button[data-act="now"]').click();
    await modal.locator('.gdms-fw-message').waitFor();
    const rec = (await sim('/recorded')).filter((r) => r.endpoint.includes('task/add'));
    eq(rec.length, 1, 'one task/add call');
    const body = JSON.parse(rec[0].body);
    eq(body.fwVersion, '1.0.41.3', 'beta version sent');
    check(/fw1\.0\.41\.3\.bin$/.test(body.firmwareDownloadUrl ?? ''), 'the beta\'s own file, not the official alias', rec[0].body);
    await page.keyboard.press('Escape');
    const pending = rowByName(page, row.name).locator('.gdms-fw-pending');
    await pending.waitFor();
    check((await pending.getAttribute('title')).includes('1.0.41.3'), 'the row names the version asked', await pending.getAttribute('title'));
});

await test('POSTs without the CSRF header are refused', async () => {
    const r = await page.request.post(`${AJAX}?action=sync`, {headers: {'X-Requested-With': 'XMLHttpRequest', 'Content-Type': 'application/json'}, data: '{}'});
    eq(r.status(), 403, 'status');
});

await test('Sync now runs one sync through the plugin, then is rate-limited', async () => {
    await sim('/stats/reset', 'POST');
    await open(page);
    await page.click('#gdms-sync-now');
    const result = page.locator('#gdms-sync-result .alert');
    await result.waitFor({timeout: 20000});
    check((await result.getAttribute('class')).includes('alert-success'), 'first sync accepted', await result.textContent());
    const stats = await sim('/stats');
    check(Object.keys(stats.requests).some((k) => k.includes('device/list') || k.includes('ap/list')), 'the clouds were asked', JSON.stringify(stats.requests));
    await page.click('#gdms-sync-now');
    await page.waitForFunction(() => document.querySelector('#gdms-sync-result .alert')?.classList.contains('alert-warning'));
    check((await result.textContent()).includes('60 seconds'), 'second click refused by the rate limit', await result.textContent());
    // A page view alone never asks the clouds.
    await sim('/stats/reset', 'POST');
    await open(page);
    await page.waitForTimeout(2500);
    eq(Object.values((await sim('/stats')).requests).reduce((a, b) => a + b, 0), 0, 'no cloud call from a page view');
});

await test('a user of another entity sees nothing of entity 0 and cannot act', async () => {
    const bob = await session('bob');
    await open(bob.page);
    eq(await rowNames(bob.page), ['Other tenant router'], 'only entity 1\'s device');
    eq((await bob.page.textContent('[data-card="router"] .gdms-card-value')).trim(), '1', 'cards of entity 1 only');
    eq(await bob.page.locator('#gdms-sync-now').count(), 0, 'no Sync now without the update right');
    const fw = await (await bob.page.request.get(`${AJAX}?action=firmware`)).json();
    eq(fw.devices, [], 'no firmware rows of entity 0');
    const token = await bob.page.getAttribute('meta[property="glpi:csrf_token"]', 'content');
    const r = await bob.page.request.post(`${AJAX}?action=upgrade`, {
        headers: {'X-Requested-With': 'XMLHttpRequest', 'X-Glpi-Csrf-Token': token, 'Content-Type': 'application/json'},
        data: JSON.stringify({id: SEED.ap_id}),
    });
    eq(r.status(), 403, 'upgrade refused (read-only user)');
    await bob.page.screenshot({path: `${ART}/other-entity.png`});
    await bob.page.close();
});

await context.close();
console.log(results.join('\n'));
console.log(failed === 0 ? `browser tests: ${results.length} passed` : `browser tests: ${failed} of ${results.length} FAILED`);
process.exit(failed === 0 ? 1 - 1 : 1);
