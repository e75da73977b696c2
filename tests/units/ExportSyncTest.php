<?php

declare(strict_types=1);

use PHPUnit\Framework\TestCase;

/**
 * The export of rows the sync itself wrote: device state, daily roll-ups and
 * incidents from applied snapshots, then the workbook from the extension.
 */
final class ExportSyncTest extends TestCase
{
    private const T0 = 1767225600; // 2026-01-01 00:00:00 UTC
    private const AP = 'c0:74:ad:aa:00:03';
    private const PHONE = 'c0:74:ad:12:34:56';

    protected function setUp(): void
    {
        global $DB;
        $DB = gdms_test_reset_database();
        plugin_gdmsintegration_install();
        $_SESSION = ['glpicronuserrunning' => 'cron_SyncDevices', 'glpiname' => 'cron', 'glpiactiveentities' => [0]];
        PluginGdmsintegrationConfig::saveFromForm(0, ['refresh_interval' => '300', 'users_id_requester' => '0', 'wan_debounce_seconds' => '0']);
        (new NetworkEquipmentModel())->add(['name' => 'GWN7660']);
    }

    private function cycle(bool $ap_online, int $at): void
    {
        $snap = SnapshotBuilder::new()->network('1')->uc()
            ->gwnDevice('1', self::AP, 'GWN7660', $ap_online, ['name' => 'Lobby AP', 'serial' => '30xyzW9876543210'])
            ->ucDevice(self::PHONE, 'GRP2612W', true, ['name' => 'Reception phone']);
        PluginGdmsintegrationSync::applySnapshot(PluginGdmsintegrationConfig::getForEntity(0), $snap->build(), $at);
    }

    public function testExportOfSyncedRows(): void
    {
        $this->cycle(true, self::T0);
        $this->cycle(true, self::T0 + 300);
        $this->cycle(false, self::T0 + 600);
        $this->cycle(false, self::T0 + 900);

        $in = PluginGdmsintegrationExport::input([0], 7, self::T0 + 1000);
        $by = array_column($in['devices'], null, 'name');
        $this->assertSame(['Lobby AP', 'Reception phone'], array_keys($by));
        $this->assertSame(900, $by['Lobby AP']['observed_s'][6]);
        $this->assertSame(600, $by['Lobby AP']['online_s'][6]);
        $this->assertSame(['Lobby AP'], array_column($in['incidents'], 'device'), 'the AP going offline opened an incident');
        $this->assertNull($in['incidents'][0]['resolved']);

        $w = PluginGdmsintegrationExport::write([0], 7, self::T0 + 1000);
        try {
            $this->assertSame(2, $w['report']['devices']);
            $this->assertSame(['gold' => 1, 'critical' => 1], $w['report']['tiers'], 'phone 100 %, AP 66.67 %');
            $zip = new ZipArchive();
            $this->assertTrue($zip->open($w['path']) === true);
            $summary = (string) $zip->getFromName('xl/worksheets/sheet1.xml');
            $zip->close();
            $this->assertStringContainsString('>Lobby AP<', $summary);
            $this->assertStringContainsString('>66.67<', $summary);
        } finally {
            @unlink($w['path']);
        }
    }
}
