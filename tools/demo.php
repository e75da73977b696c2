<?php

/**
 * make demo: the main job on embedded defaults.
 *
 * Without GLPI_DIR: starts the cloud simulator with a demo fleet, then runs
 * sync cycles through the freshly built extension (fetch over HTTP, plan),
 * keeping the state between cycles in memory the way the plugin keeps it in
 * its tables, while devices flap and a router fails over; prints each
 * cycle's dry-run plan and the NOC summary.
 *
 * With GLPI_DIR (and GLPI_URL): configures the plugin inside that GLPI
 * against the simulator and runs its automatic action with GLPI's cron.
 */

declare(strict_types=1);

const DEMO_CYCLE_SECONDS = 300;

if (!extension_loaded('gdms')) {
    fwrite(STDERR, "the gdms extension is not loaded: run through `make demo`\n");
    exit(1);
}
$root = dirname(__DIR__);
$info = json_decode(gdms_info(), true, 512, JSON_THROW_ON_ERROR);
printf("GDMS Integration demo — extension %s, contract %d, PHP %s\n\n", $info['version'], $info['contract'], PHP_VERSION);

$sim = demo_start_simulator($root, ['--networks', '12', '--devices', '300', '--seed', '42']);
printf("Simulator: %s (%d networks, %d GWN devices, %d UC devices)\n\n", $sim['info']['uri'], $sim['info']['networks'], $sim['info']['gwn_devices'], $sim['info']['uc_devices']);

$glpi_dir = getenv('GLPI_DIR') ?: '';
if ($glpi_dir !== '') {
    exit(demo_in_glpi($root, $glpi_dir, (string) getenv('GLPI_URL'), $sim));
}

$state = ['devices' => [], 'assets' => [], 'incidents' => [], 'next_asset' => 1, 'next_incident' => 1, 'tokens' => [], 'opened' => 0, 'resolved' => 0, 'rollups' => []];
$now = time();
$steps = demo_steps($sim);
foreach ($steps as $cycle => [$what, $scenarios]) {
    foreach ($scenarios as $s) {
        demo_admin($sim, 'POST', '/scenario', $s);
    }
    $at = $now + ($cycle - 1) * DEMO_CYCLE_SECONDS;
    printf("==== Cycle %d (%s UTC): %s ====\n", $cycle, gmdate('H:i', $at), $what);
    $started = microtime(true);
    $fetch = json_decode(gdms_fetch(json_encode(demo_fetch_request($sim, $state), JSON_THROW_ON_ERROR)), true, 512, JSON_THROW_ON_ERROR);
    $fetch_ms = (microtime(true) - $started) * 1000;
    $state['tokens'] = $fetch['tokens'];
    $plan_json = gdms_plan(json_encode(demo_plan_input($state, $fetch, $at), JSON_THROW_ON_ERROR));
    $plan = json_decode($plan_json, true, 512, JSON_THROW_ON_ERROR);
    echo gdms_plan_summary($plan_json), "\n";
    demo_apply($state, $plan);
    printf("fetch: %d requests, %d token(s) issued, %.0f ms\n\n", $fetch['stats']['requests'], $fetch['stats']['tokens_issued'], $fetch_ms);
}
demo_noc_summary($state);
exit(0);

/**
 * The demo's story: cycle number => [what happens, scenarios applied before it].
 *
 * @param array<string, mixed> $sim
 * @return array<int, array{0: string, 1: list<array<string, mixed>>}>
 */
function demo_steps(array $sim): array
{
    $fleet = demo_admin($sim, 'GET', '/fleet');
    $router = $fleet['networks'][0]['devices'][0];
    $aps = [];
    foreach ($fleet['networks'] as $n) {
        foreach ($n['devices'] as $d) {
            if ($d['kind'] === 'ap' && $d['online']) {
                $aps[] = $d['mac'];
            }
        }
    }
    $steps = [
        1 => ['baseline', []],
        2 => ['three APs go down; the first router loses WAN1 and fails over to WAN2', [
            ['op' => 'device_offline', 'mac' => $aps[0]], ['op' => 'device_offline', 'mac' => $aps[1]], ['op' => 'device_offline', 'mac' => $aps[2]],
            ['op' => 'port_link', 'mac' => $router['mac'], 'port' => 1, 'up' => false],
        ]],
        3 => ['two APs come back; WAN1 is back but without internet', [
            ['op' => 'device_online', 'mac' => $aps[0]], ['op' => 'device_online', 'mac' => $aps[1]],
            ['op' => 'port_link', 'mac' => $router['mac'], 'port' => 1, 'up' => true], ['op' => 'port_internet', 'mac' => $router['mac'], 'port' => 1, 'up' => false],
        ]],
        4 => ['everything recovers', [
            ['op' => 'device_online', 'mac' => $aps[2]], ['op' => 'port_internet', 'mac' => $router['mac'], 'port' => 1, 'up' => true],
        ]],
    ];
    return $steps;
}

