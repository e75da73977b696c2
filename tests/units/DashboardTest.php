<?php

declare(strict_types=1);

use PHPUnit\Framework\TestCase;

require_once __DIR__ . '/../support/DashboardSeed.php';

/**
 * The dashboard's data as a user of an entity sees it: cards, availability
 * and SLA tiers from the extension, table filter/sort/pagination, ports,
 * firmware and topology, entity scoping. MariaDB and the real extension.
 */
final class DashboardTest extends TestCase
{
    private const NOW = DashboardSeed::NOW;

    protected function setUp(): void
    {
        global $DB;
        $DB = gdms_test_reset_database();
        plugin_gdmsintegration_install();
        $_SESSION = ['glpiID' => 2, 'glpiactiveentities' => [0], 'glpiactive_entity' => 0,
            'glpiactiveprofile' => ['plugin_gdmsintegration' => READ]];
        PluginGdmsintegrationConfig::saveFromForm(0, ['refresh_interval' => '120', 'users_id_requester' => '0']);
        $DB->update(PluginGdmsintegrationDashboard::CONFIGS, ['availability_days' => 30, 'show_topology' => 0], ['entities_id' => 0]);

        $r = DashboardSeed::device(0, 'c0:74:ad:00:00:01', 'HQ router', 'router', true, [
            'network_name' => 'HQ', 'ports_json' => DashboardSeed::routerPorts(), 'firmware' => '1.0.5.12', 'firmware_latest' => '1.0.7.4', 'clients' => 7,
        ]);
        DashboardSeed::device(0, 'c0:74:ad:00:00:02', 'HQ switch', 'switch', false, ['network_name' => 'HQ']);
        DashboardSeed::device(0, 'c0:74:ad:00:00:03', 'Lobby AP', 'ap', true, ['network_name' => 'Branch', 'clients' => 5, 'firmware' => '1.0.9', 'firmware_latest' => '1.0.9']);
        DashboardSeed::device(0, 'c0:74:ad:00:00:04', 'Reception phone', 'phone', true, ['network_name' => 'Branch']);
        DashboardSeed::device(0, 'c0:74:ad:00:00:05', '<script>alert(1)</script>', 'pbx', false);
        DashboardSeed::device(1, 'c0:74:ad:00:01:01', 'Other tenant router', 'router', true, ['network_name' => 'Elsewhere']);

        DashboardSeed::dailies(0, 'c0:74:ad:00:00:01', 30, 86400);          // 100 % → gold
        DashboardSeed::dailies(0, 'c0:74:ad:00:00:02', 10, 43200);          // 50 % → critical, offline
        DashboardSeed::dailies(0, 'c0:74:ad:00:00:03', 30, 86400 - 300);    // 99.65 % → silver
        // Outside the 30-day window: must not count.
        DashboardSeed::bulk(PluginGdmsintegrationDashboard::DAILIES, ['entities_id', 'device_key', 'day', 'online_seconds', 'observed_seconds'], [
            [0, 'c0:74:ad:00:00:04', gmdate('Y-m-d', self::NOW - 40 * 86400), 0, 86400],
        ]);
        DashboardSeed::dailies(1, 'c0:74:ad:00:01:01', 5, 0);
    }

    /** @return array<string, mixed> */
    private function data(array $params = [], ?array $entities = null): array
    {
        return PluginGdmsintegrationDashboard::data(PluginGdmsintegrationDashboard::query($params), $entities ?? [0], self::NOW);
    }

    /** @return array<string, array<string, mixed>> rows by name */
    private function rows(array $data): array
    {
        return array_column($data['rows'], null, 'name');
    }

    public function testCardsCountOnlyTheUsersEntity(): void
    {
        $d = $this->data();
        $this->assertSame(2, $d['cards']['networks']);
        $this->assertSame(['online' => 1, 'offline' => 0], $d['cards']['router']);
        $this->assertSame(['online' => 0, 'offline' => 1], $d['cards']['switch']);
        $this->assertSame(['online' => 1, 'offline' => 0], $d['cards']['ap']);
        $this->assertSame(['online' => 1, 'offline' => 1], $d['cards']['phones_pbx']);
        $this->assertSame(12, $d['cards']['clients']);
        $this->assertSame(60, $d['online_percent']);
        $this->assertSame(5, $d['filtered']);
        $this->assertArrayNotHasKey('Other tenant router', $this->rows($d));
        $this->assertSame(30, $d['window_days']);
        $this->assertSame(120, $d['refresh_interval']);
    }

