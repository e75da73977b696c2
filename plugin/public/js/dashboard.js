/**
 * GDMS Integration: NOC dashboard.
 *
 * Reads the stored state through ajax/dashboard.php (never a cloud sync,
 * except "Sync now"). Every string that comes from a cloud is inserted with
 * textContent or as an attribute value, never as HTML.
 */
const NS = (window.GLPIPlugin ??= {}).Gdmsintegration ??= {};

const root = document.getElementById('gdms-dashboard');
const cfg = JSON.parse(root.dataset.config);
const S = cfg.strings;
const ajax = `${cfg.root}/ajax/dashboard.php`;

/** Small DOM builder: el('span', {class: 'x', title: t}, child, 'text'). */
function el(tag, attrs = {}, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
        if (v === null || v === undefined || v === false) continue;
        if (k === 'class') e.className = v;
        else if (k === 'text') e.textContent = v;
        else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
        else e.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children.flat()) {
        if (c === null || c === undefined || c === false) continue;
        e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
}

function fmt(template, ...args) {
    let i = 0;
    return template.replace(/%%|%(\d+\$)?[sd]/g, (m, pos) => (m === '%%' ? '%' : String(args[pos ? parseInt(pos, 10) - 1 : i++])));
}

function bytes(n) {
    n = Number(n) || 0;
    if (n >= 1073741824) return `${(n / 1073741824).toFixed(1)} GB`;
    if (n >= 1048576) return `${(n / 1048576).toFixed(1)} MB`;
    if (n >= 1024) return `${Math.round(n / 1024)} KB`;
    return `${n} B`;
}

function duration(sec) {
    sec = Number(sec) || 0;
    if (sec <= 0) return '—';
    const d = Math.floor(sec / 86400), h = Math.floor((sec % 86400) / 3600), m = Math.floor((sec % 3600) / 60);
    if (d > 0) return `${d}d ${h}h ${m}m`;
    if (h > 0) return `${h}h ${m}m`;
    return `${m}m`;
}

/** A `Y-m-d H:i:s` UTC date-time as the server stores it, as epoch milliseconds. */
function utcMs(utc) {
    return Date.parse(utc.replace(' ', 'T') + 'Z');
}

function ago(utc) {
    if (!utc) return S.never;
    const s = Math.max(0, (Date.now() - utcMs(utc)) / 1000);
    if (s < 60) return S.just_now;
    if (s < 3600) return fmt(S.min_ago, Math.floor(s / 60));
    if (s < 86400) return fmt(S.h_ago, Math.floor(s / 3600));
    return fmt(S.d_ago, Math.floor(s / 86400));
}

/** A stored UTC date-time shown in the browser's zone and the session's language. */
function localTime(utc) {
    const d = new Date(utcMs(utc));
    if (Number.isNaN(d.getTime())) return utc;
    try {
        return d.toLocaleString(cfg.locale || undefined, {dateStyle: 'short', timeStyle: 'short'});
    } catch {
        return d.toLocaleString();
    }
}

function csrf() {
    return document.querySelector('meta[property="glpi:csrf_token"]')?.getAttribute('content') ?? '';
}

async function getJson(params) {
    const r = await fetch(`${ajax}?${new URLSearchParams(params)}`, {headers: {'X-Requested-With': 'XMLHttpRequest'}, credentials: 'same-origin'});
    if (!r.ok) throw new Error(`${S.error} ${r.status}`);
    return r.json();
}

async function postJson(action, body) {
    const r = await fetch(`${ajax}?action=${encodeURIComponent(action)}`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: {'Content-Type': 'application/json', 'X-Requested-With': 'XMLHttpRequest', 'X-Glpi-Csrf-Token': csrf()},
        body: JSON.stringify(body),
    });
    let data = null;
    try { data = await r.json(); } catch { /* not JSON */ }
    if (!r.ok || data === null) return {ok: false, message: data?.message ?? `${S.error} ${r.status}`};
    return data;
}

/** GLPI marks its dark palettes with data-glpi-theme-dark="1" on <html>. */
function isDark() {
    const d = document.documentElement.dataset;
    return d.glpiThemeDark === '1' || d.bsTheme === 'dark';
}

