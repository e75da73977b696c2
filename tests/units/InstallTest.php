<?php

declare(strict_types=1);

use PHPUnit\Framework\TestCase;

/**
 * Install, re-install, uninstall and install again, checked against the live
 * MariaDB schema (information_schema), not against the installer's own view.
 */
final class InstallTest extends TestCase
{
    private const TASK = ['PluginGdmsintegrationSync', 'SyncDevices'];

    protected function setUp(): void
    {
        global $DB;
        $DB = gdms_test_reset_database();
    }

    public function testInstallCreatesEveryTableWithItsColumnsAndKeys(): void
    {
        $this->assertTrue(plugin_gdmsintegration_install());

        foreach (PluginGdmsintegrationSchema::tables() as $table => $def) {
            $this->assertSame(array_keys($def['columns']), array_keys($this->columns($table)), "columns of $table");
            $status = $this->tableStatus($table);
            $this->assertSame('InnoDB', $status['ENGINE'], $table);
            $this->assertSame('utf8mb4_unicode_ci', $status['TABLE_COLLATION'], $table);
            $this->assertSame('Dynamic', $status['ROW_FORMAT'], $table);
            foreach ($def['columns'] as $column => $type) {
                $live = $this->columns($table)[$column];
                if (preg_match('/^(int|bigint)\b/', $type) && (str_ends_with($column, '_id') || $column === 'id')) {
                    $this->assertStringContainsString('unsigned', $live['COLUMN_TYPE'], "$table.$column must be unsigned");
                }
                if (str_starts_with($type, 'timestamp')) {
                    $this->assertSame('YES', $live['IS_NULLABLE'], "$table.$column");
                }
            }
            $keys = $this->keys($table);
            foreach ($def['keys'] as $name => [$kind, $columns]) {
                $this->assertArrayHasKey($name, $keys, "key $name of $table");
                $this->assertSame($columns, $keys[$name]['columns'], "columns of key $name of $table");
                $this->assertSame($kind !== 'INDEX', $keys[$name]['unique'], "uniqueness of key $name of $table");
            }
        }
        $this->assertSame(PLUGIN_GDMSINTEGRATION_SCHEMA_VERSION, PluginGdmsintegrationInstall::installedSchemaVersion());
    }

    public function testInstallRegistersTheCronTaskAndGrantsTheRightToConfigAdmins(): void
    {
        plugin_gdmsintegration_install();

        $task = new CronTask();
        $this->assertTrue($task->getFromDBbyName(...self::TASK));
        $this->assertSame(600, (int) $task->fields['frequency']);
        $this->assertSame(CronTask::MODE_EXTERNAL, (int) $task->fields['mode']);

        $rights = $this->rights('plugin_gdmsintegration');
        $this->assertSame(READ | UPDATE, $rights[4], 'Super-Admin has config UPDATE');
        $this->assertSame(READ | UPDATE, $rights[3], 'Admin has config UPDATE');
        $this->assertSame(0, $rights[6], 'Technician has only config READ');
        $this->assertSame(0, $rights[1], 'Self-Service');
    }

    public function testInstallingTwiceChangesNothing(): void
    {
        plugin_gdmsintegration_install();
        global $DB;
        $DB->update('glpi_profilerights', ['rights' => READ], ['profiles_id' => 4, 'name' => 'plugin_gdmsintegration']);
        $before = $this->snapshot();

        $this->assertTrue(plugin_gdmsintegration_install());

        $this->assertSame($before, $this->snapshot(), 'a second install must not alter schema, tasks, rights or settings');
    }

    public function testInstallMigratesAnOlderTableInPlaceKeepingItsRows(): void
    {
        plugin_gdmsintegration_install();
        global $DB;
        $DB->insert('glpi_plugin_gdmsintegration_devices', ['entities_id' => 0, 'device_key' => 'c0:74:ad:00:00:01', 'name' => 'kept']);
        // An earlier layout without some columns and a key.
        $DB->doQuery('ALTER TABLE `glpi_plugin_gdmsintegration_devices` DROP COLUMN `engine_state_json`, DROP COLUMN `sip_json`, DROP INDEX `network_id`');

        $this->assertTrue(plugin_gdmsintegration_install());

        $this->assertArrayHasKey('engine_state_json', $this->columns('glpi_plugin_gdmsintegration_devices'));
        $this->assertArrayHasKey('network_id', $this->keys('glpi_plugin_gdmsintegration_devices'));
        $row = $DB->request(['FROM' => 'glpi_plugin_gdmsintegration_devices'])->current();
        $this->assertSame('kept', $row['name']);
    }

    public function testInstallRefusesADatabaseNewerThanTheCode(): void
    {
        Config::setConfigurationValues('plugin:gdmsintegration', ['dbversion' => (string) (PLUGIN_GDMSINTEGRATION_SCHEMA_VERSION + 1)]);
        $this->assertFalse(plugin_gdmsintegration_install());
        $this->assertFalse($this->tableExists('glpi_plugin_gdmsintegration_devices'));
    }