    public function testAvailabilityAndTiersOverTheWindowOnly(): void
    {
        $rows = $this->rows($this->data());
        $this->assertSame(100.0, (float) $rows['HQ router']['availability']);
        $this->assertSame('gold', $rows['HQ router']['tier']);
        $this->assertSame('critical', $rows['HQ switch']['tier']);
        $this->assertSame(99.65, (float) $rows['Lobby AP']['availability']);
        $this->assertSame('silver', $rows['Lobby AP']['tier']);
        // Only a day outside the window: no data, not 0 % Critical.
        $this->assertNull($rows['Reception phone']['availability']);
        $this->assertSame('no_data', $rows['Reception phone']['tier']);
    }

    public function testCriticalOfflineBanner(): void
    {
        $d = $this->data();
        $this->assertSame(['HQ switch'], array_column($d['critical_offline'], 'name'));
    }

    public function testAnotherEntitySeesOnlyItsOwnDevices(): void
    {
        $d = $this->data([], [1]);
        $this->assertSame(['Other tenant router'], array_column($d['rows'], 'name'));
        $this->assertSame(0.0, (float) $d['rows'][0]['availability']);
        $this->assertSame([], $this->data([], [])['rows']);
        $this->assertNull(PluginGdmsintegrationDashboard::device((int) $d['rows'][0]['id'], [0]));
    }

    public function testFilterSortAndPage(): void
    {
        $d = $this->data(['status' => 'offline']);
        $this->assertSame(['<script>alert(1)</script>', 'HQ switch'], array_column($d['rows'], 'name'));
        $d = $this->data(['category' => 'network', 'sort' => 'availability', 'dir' => 'desc']);
        $this->assertSame(['HQ router', 'Lobby AP', 'HQ switch'], array_column($d['rows'], 'name'));
        $d = $this->data(['search' => 'lobby']);
        $this->assertSame(['Lobby AP'], array_column($d['rows'], 'name'));
        $d = $this->data(['per_page' => 10, 'page' => 7, 'sort' => 'bogus', 'dir' => 'x']);
        $this->assertSame(1, $d['page']);
        $this->assertSame('', $d['query']['sort']);
    }

    public function testPortsWanFirstWithStatesAndRawLabels(): void
    {
        $router = $this->rows($this->data())['HQ router'];
        $this->assertSame(['P1', 'P2', 'P5', 'P3', 'P4'], array_column($router['ports'], 'label'));
        $this->assertSame(['internet', 'no_internet', 'unknown', 'lan_up', 'down'], array_column($router['ports'], 'state'));
        // Cloud strings travel as data; the page escapes them where it renders.
        $this->assertSame('<img src=x onerror=alert(1)>', $router['ports'][1]['name']);
        $this->assertTrue($router['firmware_update']);
    }

    public function testNetworksAndChart(): void
    {
        $d = $this->data();
        $this->assertSame(['online' => 1, 'offline' => 1], [
            'online' => $d['networks']['HQ']['router']['online'] + $d['networks']['HQ']['switch']['online'],
            'offline' => $d['networks']['HQ']['router']['offline'] + $d['networks']['HQ']['switch']['offline'],
        ]);
        $this->assertCount(30, $d['chart']);
        $last = end($d['chart']);
        $this->assertSame('2026-01-01', $last['day']);
    }

