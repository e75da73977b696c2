<?php

/**
 * Seeds the browser tests' database: entity 0 configured against the
 * simulator and synchronised once through the plugin (the real cron path),
 * then a few rows the tests look for (a hostile port label and device name,
 * a newer cached firmware, 30 days of roll-ups, a device of entity 1).
 *
 * Usage: php seed.php SIM_INFO_JSON_FILE   (GDMS_TEST_DB_NAME selects the database)
 */

declare(strict_types=1);

require_once __DIR__ . '/../glpi/bootstrap.php';
require_once __DIR__ . '/../support/DashboardSeed.php';

$info = json_decode((string) file_get_contents($argv[1] ?? ''), true, 512, JSON_THROW_ON_ERROR);

plugin_gdmsintegration_install();
$_SESSION = ['glpicronuserrunning' => 'cron_SyncDevices', 'glpiname' => 'cron', 'glpiactiveentities' => [0, 1]];
PluginGdmsintegrationConfig::saveFromForm(0, [
    'gdms_username' => $info['uc']['username'], 'gdms_password' => $info['uc']['password'],
    'gdms_client_id' => $info['uc']['client_id'], 'gdms_client_secret' => $info['uc']['client_secret'],
    'gwn_app_id' => $info['gwn']['app_id'], 'gwn_secret' => $info['gwn']['secret_key'],
    'gdms_base_url' => $info['uc_uri'], 'gwn_base_url' => $info['gwn_uri'], 'firmware_base_url' => $info['firmware_uri'],
    'is_active' => '1', 'refresh_interval' => '300', 'users_id_requester' => '0',
]);
$result = PluginGdmsintegrationSync::syncEntity(PluginGdmsintegrationConfig::getForEntity(0), 'browser-test-seed');
if ($result === null) {
    fwrite(STDERR, "seed: the sync did not run\n");
    exit(1);
}

global $DB;
$T = PluginGdmsintegrationDashboard::DEVICES;
$DB->update(PluginGdmsintegrationDashboard::CONFIGS, ['availability_days' => 30, 'show_topology' => 1, 'last_sync_at' => gmdate('Y-m-d H:i:s', time() - 180)], ['entities_id' => 0]);

// The first GWN access point gets a newer firmware in the cache.
$gwn = iterator_to_array($DB->request(['FROM' => $T, 'WHERE' => ['entities_id' => 0, 'cloud' => 'gwn', 'category' => ['ap', 'switch']], 'ORDER' => ['category', 'id'], 'LIMIT' => 2]), false);
if (count($gwn) < 2) {
    fwrite(STDERR, "seed: the simulated fleet has fewer than two GWN access points/switches\n");
    exit(1);
}
[$ap, $second] = $gwn;
$DB->update($T, ['firmware' => '1.0.1.1', 'firmware_latest' => '1.0.9.9', 'name' => 'Lobby AP'], ['id' => $ap['id']]);
$DB->update($T, ['firmware' => '1.0.1.1', 'firmware_latest' => '1.0.9.9', 'name' => 'Store AP'], ['id' => $second['id']]);

// The UC PBXs run an old firmware; their models get an official release and a newer beta
// on the simulator's firmware pages (before anything caches those pages).
$DB->update($T, ['firmware' => '1.0.0.1'], ['entities_id' => 0, 'cloud' => 'uc', 'category' => 'pbx']);
$pbx_ids = [];
foreach ($DB->request(['FROM' => $T, 'WHERE' => ['entities_id' => 0, 'cloud' => 'uc', 'category' => 'pbx'], 'ORDER' => 'id']) as $pbx) {
    $pbx_ids[] = (int) $pbx['id'];
    $scenario = json_encode(['op' => 'firmware', 'model' => $pbx['model'], 'version' => '1.0.40.1', 'beta' => '1.0.41.3']);
    $answer = file_get_contents($info['admin_uri'] . '/scenario', false, stream_context_create(['http' => [
        'method' => 'POST', 'header' => "Content-Type: application/json\r\n", 'content' => $scenario,
    ]]));
    if ($answer === false) {
        fwrite(STDERR, "seed: the simulator refused the firmware scenario\n");
        exit(1);
    }
}
if (count($pbx_ids) < 2) {
    fwrite(STDERR, "seed: the simulated fleet has fewer than two PBXs\n");
    exit(1);
}

// The first router: a known port set with a hostile label, and a hostile name on its network.
$router = $DB->request(['FROM' => $T, 'WHERE' => ['entities_id' => 0, 'category' => 'router'], 'ORDER' => 'id', 'LIMIT' => 1])->current();
$DB->update($T, ['ports_json' => DashboardSeed::routerPorts('<img src=x onerror="window.__xss=1">'), 'name' => 'HQ router',
    'upload_bytes' => 3 * 1073741824, 'download_bytes' => 5 * 1048576, 'channel_2g' => 6, 'channel_5g' => 44, 'uptime_sec' => 90061], ['id' => $router['id']]);
DashboardSeed::device(0, 'c0:74:ad:ff:00:01', '<img src=x onerror="window.__xss=2">', 'switch', false, [
    'network_name' => (string) $router['network_name'], 'network_id' => (string) $router['network_id'], 'source_key' => (string) $router['source_key'],
]);

// 30 days of roll-ups for every device of entity 0 (one Critical).
foreach ($DB->request(['SELECT' => ['device_key', 'status', 'name'], 'FROM' => $T, 'WHERE' => ['entities_id' => 0]]) as $row) {
    $DB->delete(PluginGdmsintegrationDashboard::DAILIES, ['entities_id' => 0, 'device_key' => $row['device_key']]);
    $online = $row['status'] === 'online' ? 86400 : 43200;
    $rows = [];
    for ($i = 0; $i < 30; $i++) {
        $rows[] = [0, $row['device_key'], gmdate('Y-m-d', time() - $i * 86400), $i === 3 ? (int) ($online * 0.9) : $online, 86400];
    }
    DashboardSeed::bulk(PluginGdmsintegrationDashboard::DAILIES, ['entities_id', 'device_key', 'day', 'online_seconds', 'observed_seconds'], $rows);
}

// Another tenant.
DashboardSeed::device(1, 'c0:74:ad:ee:00:01', 'Other tenant router', 'router', true, ['network_name' => 'Elsewhere']);

$count = $DB->request(['COUNT' => 'c', 'FROM' => $T, 'WHERE' => ['entities_id' => 0]])->current()['c'];
echo json_encode(['devices' => (int) $count, 'ap_mac' => $ap['mac'], 'ap_id' => (int) $ap['id'], 'second_mac' => $second['mac'], 'second_id' => (int) $second['id'], 'router_id' => (int) $router['id'], 'router_network' => $router['network_name'], 'pbx_ids' => $pbx_ids]), "\n";
