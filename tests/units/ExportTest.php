<?php

declare(strict_types=1);

use PHPUnit\Framework\TestCase;

require_once __DIR__ . '/../support/DashboardSeed.php';

/**
 * The Excel export as a user of an entity gets it: the rows gathered from the
 * plugin tables in bulk, the workbook written by the real extension, read
 * back as a zip of XML parts. MariaDB and the real extension.
 */
final class ExportTest extends TestCase
{
    private const NOW = DashboardSeed::NOW;

    protected function setUp(): void
    {
        global $DB;
        $DB = gdms_test_reset_database();
        plugin_gdmsintegration_install();
        $_SESSION = ['glpiID' => 2, 'glpiactiveentities' => [0], 'glpiactive_entity' => 0,
            'glpiactiveprofile' => ['plugin_gdmsintegration' => READ]];

        DashboardSeed::device(0, 'c0:74:ad:00:00:01', 'HQ router', 'router', true, ['network_name' => 'HQ', 'model' => 'GWN7003']);
        DashboardSeed::device(0, 'c0:74:ad:00:00:02', 'HQ switch', 'switch', false, ['network_name' => 'HQ']);
        DashboardSeed::device(0, 'c0:74:ad:00:00:03', 'Lobby AP', 'ap', true, ['network_name' => 'Branch']);
        DashboardSeed::device(1, 'c0:74:ad:00:01:01', 'Other tenant router', 'router', true, ['network_name' => 'Elsewhere']);

        DashboardSeed::dailies(0, 'c0:74:ad:00:00:01', 30, 86400);         // 100 % → gold
        DashboardSeed::dailies(0, 'c0:74:ad:00:00:02', 10, 43200);         // 50 % → critical
        DashboardSeed::dailies(0, 'c0:74:ad:00:00:03', 30, 86400 - 300);   // 99.65 % → silver
        DashboardSeed::bulk(PluginGdmsintegrationExport::DAILIES, ['entities_id', 'device_key', 'day', 'online_seconds', 'observed_seconds'], [
            [0, 'c0:74:ad:00:00:03', gmdate('Y-m-d', self::NOW - 40 * 86400), 0, 86400], // outside the window
        ]);
        DashboardSeed::dailies(1, 'c0:74:ad:00:01:01', 5, 0);
        $DB->insert(PluginGdmsintegrationExport::INCIDENTS, [
            'entities_id' => 0, 'device_key' => 'c0:74:ad:00:00:02', 'kind' => 'device_offline', 'tickets_id' => 17,
            'open_guard' => null, 'opened_at' => gmdate('Y-m-d H:i:s', self::NOW - 7200), 'resolved_at' => gmdate('Y-m-d H:i:s', self::NOW - 3600),
        ]);
        $DB->insert(PluginGdmsintegrationExport::INCIDENTS, [
            'entities_id' => 1, 'device_key' => 'c0:74:ad:00:01:01', 'kind' => 'device_offline', 'tickets_id' => 18,
            'open_guard' => 1, 'opened_at' => gmdate('Y-m-d H:i:s', self::NOW - 7200), 'resolved_at' => null,
        ]);
    }

    /**
     * Sheet names and the text of every sheet (inline or shared strings).
     *
     * @return array{sheets: list<string>, xml: list<string>}
     */
    private function readBack(string $path): array
    {
        $zip = new ZipArchive();
        $this->assertTrue($zip->open($path) === true, 'the export is a zip');
        $this->assertStringContainsString('spreadsheetml', (string) $zip->getFromName('[Content_Types].xml'));
        $book = simplexml_load_string((string) $zip->getFromName('xl/workbook.xml'));
        $this->assertNotFalse($book);
        $sheets = [];
        foreach ($book->sheets->sheet as $s) {
            $sheets[] = (string) $s['name'];
        }
        $shared = (string) $zip->getFromName('xl/sharedStrings.xml');
        $xml = [];
        for ($i = 1; $i <= count($sheets); $i++) {
            $xml[] = (string) $zip->getFromName("xl/worksheets/sheet$i.xml") . $shared;
        }
        $zip->close();
        return ['sheets' => $sheets, 'xml' => $xml];
    }

    public function testWorkbookHasTheThreeSheetsAndTheEntitysRows(): void
    {
        $w = PluginGdmsintegrationExport::write([0], 30, self::NOW);
        try {
            $this->assertSame(3, $w['report']['devices']);
            $this->assertSame(1, $w['report']['incidents']);
            $this->assertSame(30, $w['report']['days']);
            $this->assertSame(['gold' => 1, 'silver' => 1, 'critical' => 1], $w['report']['tiers']);
            $book = $this->readBack($w['path']);
            $this->assertSame(['Summary', 'Availability', 'Incidents'], $book['sheets']);
            [$summary, $days, $incidents] = $book['xml'];
            foreach (['Device', 'Type', 'Model', 'Network', 'Status', 'Availability %', 'SLA tier', 'HQ router', 'GWN7003', 'Lobby AP', 'Gold', 'Silver', 'Critical', 'Router'] as $text) {
                $this->assertStringContainsString('>' . $text . '<', $summary, $text);
            }
            $this->assertStringContainsString('>99.65<', $summary);
            $this->assertStringContainsString('>' . gmdate('Y-m-d', self::NOW) . '<', $days);
            $this->assertStringContainsString('>Device offline<', $incidents);
            $this->assertMatchesRegularExpression('/<v>17(\.0)?<\/v>/', $incidents, 'ticket id');
            $this->assertStringNotContainsString('Other tenant router', implode('', $book['xml']));
        } finally {
            @unlink($w['path']);
        }
    }