/**
 * @param list<string> $args
 * @return array{info: array<string, mixed>, process: resource}
 */
function demo_start_simulator(string $root, array $args): array
{
    $bin = "$root/target/debug/gdms-sim";
    $process = proc_open(array_merge([$bin, 'serve', '--port', '0'], $args), [1 => ['pipe', 'w'], 2 => ['file', '/dev/null', 'a']], $pipes);
    $line = is_resource($process) ? fgets($pipes[1]) : false;
    $info = is_string($line) ? json_decode($line, true) : null;
    if (!is_array($info)) {
        fwrite(STDERR, "could not start $bin\n");
        exit(1);
    }
    register_shutdown_function(static function () use ($process): void {
        proc_terminate($process);
    });
    return ['info' => $info, 'process' => $process];
}

/**
 * @param array<string, mixed> $sim
 * @param array<string, mixed>|null $body
 * @return array<string, mixed>
 */
function demo_admin(array $sim, string $method, string $path, ?array $body = null): array
{
    $ctx = stream_context_create(['http' => ['method' => $method, 'ignore_errors' => true, 'header' => "Content-Type: application/json\r\n", 'content' => $body !== null ? json_encode($body) : '']]);
    return (array) json_decode((string) file_get_contents($sim['info']['admin_uri'] . $path, false, $ctx), true);
}

/**
 * @param array<string, mixed> $sim
 * @param array<string, mixed> $state
 * @return array<string, mixed>
 */
function demo_fetch_request(array $sim, array $state): array
{
    $i = $sim['info'];
    $known = [];
    foreach ($state['devices'] as $d) {
        if (($d['mac'] ?? null) && ($d['serial'] ?? null)) {
            $known[$d['mac']] = $d['serial'];
        }
    }
    return [
        'uc' => $i['uc'] + ['base_url' => $i['uc_uri'], 'region' => 'us'],
        'gwn' => ['app_id' => $i['gwn']['app_id'], 'secret_key' => $i['gwn']['secret_key'], 'base_url' => $i['gwn_uri']],
        'known_serials' => (object) $known, 'tokens' => $state['tokens'], 'firmware_base_url' => $i['firmware_uri'],
    ];
}

/**
 * @param array<string, mixed> $state
 * @param array<string, mixed> $snapshot
 * @return array<string, mixed>
 */
function demo_plan_input(array $state, array $snapshot, int $now): array
{
    return [
        'now' => $now,
        'config' => ['entities_id' => 0, 'refresh_interval' => DEMO_CYCLE_SECONDS, 'wan_debounce_seconds' => 0],
        'devices' => array_values($state['devices']), 'assets' => array_values($state['assets']),
        'models' => [], 'incidents' => array_values($state['incidents']), 'snapshot' => $snapshot,
    ];
}

/**
 * What the plugin's applier does in GLPI, kept in memory.
 *
 * @param array<string, mixed> $state
 * @param array<string, mixed> $plan
 */
function demo_apply(array &$state, array $plan): void
{
    foreach ($plan['assets']['create'] as $c) {
        $state['assets'][$c['device_key']] = ['itemtype' => $c['itemtype'], 'id' => $state['next_asset']++, 'entities_id' => 0, 'name' => $c['name'], 'serial' => (string) ($c['serial'] ?? ''), 'uuid' => (string) ($c['uuid'] ?? '')];
    }
    foreach ($plan['devices'] as $d) {
        $state['devices'][$d['device_key']] = $d;
    }
    foreach ($plan['purge'] as $p) {
        unset($state['devices'][$p['device_key']]);
    }
    foreach ($plan['rollups'] as $r) {
        $state['rollups'][$r['device_key']][0] = ($state['rollups'][$r['device_key']][0] ?? 0) + $r['online_s'];
        $state['rollups'][$r['device_key']][1] = ($state['rollups'][$r['device_key']][1] ?? 0) + $r['observed_s'];
    }
    foreach ($plan['incidents']['resolve'] as $r) {
        unset($state['incidents'][$r['incident_id']]);
        $state['resolved']++;
    }
    foreach ($plan['incidents']['open'] as $o) {
        $id = $state['next_incident']++;
        $state['incidents'][$id] = ['id' => $id, 'device_key' => $o['device_key'], 'port_key' => $o['port_key'], 'kind' => $o['kind'], 'tickets_id' => $id, 'ticket_open' => true, 'opened_at' => $plan['now']];
        $state['opened']++;
        printf("  ticket #%d: %s\n", $id, demo_title($o['ticket']['title']));
    }
}