/* ---------- modal (works with or without Bootstrap's JS) ---------- */
function modal(title, body, size = '') {
    const close = () => { box.remove(); backdrop.remove(); document.removeEventListener('keydown', onKey); };
    const onKey = (e) => { if (e.key === 'Escape') close(); };
    const backdrop = el('div', {class: 'modal-backdrop fade show'});
    const box = el('div', {class: 'modal fade show d-block gdms-modal', tabindex: '-1', role: 'dialog', 'aria-modal': 'true', onclick: (e) => { if (e.target === box) close(); }},
        el('div', {class: `modal-dialog modal-dialog-scrollable ${size}`},
            el('div', {class: 'modal-content'},
                el('div', {class: 'modal-header'}, el('h5', {class: 'modal-title', text: title}),
                    el('button', {type: 'button', class: 'btn-close', 'aria-label': S.close, onclick: close})),
                el('div', {class: 'modal-body'}, body))));
    document.body.append(backdrop, box);
    document.addEventListener('keydown', onKey);
    return {box, close};
}

/* ---------- state in the URL ---------- */
const DEFAULTS = {search: '', status: 'all', category: 'all', network: '', sort: '', dir: 'asc', page: '1'};
const state = {...DEFAULTS};
for (const [k, v] of new URLSearchParams(location.search)) if (k in DEFAULTS) state[k] = v;

function pushState() {
    const u = new URL(location.href);
    for (const k of Object.keys(DEFAULTS)) {
        if (state[k] && state[k] !== DEFAULTS[k]) u.searchParams.set(k, state[k]); else u.searchParams.delete(k);
    }
    history.replaceState(null, '', u);
}

let data = null;
let firmware = new Map();

/* ---------- rendering ---------- */
function renderCards(d) {
    const set = (key, value, detail) => {
        const card = root.querySelector(`[data-card="${key}"]`);
        card.querySelector('.gdms-card-value').textContent = value;
        const det = card.querySelector('.gdms-card-detail');
        det.replaceChildren(...(detail ?? []));
    };
    const counts = (c) => [
        el('span', {class: 'text-success gdms-online', text: `${c.online} ${S.online}`}), ' · ',
        el('span', {class: 'text-danger gdms-offline', text: `${c.offline} ${S.offline}`}),
    ];
    set('networks', d.cards.networks);
    for (const k of ['router', 'switch', 'ap', 'phones_pbx']) set(k, d.cards[k].online + d.cards[k].offline, counts(d.cards[k]));
    set('clients', d.cards.clients);
    const total = d.cards.all.online + d.cards.all.offline;
    const bar = document.getElementById('gdms-bar');
    bar.style.width = `${d.online_percent}%`;
    bar.className = `progress-bar ${d.online_percent >= 90 ? 'bg-success' : d.online_percent >= 70 ? 'bg-warning' : 'bg-danger'}`;
    bar.textContent = `${d.online_percent}%`;
    document.getElementById('gdms-bar-text').textContent = fmt(S.online_of, d.cards.all.online, total);
    const crit = document.getElementById('gdms-critical');
    crit.classList.toggle('d-none', d.critical_offline.length === 0);
    crit.replaceChildren(el('strong', {text: S.critical_banner}), ' ',
        ...d.critical_offline.flatMap((c, i) => [i ? ', ' : '',
            c.asset_url ? el('a', {href: c.asset_url, target: '_blank', rel: 'noopener', text: c.name}) : el('span', {text: c.name}),
            ` (${fmt(S.uptime_pct, c.availability)})`]));
}

const TYPE_CLASS = {router: 'bg-blue-lt', switch: 'bg-indigo-lt', ap: 'bg-cyan-lt', phone: 'bg-purple-lt', pbx: 'bg-pink-lt', unknown: 'bg-secondary-lt'};
const TIER_CLASS = {gold: 'bg-yellow text-dark', silver: 'bg-secondary', bronze: 'bg-orange', critical: 'bg-danger', no_data: 'bg-secondary-lt'};

function portDot(p, row) {
    const tip = [p.label, p.name && p.name !== p.label ? `(${p.name})` : '', p.wan_name ? `— ${p.wan_name}` : '', `— ${S[`port_${p.state}`]}`].filter(Boolean).join(' ');
    return el('span', {class: `gdms-port gdms-port-${p.state}`, title: tip, 'data-state': p.state, role: 'button', tabindex: '0',
        onclick: () => portModal(row)});
}

