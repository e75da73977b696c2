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