/**
 * @param array<string, mixed> $title
 */
function demo_title(array $title): string
{
    $text = $title['text']['msgid'];
    foreach ($title['text']['params'] as $k => $v) {
        $text = str_replace('{' . $k . '}', (string) $v, $text);
    }
    return trim($title['prefix'] . ' ' . $text . ' ' . $title['suffix']);
}

/**
 * @param array<string, mixed> $state
 */
function demo_noc_summary(array $state): void
{
    $cards = [];
    $networks = [];
    foreach ($state['devices'] as $d) {
        $cat = in_array($d['category'], ['phone', 'pbx'], true) ? 'phones & PBX' : $d['category'];
        $cards[$cat][$d['status'] === 'online' ? 0 : 1] = ($cards[$cat][$d['status'] === 'online' ? 0 : 1] ?? 0) + 1;
        if (($d['network_name'] ?? '') !== '') {
            $networks[$d['network_name']] = true;
        }
    }
    echo "==== NOC summary ====\n";
    printf("  %-14s %d\n", 'networks', count($networks));
    ksort($cards);
    foreach ($cards as $cat => $c) {
        printf("  %-14s %4d online %4d offline\n", $cat, $c[0] ?? 0, $c[1] ?? 0);
    }
    $online = 0;
    $observed = 0;
    foreach ($state['rollups'] as [$on, $obs]) {
        $online += $on;
        $observed += $obs;
    }
    printf("  availability   %.2f %% of observed device-time\n", $observed > 0 ? 100 * $online / $observed : 0);
    printf("  incidents      %d opened, %d resolved, %d still open\n", $state['opened'], $state['resolved'], count($state['incidents']));
}

/**
 * Runs the plugin inside a real GLPI against the simulator: configure, then
 * run the automatic action a few times with GLPI's cron.
 *
 * @param array<string, mixed> $sim
 */
function demo_in_glpi(string $root, string $glpi_dir, string $glpi_url, array $sim): int
{
    $i = $sim['info'];
    $form = json_encode([
        'gdms_username' => $i['uc']['username'], 'gdms_password' => $i['uc']['password'], 'gdms_client_id' => $i['uc']['client_id'],
        'gdms_client_secret' => $i['uc']['client_secret'], 'gwn_app_id' => $i['gwn']['app_id'], 'gwn_secret' => $i['gwn']['secret_key'],
        'gdms_base_url' => $i['uc_uri'], 'gwn_base_url' => $i['gwn_uri'], 'firmware_base_url' => $i['firmware_uri'], 'is_active' => '1',
    ]);
    $run = static function (array $cmd, ?string $stdin = null) use ($glpi_dir): int {
        $prefix = posix_getuid() === 0 ? ['runuser', '-u', 'www-data', '--'] : [];
        $p = proc_open(array_merge($prefix, $cmd), [0 => ['pipe', 'r'], 1 => STDOUT, 2 => STDERR], $pipes, $glpi_dir);
        if (!is_resource($p)) {
            return 1;
        }
        fwrite($pipes[0], (string) $stdin);
        fclose($pipes[0]);
        return proc_close($p);
    };
    $log = "$glpi_dir/files/_log/gdmsintegration.log";
    $log_start = is_file($log) ? filesize($log) : 0;
    if ($run(['php', 'bin/console', 'plugins:gdmsintegration:configure', '--entity=0'], $form) !== 0) {
        fwrite(STDERR, "configuring the plugin in $glpi_dir failed (is it installed and active? make acceptance does both)\n");
        return 1;
    }
    echo "Dry run of the first cycle:\n";
    $run(['php', 'bin/console', 'plugins:gdmsintegration:sync', '--entity=0', '--dry-run']);
    foreach (demo_steps($sim) as $cycle => [$what, $scenarios]) {
        foreach ($scenarios as $scenario) {
            demo_admin($sim, 'POST', '/scenario', $scenario);
        }
        printf("==== GLPI cron cycle %d: %s ====\n", $cycle, $what);
        $run(['php', 'front/cron.php', '--force', 'SyncDevices']);
    }
    $new_lines = is_file($log) ? explode("\n", (string) file_get_contents($log, false, null, $log_start)) : [];
    foreach (preg_grep('/Sync summary/', $new_lines) as $line) {
        echo '  ', $line, "\n";
    }
    printf("\nDashboard: %s/plugins/gdmsintegration/front/dashboard.php\n", rtrim($glpi_url, '/'));
    return 0;
}
