<?php

/**
 * -------------------------------------------------------------------------
 * GDMS Integration plugin for GLPI
 * -------------------------------------------------------------------------
 * @license   GPL-3.0-or-later https://www.gnu.org/licenses/gpl-3.0.html
 * -------------------------------------------------------------------------
 */

declare(strict_types=1);

use Glpi\Application\View\TemplateRenderer;

/**
 * What the plugin runs on: the extension and its contract, PHP, the schema,
 * and the automatic action. The first place to look when something is off.
 */
final class PluginGdmsintegrationStatus
{
    /**
     * @return array<string, mixed>
     */
    public static function collect(): array
    {
        $problem = PluginGdmsintegrationNative::prerequisiteProblem();
        $native = $problem === null ? PluginGdmsintegrationNative::info() : null;
        $task = new CronTask();
        $has_task = $task->getFromDBbyName(PluginGdmsintegrationSync::class, PluginGdmsintegrationSync::TASK_NAME);
        return [
            'plugin_version'   => PLUGIN_GDMSINTEGRATION_VERSION,
            'schema_expected'  => PLUGIN_GDMSINTEGRATION_SCHEMA_VERSION,
            'schema_installed' => PluginGdmsintegrationInstall::installedSchemaVersion(),
            'php_version'      => PHP_VERSION,
            'extension_ok'     => $problem === null,
            'extension_problem' => $problem,
            'extension_version' => $native['version'] ?? null,
            'contract_found'   => $native['contract'] ?? null,
            'contract_expected' => PLUGIN_GDMSINTEGRATION_NATIVE_CONTRACT,
            'cron_registered'  => $has_task,
            'cron_lastrun'     => $has_task ? $task->fields['lastrun'] : null,
        ];
    }

    public static function show(): void
    {
        TemplateRenderer::getInstance()->display('@gdmsintegration/status.html.twig', [
            'status' => self::collect(),
        ]);
    }
}