function uptimeTip(r) {
    const lines = [];
    if (r.upload_bytes || r.download_bytes) lines.push(`↑ ${S.upload} ${bytes(r.upload_bytes)} / ↓ ${S.download} ${bytes(r.download_bytes)}`);
    const ch = [r.channel_2g ? `2.4GHz ch${r.channel_2g}` : '', r.channel_5g ? `5GHz ch${r.channel_5g}` : ''].filter(Boolean).join(' ');
    if (ch) lines.push(`${S.channels}: ${ch}`);
    if (r.first_seen) lines.push(`${S.first_seen}: ${r.first_seen} UTC`);
    if (r.last_seen) lines.push(`${S.last_seen}: ${r.last_seen} UTC`);
    return lines.join('\n');
}

function firmwareCell(r) {
    const cell = el('td', {class: 'gdms-fw'}, el('span', {text: r.firmware || '—'}));
    if (r.upgrade) {
        // Kept by the server until the sync reports the new firmware.
        const scheduled = r.upgrade.state === 'scheduled';
        cell.append(' ', el('span', {class: `badge ${scheduled ? 'bg-azure-lt' : 'bg-info-lt'} gdms-fw-pending`, 'data-state': r.upgrade.state,
            title: r.upgrade.version ? fmt(S.upgrade_to, r.upgrade.version) : null,
            text: scheduled ? fmt(S.scheduled_for, localTime(r.upgrade.at)) : S.updating}));
    } else if (firmware.has(r.id)) {
        const f = firmware.get(r.id);
        const title = f.channels.map((c) => fmt(c.channel === 'beta' ? S.beta_available : S.update_available, c.version)).join('\n');
        cell.append(' ', el('button', {type: 'button', class: 'btn btn-link p-0 text-warning gdms-fw-update', title, 'aria-label': title,
            onclick: () => firmwareModal(r, f)}, el('i', {class: 'ti ti-circle-arrow-up-filled'})));
    }
    return cell;
}

function renderRows(d) {
    const body = document.getElementById('gdms-rows');
    if (d.rows.length === 0) {
        body.replaceChildren(el('tr', {}, el('td', {colspan: 13, class: 'text-center text-secondary', text: S.no_devices})));
    } else {
        body.replaceChildren(...d.rows.map((r) => {
            const online = r.status === 'online';
            const name = r.name || r.mac;
            const ip = el('td', {class: 'gdms-ip'});
            if (r.public_ip) {
                ip.append(el('span', {text: r.public_ip}), ' ',
                    el('a', {href: `https://www.whois.com/whois/${encodeURIComponent(r.public_ip)}`, target: '_blank', rel: 'noopener noreferrer', class: 'small', text: S.whois}));
            }
            if (r.private_ip) ip.append(el('div', {class: 'small text-secondary', text: r.private_ip}));
            return el('tr', {'data-id': r.id},
                el('td', {class: 'gdms-name'}, r.asset_url ? el('a', {href: r.asset_url, target: '_blank', rel: 'noopener', text: name}) : el('span', {text: name})),
                el('td', {}, el('span', {class: `badge ${TYPE_CLASS[r.category] ?? 'bg-secondary-lt'}`, text: S[r.category] ?? r.category})),
                el('td', {text: r.model}),
                el('td', {}, r.network_name ? el('a', {href: '#', class: 'gdms-network', text: r.network_name, onclick: (e) => { e.preventDefault(); networkModal(r.network_name); }}) : '—'),
                ip,
                el('td', {class: 'font-monospace small', text: r.mac}),
                el('td', {class: 'small', text: r.serial}),
                firmwareCell(r),
                el('td', {class: 'gdms-ports'}, ...(r.ports ?? []).map((p) => portDot(p, r))),
                el('td', {class: 'gdms-uptime', title: uptimeTip(r) || null, text: duration(r.uptime_sec)}),
                el('td', {}, el('span', {class: `badge ${online ? 'bg-success' : 'bg-danger'} gdms-status`, text: online ? S.online : S.offline})),
                el('td', {class: 'gdms-avail', text: r.availability === null ? '—' : `${Number(r.availability).toFixed(2)} %`}),
                el('td', {}, el('span', {class: `badge ${TIER_CLASS[r.tier]} gdms-tier`, 'data-tier': r.tier, text: S[r.tier]})));
        }));
    }
    document.getElementById('gdms-page-info').textContent = fmt(S.page_of, d.page, d.pages, d.filtered);
    document.getElementById('gdms-prev').disabled = d.page <= 1;
    document.getElementById('gdms-next').disabled = d.page >= d.pages;
    for (const th of root.querySelectorAll('th[data-sort]')) {
        const on = th.dataset.sort === state.sort;
        th.setAttribute('aria-sort', on ? (state.dir === 'desc' ? 'descending' : 'ascending') : 'none');
        th.querySelector('.gdms-sort-mark').textContent = on ? (state.dir === 'desc' ? '▼' : '▲') : '';
    }
}

