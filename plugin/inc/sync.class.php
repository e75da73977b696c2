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
 * The automatic action that keeps GLPI in step with the clouds.
 */
class PluginGdmsintegrationSync extends CommonGLPI
{
    /** Name of the automatic action (method cronSyncDevices). */
    public const TASK_NAME = 'SyncDevices';

    public static function getTypeName($nb = 0): string
    {
        return __('GDMS synchronisation', 'gdmsintegration');
    }

    /**
     * @return array{description: string}
     */
    public static function cronInfo(string $name): array
    {
        return match ($name) {
            self::TASK_NAME => ['description' => __('Synchronise Grandstream GDMS and GWN devices into GLPI', 'gdmsintegration')],
            default => [],
        };
    }

    /** Engine configuration fields, as stored in the entity's configuration row. */
    private const ENGINE_CONFIG_FIELDS = [
        'refresh_interval', 'availability_days', 'show_topology', 'tickets_phone', 'tickets_router',
        'tickets_switch', 'tickets_ap', 'tickets_pbx', 'wan_tickets_enabled', 'wan_debounce_seconds',
        'debounce_cycles', 'users_id_requester', 'itilcategories_id_network', 'itilcategories_id_telephony',
    ];

    /**
     * The engine's input for one entity: its configuration, its stored
     * devices and open incidents, the asset index and the model catalogs
     * (bulk reads, whatever the number of devices), and the snapshot.
     *
     * @param array<string, mixed> $snapshot
     * @return array<string, mixed>
     */
    public static function planInput(PluginGdmsintegrationConfig $config, array $snapshot, int $now): array
    {
        $entities_id = (int) $config->fields['entities_id'];
        $engine_config = ['entities_id' => $entities_id];
        foreach (self::ENGINE_CONFIG_FIELDS as $field) {
            $engine_config[$field] = (int) $config->fields[$field];
        }
        return [
            'now'       => $now,
            'config'    => $engine_config,
            'devices'   => PluginGdmsintegrationStore::devices($entities_id),
            'assets'    => PluginGdmsintegrationStore::assets(),
            'models'    => PluginGdmsintegrationStore::models(),
            'incidents' => PluginGdmsintegrationStore::openIncidents($entities_id),
            'snapshot'  => $snapshot,
        ];
    }

    /**
     * Plans and applies one snapshot for one entity.
     *
     * @param array<string, mixed> $snapshot
     * @return array{plan: array<string, mixed>, applied: array<string, int>}
     */
    public static function applySnapshot(PluginGdmsintegrationConfig $config, array $snapshot, int $now): array
    {
        $plan = PluginGdmsintegrationNative::plan(self::planInput($config, $snapshot, $now));
        if (PluginGdmsintegrationLog::isVerbose()) {
            PluginGdmsintegrationLog::debug("plan:\n" . PluginGdmsintegrationNative::planSummary($plan));
        }
        $applied = (new PluginGdmsintegrationApplier((int) $config->fields['entities_id']))->apply($plan);
        return ['plan' => $plan, 'applied' => $applied];
    }

    /**
     * One sync cycle for every configured entity.
     *
     * @return int 1 done, 0 nothing to do
     */
    public static function cronSyncDevices(CronTask $task): int
    {
        $configured = countElementsInTable(PluginGdmsintegrationConfig::getTable(), ['is_active' => 1]);
        PluginGdmsintegrationLog::info(sprintf('cron %s: %d configured entit(ies); the cloud sync is not part of this version yet', self::TASK_NAME, $configured));
        $task->log(sprintf('%d configured entities', $configured));
        return 0;
    }
}
