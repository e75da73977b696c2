<?php

/**
 * Dashboard data endpoint benchmark (run by `make bench`): 10,000 devices of
 * one entity, 365 days of daily roll-ups each (3.65 M rows), MariaDB and the
 * release extension. Times PluginGdmsintegrationDashboard::data() plus the
 * JSON encoding the AJAX script does, for a 365-day and a 7-day window.
 */

declare(strict_types=1);

putenv('GDMS_TEST_DB_NAME=' . (getenv('GDMS_BENCH_DB_NAME') ?: 'gdms_bench'));
require_once __DIR__ . '/../glpi/bootstrap.php';
require_once __DIR__ . '/../support/DashboardSeed.php';

const DEVICES = 10000;
const DAYS = 365;

global $DB;
plugin_gdmsintegration_install();
$_SESSION = ['glpiID' => 2, 'glpiactiveentities' => [0], 'glpiactive_entity' => 0, 'glpiactiveprofile' => ['plugin_gdmsintegration' => READ]];
$DB->insert(PluginGdmsintegrationDashboard::CONFIGS, ['entities_id' => 0, 'availability_days' => DAYS]);

$t = microtime(true);
$cats = ['router', 'switch', 'ap', 'ap', 'ap', 'phone', 'phone', 'phone', 'pbx', 'switch'];
$rows = [];
for ($i = 0; $i < DEVICES; $i++) {
    $mac = sprintf('c0:74:ad:%02x:%02x:%02x', intdiv($i, 65536) % 256, intdiv($i, 256) % 256, $i % 256);
    $rows[] = [0, $mac, $mac, sprintf('device-%05d', $i), $cats[$i % 10], $i % 17 === 0 ? 'offline' : 'online',
        sprintf('net-%03d', $i % 300), 'GWN7660', '1.0.1.' . ($i % 9), $i % 50];
}
DashboardSeed::bulk(PluginGdmsintegrationDashboard::DEVICES,
    ['entities_id', 'device_key', 'mac', 'name', 'category', 'status', 'network_name', 'model', 'firmware', 'clients'], $rows);
$today = gmdate('Y-m-d', DashboardSeed::NOW);
// One statement: every device × 365 days from MariaDB's sequence engine.
$DB->doQuery(sprintf(
    'INSERT INTO `%s` (`entities_id`, `device_key`, `day`, `online_seconds`, `observed_seconds`)
     SELECT 0, d.`device_key`, DATE_SUB(%s, INTERVAL s.seq DAY), IF(MOD(d.`id` + s.seq, 97) = 0, 80000, 86400), 86400
     FROM `%s` d JOIN seq_0_to_%d s',
    PluginGdmsintegrationDashboard::DAILIES,
    $DB->quoteValue($today),
    PluginGdmsintegrationDashboard::DEVICES,
    DAYS - 1
));
$DB->doQuery('ANALYZE TABLE `' . PluginGdmsintegrationDashboard::DAILIES . '`');
printf("seeded %d devices, %d daily rows in %.1f s\n", DEVICES, DEVICES * DAYS, microtime(true) - $t);

$DB->log = [];
$measure = static function (int $window) use ($DB): array {
    $DB->update(PluginGdmsintegrationDashboard::CONFIGS, ['availability_days' => $window], ['entities_id' => 0]);
    $times = [];
    $query = PluginGdmsintegrationDashboard::query(['sort' => 'availability', 'dir' => 'asc']);
    // First view of this window: builds its cache (once; then slid one day at a time).
    $t = hrtime(true);
    PluginGdmsintegrationDashboard::data($query, [0], DashboardSeed::NOW);
    $cold = (hrtime(true) - $t) / 1e6;
    for ($i = 0; $i < 7; $i++) {
        $DB->log = [];
        $t = hrtime(true);
        $json = json_encode(PluginGdmsintegrationDashboard::data($query, [0], DashboardSeed::NOW), JSON_THROW_ON_ERROR);
        $times[] = (hrtime(true) - $t) / 1e6;
    }
    sort($times);
    $queries = count($DB->log);
    $data = json_decode($json, true);
    // The next day: the cache slides by one day (adds one day, subtracts one).
    $t = hrtime(true);
    PluginGdmsintegrationDashboard::data($query, [0], DashboardSeed::NOW + 86400);
    $slide = (hrtime(true) - $t) / 1e6;
    return ['cold' => $cold, 'slide' => $slide, 'median' => $times[3], 'min' => $times[0], 'max' => $times[6], 'rows' => count($data['rows']), 'queries' => $queries,
        'first_tier' => $data['rows'][0]['tier'] ?? null, 'bytes' => strlen($json)];
};
$long = $measure(DAYS);
$short = $measure(7);
foreach (['365-day window' => $long, '7-day window' => $short] as $label => $m) {
    printf("dashboard data, %d devices, %s: median %.1f ms (min %.1f, max %.1f; 7 runs), %d queries, page of %d rows, %d bytes of JSON;"
        . " first view (cache build) %.0f ms, first view of the next day (cache slid one day) %.0f ms\n",
        DEVICES, $label, $m['median'], $m['min'], $m['max'], $m['queries'], $m['rows'], $m['bytes'], $m['cold'], $m['slide']);
}
printf("ratio 365-day / 7-day: %.2f (target close to 1; budget 300 ms for 365 days: %s)\n",
    $long['median'] / $short['median'], $long['median'] <= 300 ? 'met' : 'NOT met');