function renderChart(d) {
    const box = document.getElementById('gdms-chart');
    if (!box || !window.echarts) return;
    const dark = isDark();
    const chart = window.echarts.getInstanceByDom(box) ?? window.echarts.init(box, dark ? 'dark' : null);
    chart.setOption({
        backgroundColor: 'transparent',
        animation: false,
        tooltip: {trigger: 'axis', valueFormatter: (v) => `${v} %`},
        xAxis: {type: 'category', data: d.chart.map((p) => p.day)},
        yAxis: {type: 'value', max: 100, min: (v) => Math.max(0, Math.floor(v.min - 5))},
        series: [{name: S.availability, type: 'line', smooth: true, areaStyle: {opacity: 0.15}, data: d.chart.map((p) => p.percent)}],
        grid: {left: 40, right: 16, top: 16, bottom: 30},
    });
}

function render(d) {
    data = d;
    renderCards(d);
    renderRows(d);
    renderChart(d);
    const last = document.getElementById('gdms-last-sync');
    last.textContent = d.last_sync_at ? `${S.last_sync}: ${ago(d.last_sync_at)}` : `${S.last_sync}: ${S.never}`;
    last.title = d.last_sync_at ? `${d.last_sync_at} UTC` : '';
}

async function load() {
    pushState();
    try {
        render(await getJson({action: 'data', ...state}));
        root.dataset.loaded = String(Date.now());
    } catch (e) {
        document.getElementById('gdms-rows').replaceChildren(el('tr', {}, el('td', {colspan: 13, class: 'text-danger', text: e.message})));
    }
}

/* ---------- modals ---------- */
function networkModal(name) {
    const n = data?.networks?.[name];
    if (!n) return;
    const rows = [];
    for (const k of ['router', 'switch', 'ap', 'phones_pbx']) {
        const c = n[k];
        const total = c.online + c.offline;
        if (total === 0) continue;
        const pct = Math.round((c.online / total) * 100);
        rows.push(el('div', {class: 'mb-3 gdms-net-row', 'data-kind': k},
            el('div', {class: 'd-flex justify-content-between'}, el('strong', {text: S[k]}),
                el('span', {}, el('span', {class: 'badge bg-success', text: `${c.online} ${S.online}`}), ' ',
                    el('span', {class: 'badge bg-danger', text: `${c.offline} ${S.offline}`}))),
            el('div', {class: 'progress mt-1'}, el('div', {class: `progress-bar ${pct >= 80 ? 'bg-success' : pct >= 50 ? 'bg-warning' : 'bg-danger'}`, style: `width: ${pct}%`, text: `${pct}%`})),
            el('div', {class: 'small text-secondary', text: `${S.total}: ${total}`})));
    }
    rows.push(el('div', {}, el('span', {class: 'badge bg-azure-lt', text: `${S.clients}: ${n.clients}`})));
    if (n.upload_bytes || n.download_bytes) {
        rows.push(el('div', {class: 'mt-2 small', text: `${S.network_traffic}: ↑ ${bytes(n.upload_bytes)} / ↓ ${bytes(n.download_bytes)}`}));
    }
    modal(name, el('div', {class: 'gdms-network-modal'}, rows));
}

const SPEED = ['—', '10M HDX', '10M FDX', '100M HDX', '100M FDX', '1G FDX', '1G FDX', '10G FDX'];
const WAN_TYPE = ['DHCP', 'Static', 'PPPoE', 'PPTP', 'L2TP'];

