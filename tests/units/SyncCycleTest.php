<?php

declare(strict_types=1);

use PHPUnit\Framework\TestCase;

/**
 * Full cycles through the real parts: the automatic action, the extension's
 * cloud clients over HTTP to the simulator, the engine, GLPI's classes,
 * MariaDB.
 */
final class SyncCycleTest extends TestCase
{
    private static ?Simulator $sim = null;

    public static function setUpBeforeClass(): void
    {
        self::$sim = new Simulator(['--networks', '3', '--devices', '30']);
    }

    public static function tearDownAfterClass(): void
    {
        self::$sim = null;
    }

    protected function setUp(): void
    {
        global $DB;
        $DB = gdms_test_reset_database();
        plugin_gdmsintegration_install();
        $_SESSION = ['glpicronuserrunning' => 'cron_SyncDevices', 'glpiname' => 'cron', 'glpiactiveentities' => [0]];
        self::$sim->admin('POST', '/faults/clear');
        self::$sim->admin('POST', '/stats/reset');
        PluginGdmsintegrationConfig::saveFromForm(0, self::$sim->configForm() + ['webhook_secret' => 'whsec-demo-123', 'wan_debounce_seconds' => '0']);
        @unlink(GLPI_LOG_DIR . '/gdmsintegration.log');
    }

    private function runCron(): int
    {
        return CronTask::runByName('PluginGdmsintegrationSync', 'SyncDevices');
    }

    /** @return list<array<string, mixed>> every device of the simulated fleet */
    private function fleetDevices(): array
    {
        $fleet = self::$sim->fleet();
        $out = [];
        foreach ($fleet['networks'] as $net) {
            foreach ($net['devices'] as $d) {
                $out[] = $d;
            }
        }
        foreach ($fleet['uc'] as $d) {
            $out[] = ['online' => (int) $d['status'] === 1] + $d;
        }
        return $out;
    }

    public function testTheCronTaskMirrorsTheFleetAndTicketsTheDevicesThatAreDown(): void
    {
        $this->assertSame(1, $this->runCron());
        $fleet = $this->fleetDevices();
        $this->assertCount(30, $fleet);
        $this->assertSame(30, countElementsInTable('glpi_plugin_gdmsintegration_devices', ['is_stale' => 0]));
        $this->assertSame(30, countElementsInTable('glpi_networkequipments') + countElementsInTable('glpi_phones'));
        $down = count(array_filter($fleet, static fn(array $d): bool => !$d['online']));
        $this->assertGreaterThan(0, $down, 'the seeded fleet has devices down');
        $wan_down = 0;
        foreach ($fleet as $d) {
            foreach ($d['online'] ? ($d['ports'] ?? []) : [] as $p) {
                $wan_down += (int) (($p['wan'] ?? false) && (!$p['link'] || !$p['internet']));
            }
        }
        $this->assertSame($down + $wan_down, countElementsInTable('glpi_tickets'), 'one ticket per device down and per WAN port down at the first cycle');
        $config = PluginGdmsintegrationConfig::getForEntity(0);
        $this->assertSame('ok', $config->fields['last_sync_status']);
        $this->assertSame(1, countElementsInTable(PluginGdmsintegrationDashboard::AVAILSUMS, ['entities_id' => 0, 'window_days' => 60, 'device_key' => '']),
            'the cycle leaves the dashboard caches of the configured window built, so no page view builds them');
        $this->assertNotNull($config->fields['last_sync_at']);
    }