    public function testInputIsScopedAndBuiltFromTheWindow(): void
    {
        $in = PluginGdmsintegrationExport::input([0], 30, self::NOW);
        $by = array_column($in['devices'], null, 'name');
        $this->assertSame(['HQ router', 'HQ switch', 'Lobby AP'], array_keys($by));
        $this->assertCount(30, $by['Lobby AP']['observed_s']);
        $this->assertSame(30 * 86400, array_sum($by['Lobby AP']['observed_s']), 'the row 40 days ago is outside the window');
        $this->assertSame(array_fill(0, 20, 0), array_slice($by['HQ switch']['observed_s'], 0, 20));
        $this->assertSame('Router', $by['HQ router']['category']);
        $this->assertSame('Offline', $by['HQ switch']['status']);

        $both = PluginGdmsintegrationExport::input([0, 1], 30, self::NOW);
        $this->assertCount(4, $both['devices']);
        $this->assertCount(2, $both['incidents']);
        $this->assertSame([], PluginGdmsintegrationExport::input([], 30, self::NOW)['devices']);
    }

    public function testFilenameAndBadPathThrows(): void
    {
        $this->assertSame('gdms_history_2026-01-01.xlsx', PluginGdmsintegrationExport::filename(self::NOW));
        $this->expectException(Exception::class);
        PluginGdmsintegrationNative::exportXlsx(['devices' => []], '/nonexistent-dir/x.xlsx');
    }

    public function testDashboardLinksToTheReadProtectedDownload(): void
    {
        $root = dirname(__DIR__, 2) . '/plugin';
        $this->assertStringContainsString('/front/export.php', (string) file_get_contents($root . '/templates/dashboard.html.twig'));
        $front = (string) file_get_contents($root . '/front/export.php');
        $this->assertStringContainsString('Session::checkRight(PluginGdmsintegrationMenu::$rightname, READ)', $front);
        $this->assertStringContainsString('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', $front);
        $this->assertStringContainsString('unlink($path)', $front);
        $import = (string) file_get_contents($root . '/front/import.php');
        $this->assertStringContainsString("Session::checkRight('config', UPDATE)", $import);
    }

    public function testImportOfAnExportRoundTripsAndNeverDuplicatesDays(): void
    {
        global $DB;
        $w = PluginGdmsintegrationExport::write([0], 30, self::NOW);
        try {
            $DB->delete(PluginGdmsintegrationExport::DAILIES, ['entities_id' => 0, 'device_key' => ['c0:74:ad:00:00:02', 'c0:74:ad:00:00:03']]);
            $r = PluginGdmsintegrationExport::import([0], $w['path'], 5 << 20);
            $this->assertTrue($r['ok']);
            $this->assertSame(40, $r['imported'], '10 days of the switch, 30 of the AP');
            $this->assertSame(30, $r['already_present'], 'the router kept its days');
            $this->assertSame([], $r['skipped']);
            $row = $DB->request(['FROM' => PluginGdmsintegrationExport::DAILIES, 'WHERE' => ['device_key' => 'c0:74:ad:00:00:02', 'day' => gmdate('Y-m-d', self::NOW)]])->current();
            $this->assertSame(43200, (int) $row['online_seconds']);
            $this->assertSame(86400, (int) $row['observed_seconds']);

            $again = PluginGdmsintegrationExport::import([0], $w['path'], 5 << 20);
            $this->assertSame(0, $again['imported']);
            $this->assertSame(70, $again['already_present']);

            $other = PluginGdmsintegrationExport::import([1], $w['path'], 5 << 20);
            $this->assertSame(0, $other['imported'], 'another entity\'s user maps none of these names');
            $this->assertSame(['unknown_device'], array_values(array_unique(array_column($other['skipped'], 'reason'))));

            $small = PluginGdmsintegrationExport::import([0], $w['path'], 100);
            $this->assertFalse($small['ok']);
            $this->assertStringContainsString('more than the 100 allowed', $small['error']);
        } finally {
            @unlink($w['path']);
        }
        $csv = tempnam(sys_get_temp_dir(), 'gdms_csv_');
        file_put_contents($csv, "Date,Device\n");
        try {
            $r = PluginGdmsintegrationExport::import([0], $csv, 5 << 20);
            $this->assertFalse($r['ok']);
            $this->assertSame('the file is not an Excel (.xlsx) workbook', $r['error']);
        } finally {
            @unlink($csv);
        }
    }

    public function testTheImportPageOffersAnUploadFormAndRefusesAMissingUpload(): void
    {
        ob_start();
        PluginGdmsintegrationExport::showImportForm();
        $html = (string) ob_get_clean();
        $this->assertStringContainsString('enctype="multipart/form-data"', $html);
        $this->assertStringContainsString('name="_glpi_csrf_token"', $html);
        $this->assertStringContainsString('at most 5 MB', $html);

        $_SESSION['MESSAGE_AFTER_REDIRECT'] = [];
        PluginGdmsintegrationExport::importUpload(null, [0]);
        PluginGdmsintegrationExport::importUpload(['name' => 'history.xlsx', 'tmp_name' => __FILE__, 'error' => UPLOAD_ERR_OK], [0]);
        $this->assertSame(
            ['Choose an .xlsx file produced by the export.', 'Choose an .xlsx file produced by the export.'],
            $_SESSION['MESSAGE_AFTER_REDIRECT'][ERROR],
            'nothing that did not come through an upload is read'
        );
    }
}