    public function testUninstallRemovesEverythingAndInstallAfterwardsWorks(): void
    {
        plugin_gdmsintegration_install();
        $this->assertTrue(plugin_gdmsintegration_uninstall());

        foreach (array_keys(PluginGdmsintegrationSchema::tables()) as $table) {
            $this->assertFalse($this->tableExists($table), "$table dropped");
        }
        $this->assertFalse((new CronTask())->getFromDBbyName(...self::TASK));
        $this->assertSame([], $this->rights('plugin_gdmsintegration'));
        $this->assertSame([], Config::getConfigurationValues('plugin:gdmsintegration'));

        $this->assertTrue(plugin_gdmsintegration_install());
        $this->assertTrue($this->tableExists('glpi_plugin_gdmsintegration_incidents'));
        $this->assertTrue((new CronTask())->getFromDBbyName(...self::TASK));
    }

    public function testOneOpenIncidentPerDeviceAndPortIsEnforcedByTheDatabase(): void
    {
        plugin_gdmsintegration_install();
        global $DB;
        $open = ['entities_id' => 0, 'device_key' => 'c0:74:ad:00:00:01', 'port_key' => '', 'kind' => 'device_offline', 'open_guard' => 1];
        $this->assertTrue($DB->insert('glpi_plugin_gdmsintegration_incidents', $open));
        try {
            $DB->insert('glpi_plugin_gdmsintegration_incidents', $open);
            $this->fail('a second open incident for the same device was accepted');
        } catch (RuntimeException $e) {
            $this->assertSame(1062, $DB->errno(), 'duplicate key');
        }
        // Resolved incidents (open_guard NULL) do not count, and another port may be open.
        $DB->update('glpi_plugin_gdmsintegration_incidents', ['open_guard' => null], ['device_key' => 'c0:74:ad:00:00:01']);
        $this->assertTrue($DB->insert('glpi_plugin_gdmsintegration_incidents', $open));
        $this->assertTrue($DB->insert('glpi_plugin_gdmsintegration_incidents', ['port_key' => '1', 'kind' => 'wan_down'] + $open));
    }

    /** @return array<string, array<string, string>> */
    private function columns(string $table): array
    {
        global $DB;
        $out = [];
        foreach ($DB->request(['FROM' => 'information_schema.COLUMNS', 'WHERE' => ['TABLE_SCHEMA' => $DB->dbdefault, 'TABLE_NAME' => $table], 'ORDER' => 'ORDINAL_POSITION']) as $row) {
            $out[$row['COLUMN_NAME']] = $row;
        }
        return $out;
    }

    /** @return array<string, array{columns: list<string>, unique: bool}> */
    private function keys(string $table): array
    {
        global $DB;
        $out = [];
        foreach ($DB->request(['FROM' => 'information_schema.STATISTICS', 'WHERE' => ['TABLE_SCHEMA' => $DB->dbdefault, 'TABLE_NAME' => $table], 'ORDER' => ['INDEX_NAME', 'SEQ_IN_INDEX']]) as $row) {
            $out[$row['INDEX_NAME']]['columns'][] = $row['COLUMN_NAME'];
            $out[$row['INDEX_NAME']]['unique'] = (int) $row['NON_UNIQUE'] === 0;
        }
        return $out;
    }

    /** @return array<string, string> */
    private function tableStatus(string $table): array
    {
        global $DB;
        return $DB->request(['FROM' => 'information_schema.TABLES', 'WHERE' => ['TABLE_SCHEMA' => $DB->dbdefault, 'TABLE_NAME' => $table]])->current();
    }

    private function tableExists(string $table): bool
    {
        global $DB;
        return $DB->tableExists($table);
    }

    /** @return array<int, int> profiles_id => rights */
    private function rights(string $name): array
    {
        global $DB;
        $out = [];
        foreach ($DB->request(['FROM' => 'glpi_profilerights', 'WHERE' => ['name' => $name]]) as $row) {
            $out[(int) $row['profiles_id']] = (int) $row['rights'];
        }
        return $out;
    }

    /** @return array<string, mixed> */
    private function snapshot(): array
    {
        global $DB;
        $schema = [];
        foreach (array_keys(PluginGdmsintegrationSchema::tables()) as $table) {
            $res = $DB->doQuery("SHOW CREATE TABLE `$table`");
            $schema[$table] = preg_replace('/ AUTO_INCREMENT=\d+/', '', $res->fetch_row()[1]);
        }
        return [
            'schema' => $schema,
            'tasks'  => iterator_to_array($DB->request(['FROM' => 'glpi_crontasks', 'ORDER' => 'id'])),
            'rights' => iterator_to_array($DB->request(['FROM' => 'glpi_profilerights', 'ORDER' => 'id'])),
            'config' => iterator_to_array($DB->request(['FROM' => 'glpi_configs', 'ORDER' => 'id'])),
        ];
    }
}