    public function testFirmwareStatusFromTheCacheAndTopologyOff(): void
    {
        $fw = PluginGdmsintegrationDashboard::firmwareStatus([0]);
        $this->assertSame(['1.0.7.4'], array_column($fw['devices'], 'latest'));
        $this->assertSame([], PluginGdmsintegrationDashboard::firmwareStatus([1])['devices']);
        $this->assertFalse(PluginGdmsintegrationDashboard::topology([0])['enabled']);
        global $DB;
        $DB->update(PluginGdmsintegrationDashboard::CONFIGS, ['show_topology' => 1], ['entities_id' => 0]);
        $DB->insert(PluginGdmsintegrationDashboard::LINKS, ['entities_id' => 0, 'source_key' => 'c0:74:ad:00:00:02', 'target_key' => 'c0:74:ad:00:00:01', 'type' => 'uplink']);
        $t = PluginGdmsintegrationDashboard::topology([0]);
        $this->assertCount(5, $t['nodes']);
        $this->assertSame([['from' => '0:c0:74:ad:00:00:02', 'to' => '0:c0:74:ad:00:00:01', 'type' => 'uplink']], $t['edges']);
    }

    public function testOfficialAndNewerBetaOfferedForUcDevicesOnlyOfficialForGwn(): void
    {
        global $DB;
        $DB->update(PluginGdmsintegrationDashboard::DEVICES, ['firmware' => '1.0.1.1'], ['model' => 'UCM6304']);
        $DB->insert(PluginGdmsintegrationDashboard::FIRMWARES, [
            'model' => 'UCM6304', 'version' => '1.0.29.5', 'download_url' => 'https://firmware.grandstream.com/ucm6300fw.bin',
            'beta_version' => '1.0.31.2', 'beta_download_url' => 'https://firmware.grandstream.com/ucm6300fw1.0.31.2.bin',
            'checked_at' => gmdate('Y-m-d H:i:s', self::NOW),
        ]);
        $channels = static fn(): array => array_column(PluginGdmsintegrationDashboard::firmwareStatus([0], self::NOW)['devices'], 'channels', 'cloud');
        $this->assertSame([['channel' => 'official', 'version' => '1.0.29.5'], ['channel' => 'beta', 'version' => '1.0.31.2']], $channels()['uc']);
        $this->assertSame([['channel' => 'official', 'version' => '1.0.7.4']], $channels()['gwn'], 'upgrade/add has no version: official only');

        // A beta older than the official release is a step back: not offered.
        $DB->update(PluginGdmsintegrationDashboard::FIRMWARES, ['beta_version' => '1.0.28.1'], ['model' => 'UCM6304']);
        $this->assertSame([['channel' => 'official', 'version' => '1.0.29.5']], $channels()['uc']);
        // Only a beta newer than what runs: the device is listed for it alone.
        $DB->update(PluginGdmsintegrationDashboard::FIRMWARES, ['version' => '1.0.1.1', 'beta_version' => '1.0.31.2'], ['model' => 'UCM6304']);
        $this->assertSame([['channel' => 'beta', 'version' => '1.0.31.2']], $channels()['uc']);
    }

    public function testBetaUpgradeOfAGwnDeviceIsRefusedBeforeAnyCall(): void
    {
        global $DB;
        $router = (int) $DB->request(['SELECT' => 'id', 'FROM' => PluginGdmsintegrationDashboard::DEVICES, 'WHERE' => ['name' => 'HQ router']])->current()['id'];
        $r = PluginGdmsintegrationDashboard::upgradeFirmware($router, null, [0], 'beta', self::NOW);
        $this->assertFalse($r['ok']);
        $this->assertStringContainsString('official', $r['message']);
        $this->assertSame('', (string) $DB->request(['SELECT' => 'upgrade_from', 'FROM' => PluginGdmsintegrationDashboard::DEVICES, 'WHERE' => ['id' => $router]])->current()['upgrade_from']);
    }