function portModal(r) {
    const legend = el('div', {class: 'd-flex flex-wrap gap-3 small mb-3'},
        ...['internet', 'no_internet', 'unknown', 'lan_up', 'down'].map((s) => el('span', {}, el('span', {class: `gdms-port gdms-port-${s}`}), ' ', S[`port_${s}`])));
    const head = [];
    if (r.upload_bytes || r.download_bytes) head.push(el('div', {class: 'small', text: `↑ ${S.upload} ${bytes(r.upload_bytes)} / ↓ ${S.download} ${bytes(r.download_bytes)}`}));
    if (r.first_seen) head.push(el('div', {class: 'small', text: `${S.first_seen}: ${r.first_seen} UTC · ${S.last_seen}: ${r.last_seen} UTC`}));
    const cards = (r.ports ?? []).map((p) => {
        const line = (label, value) => (value === null || value === undefined || value === '') ? null : el('div', {}, el('span', {class: 'text-secondary', text: `${label}: `}), el('span', {text: String(value)}));
        return el('div', {class: 'col-md-6'}, el('div', {class: 'card card-sm mb-2 gdms-port-card', 'data-state': p.state},
            el('div', {class: 'card-body'},
                el('div', {class: 'd-flex align-items-center gap-2 mb-1'}, el('span', {class: `gdms-port gdms-port-${p.state}`}),
                    el('strong', {class: 'gdms-port-label', text: p.label}), el('span', {class: 'badge bg-secondary-lt', text: p.role === 'wan' ? 'WAN' : 'LAN'}),
                    el('span', {class: 'ms-auto small', text: S[`port_${p.state}`]})),
                line(S.name, p.name), line(S.wan_name, p.wan_name), line(S.ip, p.ip),
                line(S.type, p.wan_type !== null && p.wan_type !== undefined ? (WAN_TYPE[p.wan_type] ?? p.wan_type) : null),
                line(S.gateway, p.gateway), line(S.dns, [p.dns1, p.dns2].filter(Boolean).join(' / ')),
                line(S.speed, p.speed !== null && p.speed !== undefined ? (SPEED[p.speed] ?? p.speed) : null),
                line(S.connected_for, p.connect_duration ? duration(p.connect_duration) : null),
                line(S.description, p.custom_name || p.description),
                line(S.port_type, `${p.medium === 'sfp' ? 'SFP' : 'GE'}${p.is_combo ? ' (combo)' : ''}`))));
    });
    modal(fmt(S.ports_of, r.name || r.mac), el('div', {class: 'gdms-port-modal'}, head, legend, el('div', {class: 'row'}, cards)), 'modal-lg');
}

function firmwareModal(r, f) {
    const body = document.getElementById('gdms-firmware-template').content.firstElementChild.cloneNode(true);
    body.querySelector('[data-f="name"]').textContent = r.name || r.mac;
    body.querySelector('[data-f="mac"]').textContent = r.mac;
    body.querySelector('[data-f="current"]').textContent = f.current;
    const showNotes = (channel) => {
        for (const n of body.querySelectorAll('.gdms-fw-note[data-channel]')) n.hidden = n.dataset.channel !== channel;
    };
    body.querySelector('[data-f="channels"]').replaceChildren(...f.channels.map((c, i) => el('label', {class: 'form-check mb-1'},
        el('input', {type: 'radio', class: 'form-check-input', name: 'gdms-fw-channel', value: c.channel, checked: i === 0, onchange: () => showNotes(c.channel)}),
        el('span', {class: 'form-check-label'}, el('span', {class: 'gdms-fw-version', text: c.version}), ' ',
            el('span', {class: `badge ${c.channel === 'beta' ? 'bg-yellow-lt' : 'bg-green-lt'}`, text: c.channel === 'beta' ? S.beta_firmware : S.official_firmware})))));
    body.querySelector('.gdms-fw-note[data-cloud]').hidden = f.cloud !== 'gwn';
    showNotes(f.channels[0]?.channel);
    const m = modal(S.firmware_title, body);
    const input = body.querySelector('#gdms-fw-when');
    if (!input) return;
    const min = new Date(Date.now() + 5 * 60000);
    let picker = null;
    if (window.flatpickr) {
        const l10n = window.flatpickr.l10ns?.[cfg.locale];
        picker = window.flatpickr(input, {enableTime: true, time_24hr: true, dateFormat: 'd/m/Y H:i', minDate: min, defaultDate: min, locale: l10n ?? 'default'});
    }
    const result = body.querySelector('.gdms-fw-result');
    const send = async (when) => {
        for (const b of body.querySelectorAll('button[data-act]')) b.disabled = true;
        result.replaceChildren(el('span', {class: 'text-secondary', text: '…'}));
        const channel = body.querySelector('input[name="gdms-fw-channel"]:checked')?.value ?? 'official';
        const res = await postJson('upgrade', {id: r.id, time_ms: when, channel});
        result.replaceChildren(el('div', {class: `alert ${res.ok ? 'alert-success' : 'alert-danger'} py-2 mb-0 gdms-fw-message`, text: res.message}));
        if (res.ok) {
            body.querySelector('.gdms-fw-buttons')?.remove();
            await load(); // the row now carries the server's record of the upgrade
        } else {
            for (const b of body.querySelectorAll('button[data-act]')) b.disabled = false;
        }
    };
    body.querySelector('[data-act="now"]').addEventListener('click', () => send(null));
    body.querySelector('[data-act="schedule"]').addEventListener('click', () => {
        const d = picker?.selectedDates?.[0] ?? null;
        send(d && d.getTime() > Date.now() ? d.getTime() : null);
    });
    NS.lastModal = m;
}

