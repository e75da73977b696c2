<?php

/**
 * -------------------------------------------------------------------------
 * GDMS Integration plugin for GLPI
 * -------------------------------------------------------------------------
 * @license   GPL-3.0-or-later https://www.gnu.org/licenses/gpl-3.0.html
 * -------------------------------------------------------------------------
 */

declare(strict_types=1);

/**
 * Install, upgrade and uninstall.
 *
 * GLPI runs install() again on every code version change, so it is written
 * to be re-run: it creates what is missing from PluginGdmsintegrationSchema,
 * adds missing columns and keys to existing tables, runs the numbered
 * migration steps between the stored schema version and the current one,
 * and records the new version after each step (an interrupted upgrade
 * resumes where it stopped).
 */
final class PluginGdmsintegrationInstall
{
    /** Config context holding the schema version. */
    public const CONFIG_CONTEXT = 'plugin:gdmsintegration';

    /**
     * @return bool true when the schema is at PLUGIN_GDMSINTEGRATION_SCHEMA_VERSION
     */
    public function install(Migration $migration): bool
    {
        global $DB;

        $from = self::installedSchemaVersion();
        if ($from > PLUGIN_GDMSINTEGRATION_SCHEMA_VERSION) {
            $migration->displayWarning(sprintf(
                __('The database holds schema version %1$d, newer than this plugin version supports (%2$d). Install the newer plugin files.', 'gdmsintegration'),
                $from,
                PLUGIN_GDMSINTEGRATION_SCHEMA_VERSION
            ), true);
            return false;
        }

        $charset   = DBConnection::getDefaultCharset();
        $collation = DBConnection::getDefaultCollation();
        $sign      = DBConnection::getDefaultPrimaryKeySignOption();

        foreach (PluginGdmsintegrationSchema::tables() as $table => $def) {
            if (!$DB->tableExists($table)) {
                $DB->doQuery(PluginGdmsintegrationSchema::createStatement($table, $charset, $collation, $sign));
                continue;
            }
            // Additive changes of later versions: columns and keys the table lacks.
            foreach ($def['columns'] as $column => $type) {
                $migration->addField($table, $column, PluginGdmsintegrationSchema::resolve($type, $sign));
            }
            foreach ($def['keys'] as $name => [$kind, $columns]) {
                if ($kind !== 'PRIMARY KEY') {
                    $migration->addKey($table, $columns, $name, $kind);
                }
            }
        }
        $migration->executeMigration();

        for ($step = max($from, 1); $step < PLUGIN_GDMSINTEGRATION_SCHEMA_VERSION; $step++) {
            $this->runStep($step, $step + 1, $migration);
            self::storeSchemaVersion($step + 1);
        }

        $migration->addRight(PluginGdmsintegrationMenu::$rightname, READ | UPDATE, ['config' => UPDATE]);
        CronTask::register(
            PluginGdmsintegrationSync::class,
            PluginGdmsintegrationSync::TASK_NAME,
            10 * MINUTE_TIMESTAMP,
            [
                'mode'    => CronTask::MODE_EXTERNAL,
                'state'   => CronTask::STATE_WAITING,
                'comment' => 'Synchronise Grandstream GDMS and GWN devices into GLPI',
            ]
        );

        CronTask::register(
            PluginGdmsintegrationSync::class,
            PluginGdmsintegrationSync::TASK_REPOLL,
            MINUTE_TIMESTAMP,
            [
                'mode'    => CronTask::MODE_EXTERNAL,
                'state'   => CronTask::STATE_WAITING,
                'comment' => 'Re-poll the clouds when an unsigned webhook event asked for it',
            ]
        );

        CronTask::register(
            PluginGdmsintegrationChatwootqueue::class,
            PluginGdmsintegrationChatwootqueue::TASK_NAME,
            MINUTE_TIMESTAMP,
            [
                'mode'    => CronTask::MODE_EXTERNAL,
                'state'   => CronTask::STATE_WAITING,
                'comment' => 'Send GLPI followups, solutions and resolutions to Chatwoot',
            ]
        );

        CronTask::register(
            PluginGdmsintegrationOutgoingdelivery::class,
            PluginGdmsintegrationOutgoingdelivery::TASK_DELIVER,
            MINUTE_TIMESTAMP,
            [
                'mode'    => CronTask::MODE_EXTERNAL,
                'state'   => CronTask::STATE_WAITING,
                'comment' => 'Send queued outgoing webhooks',
            ]
        );
        CronTask::register(
            PluginGdmsintegrationOutgoingdelivery::class,
            PluginGdmsintegrationOutgoingdelivery::TASK_CLEANUP,
            DAY_TIMESTAMP,
            [
                'mode'    => CronTask::MODE_EXTERNAL,
                'state'   => CronTask::STATE_WAITING,
                'comment' => 'Remove archived outgoing webhook deliveries past their retention',
            ]
        );

        self::storeSchemaVersion(PLUGIN_GDMSINTEGRATION_SCHEMA_VERSION);
        return true;
    }

    /**
     * Drops every plugin table and removes the right and settings. GLPI itself
     * unregisters the automatic actions before calling this; it is done here
     * too so a direct call leaves nothing behind.
     */
    public function uninstall(): bool
    {
        global $DB;

        foreach (array_keys(PluginGdmsintegrationSchema::tables()) as $table) {
            if ($DB->tableExists($table)) {
                $DB->doQuery(sprintf('DROP TABLE `%s`', $table));
            }
        }
        ProfileRight::deleteProfileRights([PluginGdmsintegrationMenu::$rightname]);
        CronTask::unregister('gdmsintegration');
        Config::deleteConfigurationValues(self::CONFIG_CONTEXT, array_merge(['dbversion'], array_keys(PluginGdmsintegrationSubscription::SETTINGS)));
        return true;
    }

    /**
     * Schema version found in the database: 0 when the plugin is not installed.
     */
    public static function installedSchemaVersion(): int
    {
        $values = Config::getConfigurationValues(self::CONFIG_CONTEXT, ['dbversion']);
        return (int) ($values['dbversion'] ?? 0);
    }

    private static function storeSchemaVersion(int $version): void
    {
        Config::setConfigurationValues(self::CONFIG_CONTEXT, ['dbversion' => (string) $version]);
    }

    /**
     * Runs install/migration/update_<from>_to_<to>.php: one function per step,
     * for changes that adding columns cannot express (renames, data moves).
     */
    private function runStep(int $from, int $to, Migration $migration): void
    {
        $file = __DIR__ . sprintf('/../install/migration/update_%d_to_%d.php', $from, $to);
        if (!is_file($file)) {
            return;
        }
        require_once $file;
        $function = sprintf('plugin_gdmsintegration_update_%d_to_%d', $from, $to);
        $function($migration);
        $migration->executeMigration();
    }
}