    public function testAskedUpgradeShownUntilTheNewFirmwareIsReportedOrTheGraceEnds(): void
    {
        global $DB;
        $router = ['name' => 'HQ router'];
        $state = fn(int $now): ?string => $this->rows(PluginGdmsintegrationDashboard::data(PluginGdmsintegrationDashboard::query([]), [0], $now))['HQ router']['upgrade']['state'] ?? null;
        $this->assertNull($state(self::NOW), 'nothing asked');

        $DB->update(PluginGdmsintegrationDashboard::DEVICES, ['upgrade_from' => '1.0.5.12', 'upgrade_version' => '1.0.7.4', 'upgrade_at' => gmdate('Y-m-d H:i:s', self::NOW + 7200)], $router);
        $this->assertSame('scheduled', $state(self::NOW));
        $this->assertSame('updating', $state(self::NOW + 7200));
        $this->assertSame('updating', $state(self::NOW + 7200 + PluginGdmsintegrationDashboard::UPGRADE_GRACE - 1));
        $this->assertNull($state(self::NOW + 7200 + PluginGdmsintegrationDashboard::UPGRADE_GRACE), 'taken as failed: the update icon comes back');

        // The sync reports the new firmware: done, whatever the time.
        $DB->update(PluginGdmsintegrationDashboard::DEVICES, ['firmware' => '1.0.7.4'], $router);
        $this->assertNull($state(self::NOW + 7300));
    }

    public function testWarmingBuildsTheEntitysWindowAndEveryLongerOneConfigured(): void
    {
        global $DB;
        PluginGdmsintegrationConfig::saveFromForm(1, ['refresh_interval' => '300', 'users_id_requester' => '0']);
        $DB->update(PluginGdmsintegrationDashboard::CONFIGS, ['availability_days' => 90], ['entities_id' => 1]);
        $windows = static function (int $entity) use ($DB): array {
            $out = [];
            foreach ($DB->request(['SELECT' => 'window_days', 'DISTINCT' => true, 'FROM' => PluginGdmsintegrationDashboard::AVAILSUMS, 'WHERE' => ['entities_id' => $entity], 'ORDER' => 'window_days']) as $row) {
                $out[] = (int) $row['window_days'];
            }
            return $out;
        };
        PluginGdmsintegrationDashboard::warmCaches(0, 120, self::NOW);
        $this->assertSame([30, 90], $windows(0), 'a user seeing entities 0 and 1 reads the 90-day window');
        PluginGdmsintegrationDashboard::warmCaches(1, 300, self::NOW);
        $this->assertSame([90], $windows(1), 'no shorter window: a page showing entity 1 never uses one');

        // The page of a user seeing both reads the warmed cache, with the same figures as a fresh computation.
        $warm = PluginGdmsintegrationDashboard::data(PluginGdmsintegrationDashboard::query([]), [0, 1], self::NOW);
        $this->assertSame(90, $warm['window_days']);
        PluginGdmsintegrationDashboard::forgetCaches(0);
        PluginGdmsintegrationDashboard::forgetCaches(1);
        $fresh = PluginGdmsintegrationDashboard::data(PluginGdmsintegrationDashboard::query([]), [0, 1], self::NOW);
        $this->assertSame(array_column($fresh['rows'], 'availability', 'name'), array_column($warm['rows'], 'availability', 'name'));
    }

    public function testUpgradeOfADeviceOfAnotherEntityIsRefused(): void
    {
        $other = $this->data([], [1])['rows'][0]['id'];
        $r = PluginGdmsintegrationDashboard::upgradeFirmware((int) $other, null, [0]);
        $this->assertFalse($r['ok']);
    }

    public function testSyncNowIsRateLimited(): void
    {
        global $DB;
        $DB->update(PluginGdmsintegrationDashboard::CONFIGS, ['last_sync_at' => gmdate('Y-m-d H:i:s', self::NOW - 10)], ['entities_id' => 0]);
        $r = PluginGdmsintegrationDashboard::syncNow([0], self::NOW);
        $this->assertFalse($r['ok']);
        $this->assertSame(1, $r['skipped']);
    }

    /** @return array<string, array{int}> */
    public static function refreshIntervals(): array
    {
        return ['default refresh' => [300], 'daily refresh: three open days' => [86400]];
    }