/* ---------- firmware check (background, after the table) ---------- */
async function checkFirmware() {
    try {
        const fw = await getJson({action: 'firmware'});
        firmware = new Map(fw.devices.map((x) => [x.id, x]));
        if (data) renderRows(data);
        root.dataset.firmwareChecked = '1';
    } catch { /* the table stays as it is */ }
}

/* ---------- topology ---------- */
async function topology() {
    const box = document.getElementById('gdms-topology');
    if (!box || !cfg.show_topology) return;
    const t = await getJson({action: 'topology'});
    if (!t.enabled) return;
    if (!window.vis) {
        await new Promise((ok, ko) => document.head.append(el('script', {src: `${cfg.root}/lib/vis-network.min.js`, onload: ok, onerror: ko})));
    }
    const dark = isDark();
    const nodes = t.nodes.map((n) => ({id: n.id, label: n.label, title: el('div', {text: `${n.label} — ${n.online ? S.online : S.offline}`}), color: n.online ? '#28a745' : '#dc3545'}));
    new window.vis.Network(box, {nodes, edges: t.edges.map((e) => ({from: e.from, to: e.to}))}, {
        nodes: {shape: 'dot', size: 14, font: {color: dark ? '#fff' : '#222'}},
        edges: {arrows: 'to', color: '#999'},
        physics: {stabilization: {iterations: 150}},
        interaction: {hover: true},
    });
    if (t.truncated) document.getElementById('gdms-topology-note').textContent = fmt(S.topology_truncated, t.nodes.length);
    root.dataset.topology = String(t.nodes.length);
}

/* ---------- controls ---------- */
function bind() {
    const search = document.getElementById('gdms-search');
    const status = document.getElementById('gdms-status');
    const category = document.getElementById('gdms-category');
    search.value = state.search;
    status.value = state.status;
    category.value = state.category;
    let timer = null;
    search.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(() => { state.search = search.value; state.page = '1'; load(); }, 250); });
    status.addEventListener('change', () => { state.status = status.value; state.page = '1'; load(); });
    category.addEventListener('change', () => { state.category = category.value; state.page = '1'; load(); });
    document.getElementById('gdms-reset').addEventListener('click', () => {
        Object.assign(state, DEFAULTS);
        search.value = ''; status.value = 'all'; category.value = 'all';
        load();
    });
    for (const th of root.querySelectorAll('th[data-sort]')) {
        const go = () => {
            if (state.sort === th.dataset.sort) state.dir = state.dir === 'asc' ? 'desc' : 'asc';
            else { state.sort = th.dataset.sort; state.dir = 'asc'; }
            load();
        };
        th.addEventListener('click', go);
        th.addEventListener('keydown', (e) => { if (e.key === 'Enter') go(); });
    }
    document.getElementById('gdms-prev').addEventListener('click', () => { state.page = String(Math.max(1, Number(state.page) - 1)); load(); });
    document.getElementById('gdms-next').addEventListener('click', () => { state.page = String(Number(state.page) + 1); load(); });
    const sync = document.getElementById('gdms-sync-now');
    sync?.addEventListener('click', async () => {
        sync.disabled = true;
        const res = await postJson('sync', {});
        document.getElementById('gdms-sync-result').replaceChildren(el('div', {class: `alert ${res.ok ? 'alert-success' : 'alert-warning'} py-2`, text: res.message}));
        sync.disabled = false;
        await load();
    });
    // Auto-refresh from the stored state.
    let left = cfg.refresh_interval;
    const cd = document.getElementById('gdms-countdown');
    setInterval(() => {
        left -= 1;
        if (left <= 0) { left = cfg.refresh_interval; load(); }
        cd.textContent = `${Math.floor(left / 60)}m ${left % 60}s`;
    }, 1000);
}

NS.Dashboard = {load, state, get data() { return data; }};
bind();
load().then(() => {
    setTimeout(checkFirmware, 2000);
    topology().catch(() => {});
});