    public function testADeviceGoingDownAndComingBackOpensAndSolvesOneTicket(): void
    {
        $this->runCron();
        $online = array_values(array_filter($this->fleetDevices(), static fn(array $d): bool => $d['online'] && ($d['kind'] ?? '') === 'ap'));
        $mac = $online[0]['mac'];
        $before = countElementsInTable('glpi_tickets');

        self::$sim->scenario(['op' => 'device_offline', 'mac' => $mac]);
        $this->runCron();
        $this->runCron();
        $this->assertSame($before + 1, countElementsInTable('glpi_tickets'));

        self::$sim->scenario(['op' => 'device_online', 'mac' => $mac]);
        $this->runCron();
        global $DB;
        $ticket = $DB->request(['FROM' => 'glpi_tickets', 'ORDER' => 'id DESC', 'LIMIT' => 1])->current();
        $this->assertSame(CommonITILObject::SOLVED, (int) $ticket['status']);
        $this->assertStringContainsString('[GDMS] Device Offline:', $ticket['name']);
    }

    public function testTokensAreReusedAcrossCyclesAndProcesses(): void
    {
        $this->runCron();
        $this->runCron();
        $tokens = self::$sim->stats()['tokens_issued'];
        // The extension keeps tokens for the life of the PHP process, so earlier tests may already hold them.
        $this->assertLessThanOrEqual(1, $tokens['gwn:client_credentials'] ?? 0, 'at most one GWN token for two cycles');
        $this->assertLessThanOrEqual(1, ($tokens['uc:password'] ?? 0) + ($tokens['uc:refresh_token'] ?? 0), 'at most one UC token for two cycles');
        $stored = PluginGdmsintegrationConfig::getForEntity(0);
        $this->assertNotSame('', $stored->fields['gwn_token']);
        $this->assertStringNotContainsString('access_token', $stored->fields['gwn_token'], 'stored encrypted');
    }

    public function testACloudFailureHalfwayPurgesNothingAndOpensNoTicket(): void
    {
        $this->runCron();
        $devices = countElementsInTable('glpi_plugin_gdmsintegration_devices');
        $tickets = countElementsInTable('glpi_tickets');
        // Every ap/list call fails from now on, and one GWN device goes down meanwhile.
        $gwn = array_values(array_filter($this->fleetDevices(), static fn(array $d): bool => $d['online'] && in_array($d['kind'] ?? '', ['ap', 'switch'], true)));
        self::$sim->scenario(['op' => 'device_offline', 'mac' => $gwn[0]['mac']]);
        self::$sim->fault(['endpoint' => 'gwn:ap/list', 'kind' => 'status', 'status' => 503]);
        $this->runCron();

        $this->assertSame($devices, countElementsInTable('glpi_plugin_gdmsintegration_devices'), 'nothing purged');
        $this->assertSame($tickets, countElementsInTable('glpi_tickets'), 'no ticket from a failed listing');
        $this->assertGreaterThan(0, countElementsInTable('glpi_plugin_gdmsintegration_devices', ['is_stale' => 1]));
        $this->assertSame('partial', PluginGdmsintegrationConfig::getForEntity(0)->fields['last_sync_status']);
        $this->assertStringContainsString('API ERROR — source', (string) file_get_contents(GLPI_LOG_DIR . '/gdmsintegration.log'));
    }

    public function testAVerboseCycleWritesNoSecretToTheLog(): void
    {
        PluginGdmsintegrationConfig::saveFromForm(0, ['debug_logging' => '1']);
        $this->runCron();
        $this->runCron();
        $log = (string) file_get_contents(GLPI_LOG_DIR . '/gdmsintegration.log');
        $this->assertStringContainsString('[verbose]', $log, 'the verbose tier was written');
        $this->assertStringContainsString('Sync summary', $log);
        $config = PluginGdmsintegrationConfig::getForEntity(0);
        $secrets = [self::$sim->info['uc']['password'], self::$sim->info['uc']['password_hash'], self::$sim->info['uc']['client_secret'],
            self::$sim->info['gwn']['secret_key'], 'whsec-demo-123'];
        foreach (['gdms_token', 'gwn_token'] as $col) {
            $token = json_decode($config->getSecret($col), true);
            $secrets[] = $token['access_token'];
            if (!empty($token['refresh_token'])) {
                $secrets[] = $token['refresh_token'];
            }
        }
        foreach ($secrets as $secret) {
            $this->assertStringNotContainsString($secret, $log);
        }
    }
}