    /**
     * @dataProvider refreshIntervals
     */
    public function testCachedWindowSlidesToTheSameFiguresAsAFreshComputation(int $refresh): void
    {
        global $DB;
        $DB->update(PluginGdmsintegrationDashboard::CONFIGS, ['refresh_interval' => $refresh], ['entities_id' => 0]);
        $figures = static fn(array $d): array => array_map(
            static fn(array $r): array => [$r['name'], $r['availability'], $r['tier']],
            $d['rows']
        );
        $first = $this->data();
        // Days pass: new roll-ups, some of which fall out of the window, read through the slid cache...
        for ($day = 1; $day <= 5; $day++) {
            DashboardSeed::bulk(PluginGdmsintegrationDashboard::DAILIES, ['entities_id', 'device_key', 'day', 'online_seconds', 'observed_seconds'], [
                [0, 'c0:74:ad:00:00:01', gmdate('Y-m-d', self::NOW + $day * 86400), 0, 86400],
                [0, 'c0:74:ad:00:00:04', gmdate('Y-m-d', self::NOW + $day * 86400), 86400, 86400],
            ]);
            $slid = PluginGdmsintegrationDashboard::data(PluginGdmsintegrationDashboard::query([]), [0], self::NOW + $day * 86400);
            PluginGdmsintegrationDashboard::forgetCaches(0);
            $fresh = PluginGdmsintegrationDashboard::data(PluginGdmsintegrationDashboard::query([]), [0], self::NOW + $day * 86400);
            $this->assertSame($figures($fresh), $figures($slid), "day +$day");
            $this->assertSame($fresh['chart'], $slid['chart'], "chart day +$day");
        }
        $this->assertNotSame($figures($first), $figures($slid));
        $router = array_column($slid['rows'], null, 'name')['HQ router'];
        $this->assertSame(round(25 * 100 / 30, 2), (float) $router['availability']);
    }

    public function testModelFromTheGlpiCatalogElseRaw(): void
    {
        global $DB;
        $model = (int) (new NetworkEquipmentModel())->add(['name' => 'GWN7003 (catalog)']);
        $asset = (int) (new NetworkEquipment())->add(['name' => 'HQ router', 'entities_id' => 0, 'networkequipmentmodels_id' => $model]);
        $DB->update(PluginGdmsintegrationDashboard::DEVICES, ['itemtype' => 'NetworkEquipment', 'items_id' => $asset], ['name' => 'HQ router']);
        $rows = $this->rows($this->data());
        $this->assertSame('GWN7003 (catalog)', $rows['HQ router']['model']);
        $this->assertSame('GWN7660', $rows['Lobby AP']['model']);
        $this->assertStringContainsString((string) $asset, $rows['HQ router']['asset_url']);
    }

    public function testUcFirmwareFromTheFirmwarePagesLookedUpOncePerDay(): void
    {
        global $DB;
        $sim = new Simulator(['--networks', '1', '--devices', '4']);
        $DB->update(PluginGdmsintegrationDashboard::CONFIGS, ['firmware_base_url' => $sim->info['firmware_uri']], ['entities_id' => 0]);
        $DB->update(PluginGdmsintegrationDashboard::DEVICES, ['model' => 'UCM6304', 'firmware' => '1.0.1.1'], ['name' => '<script>alert(1)</script>']);
        $pbx = (int) $DB->request(['SELECT' => 'id', 'FROM' => PluginGdmsintegrationDashboard::DEVICES, 'WHERE' => ['model' => 'UCM6304']])->current()['id'];

        $fw = PluginGdmsintegrationDashboard::firmwareStatus([0], self::NOW);
        $row = array_column($fw['devices'], null, 'id')[$pbx] ?? null;
        $this->assertNotNull($row, 'the PBX has a newer official firmware');
        $this->assertSame('uc', $row['cloud']);
        $this->assertMatchesRegularExpression('/^\d+\.\d+\.\d+\.\d+$/', $row['latest']);
        $pages = $sim->stats()['requests']['firmware:page'] ?? 0;
        $this->assertGreaterThan(0, $pages);

        // Cached: the next views within a day ask no page; a day later they do.
        PluginGdmsintegrationDashboard::firmwareStatus([0], self::NOW + 3600);
        $this->assertSame($pages, $sim->stats()['requests']['firmware:page'] ?? 0);
        PluginGdmsintegrationDashboard::firmwareStatus([0], self::NOW + 2 * 86400);
        $this->assertGreaterThan($pages, $sim->stats()['requests']['firmware:page'] ?? 0);
    }
}
