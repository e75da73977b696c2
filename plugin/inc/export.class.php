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
 * Excel export of the NOC state and availability history (spec §10.1).
 *
 * Gathers the rows in three bulk reads (devices, daily roll-ups of the window,
 * incidents of the window), scoped to the entities given, translates the
 * strings, and lets the extension build the workbook: figures, tiers and the
 * file itself are Rust's work (gdms_core::export).
 */
final class PluginGdmsintegrationExport
{
    public const DEVICES = 'glpi_plugin_gdmsintegration_devices';
    public const DAILIES = 'glpi_plugin_gdmsintegration_dailies';
    public const INCIDENTS = 'glpi_plugin_gdmsintegration_incidents';
    /** Upload limit of the history import (the reference's default, 5 MB). */
    public const IMPORT_MAX_BYTES = 5 << 20;

    /** Download name of the workbook of a given instant. */
    public static function filename(int $now): string
    {
        return 'gdms_history_' . gmdate('Y-m-d', $now) . '.xlsx';
    }

    /**
     * The export document (gdms_core::contract::export) for the entities given.
     *
     * @param list<int> $entities
     * @return array<string, mixed>
     */
    public static function input(array $entities, int $window, int $now): array
    {
        global $DB;
        $window = max(1, min(365, $window));
        $today = intdiv($now, 86400);
        $first = $today - $window + 1;
        $strings = PluginGdmsintegrationDashboard::jsStrings();
        $input = ['now' => $now, 'window_days' => $window, 'devices' => [], 'incidents' => [], 'labels' => self::labels($strings)];
        if ($entities === []) {
            return $input;
        }

        $devices = [];
        $names = [];
        foreach ($DB->request([
            'SELECT' => ['entities_id', 'device_key', 'name', 'mac', 'model', 'category', 'status', 'network_name'],
            'FROM'   => self::DEVICES,
            'WHERE'  => ['entities_id' => $entities],
            'ORDER'  => ['name', 'device_key'],
        ]) as $row) {
            $id = $row['entities_id'] . '|' . $row['device_key'];
            $name = trim((string) $row['name']);
            if ($name === '') {
                $name = strtoupper((string) $row['mac']) ?: (string) $row['device_key'];
            }
            $names[$id] = $name;
            $category = (string) $row['category'];
            $devices[$id] = [
                'key' => (string) $row['device_key'],
                'name' => $name,
                'category' => $strings[$category === '' ? 'unknown' : $category] ?? $strings['unknown'],
                'model' => (string) $row['model'],
                'network' => (string) $row['network_name'],
                'status' => $row['status'] === 'online' ? $strings['online'] : $strings['offline'],
                'online_s' => array_fill(0, $window, 0),
                'observed_s' => array_fill(0, $window, 0),
            ];
        }

        foreach ($DB->request([
            'SELECT' => ['entities_id', 'device_key', 'day', 'online_seconds', 'observed_seconds'],
            'FROM'   => self::DAILIES,
            'WHERE'  => [
                'entities_id' => $entities,
                ['day' => ['>=', gmdate('Y-m-d', $first * 86400)]],
                ['day' => ['<=', gmdate('Y-m-d', $today * 86400)]],
            ],
        ]) as $row) {
            $id = $row['entities_id'] . '|' . $row['device_key'];
            $i = intdiv((int) strtotime($row['day'] . ' 00:00:00 UTC'), 86400) - $first;
            if (!isset($devices[$id]) || $i < 0 || $i >= $window) {
                continue;
            }
            $devices[$id]['online_s'][$i] = (int) $row['online_seconds'];
            $devices[$id]['observed_s'][$i] = (int) $row['observed_seconds'];
        }
        $input['devices'] = array_values($devices);

        $since = gmdate('Y-m-d H:i:s', $first * 86400);
        foreach ($DB->request([
            'SELECT' => ['entities_id', 'device_key', 'kind', 'tickets_id', 'opened_at', 'resolved_at'],
            'FROM'   => self::INCIDENTS,
            'WHERE'  => [
                'entities_id' => $entities,
                'OR' => [['opened_at' => ['>=', $since]], ['resolved_at' => null], ['resolved_at' => ['>=', $since]]],
            ],
            'ORDER'  => ['opened_at'],
        ]) as $row) {
            $id = $row['entities_id'] . '|' . $row['device_key'];
            $resolved = $row['resolved_at'] === null ? null : (int) strtotime($row['resolved_at'] . ' UTC');
            $input['incidents'][] = [
                'device' => $names[$id] ?? (string) $row['device_key'],
                'kind' => self::kind((string) $row['kind']),
                'opened' => (int) strtotime((string) $row['opened_at'] . ' UTC'),
                'resolved' => $resolved,
                'ticket_id' => (int) $row['tickets_id'] > 0 ? (int) $row['tickets_id'] : null,
            ];
        }
        return $input;
    }

    /**
     * Translated sheet names and headers.
     *
     * @param array<string, string> $strings the dashboard's translated strings
     * @return array<string, mixed>
     */
    private static function labels(array $strings): array
    {
        return [
            'summary' => __('Summary', 'gdmsintegration'),
            'availability' => __('Availability', 'gdmsintegration'),
            'incidents' => __('Incidents', 'gdmsintegration'),
            'device' => __('Device', 'gdmsintegration'),
            'category' => __('Type', 'gdmsintegration'),
            'model' => __('Model', 'gdmsintegration'),
            'network' => __('Network', 'gdmsintegration'),
            'status' => __('Status', 'gdmsintegration'),
            'availability_percent' => __('Availability %', 'gdmsintegration'),
            'tier' => __('SLA tier', 'gdmsintegration'),
            'count' => __('Devices', 'gdmsintegration'),
            'kind' => __('Kind', 'gdmsintegration'),
            'opened' => __('Opened', 'gdmsintegration'),
            'resolved' => __('Resolved', 'gdmsintegration'),
            'duration' => __('Duration (min)', 'gdmsintegration'),
            'ticket' => __('Ticket', 'gdmsintegration'),
            'tiers' => [
                'gold' => $strings['gold'],
                'silver' => $strings['silver'],
                'bronze' => $strings['bronze'],
                'critical' => $strings['critical'],
                'no_data' => $strings['no_data'],
            ],
        ];
    }

    /** Translated incident kind; an unknown kind is shown as stored. */
    private static function kind(string $kind): string
    {
        return match ($kind) {
            'device_offline' => __('Device offline', 'gdmsintegration'),
            'wan_link_down' => __('WAN link down', 'gdmsintegration'),
            'wan_no_internet' => __('WAN without internet', 'gdmsintegration'),
            default => $kind,
        };
    }

    /**
     * Writes the workbook of the entities given to a new temporary file.
     *
     * @param list<int> $entities
     * @return array{path: string, report: array<string, mixed>}
     */
    public static function write(array $entities, int $window, int $now): array
    {
        $path = tempnam(sys_get_temp_dir(), 'gdms_export_');
        if ($path === false) {
            throw new RuntimeException('cannot create a temporary file');
        }
        try {
            $report = PluginGdmsintegrationNative::exportXlsx(self::input($entities, $window, $now), $path);
        } catch (Throwable $e) {
            @unlink($path);
            throw $e;
        }
        return ['path' => $path, 'report' => $report];
    }

    /**
     * Merges the daily roll-ups of an exported workbook into the entities
     * given: only known devices, only days not stored yet (never a duplicate).
     *
     * @param list<int> $entities
     * @return array{ok: bool, error?: string, imported: int, already_present: int, skipped: list<array<string, mixed>>}
     */
    public static function import(array $entities, string $path, int $max_bytes): array
    {
        global $DB;
        $out = ['ok' => false, 'imported' => 0, 'already_present' => 0, 'skipped' => []];
        $names = [];
        if ($entities !== []) {
            foreach ($DB->request([
                'SELECT' => ['entities_id', 'device_key', 'name', 'mac'],
                'FROM'   => self::DEVICES,
                'WHERE'  => ['entities_id' => $entities],
            ]) as $row) {
                $name = trim((string) $row['name']);
                if ($name === '') {
                    $name = strtoupper((string) $row['mac']) ?: (string) $row['device_key'];
                }
                $names[$name][] = $row['entities_id'] . '|' . $row['device_key'];
            }
        }
        $parsed = PluginGdmsintegrationNative::importXlsx(['path' => $path, 'max_bytes' => $max_bytes, 'devices' => (object) $names]);
        if (($parsed['ok'] ?? false) !== true) {
            $out['error'] = (string) ($parsed['error'] ?? 'unknown error');
            return $out;
        }
        $out['ok'] = true;
        $out['skipped'] = $parsed['skipped'];
        if ($parsed['days'] === []) {
            return $out;
        }

        // One read of the stored days of these devices in the imported range.
        $days = array_column($parsed['days'], 'day');
        $present = [];
        foreach ($DB->request([
            'SELECT' => ['entities_id', 'device_key', 'day'],
            'FROM'   => self::DAILIES,
            'WHERE'  => ['entities_id' => $entities, ['day' => ['>=', min($days)]], ['day' => ['<=', max($days)]]],
        ]) as $row) {
            $present[$row['entities_id'] . '|' . $row['device_key'] . '|' . $row['day']] = true;
        }
        $DB->beginTransaction();
        try {
            foreach ($parsed['days'] as $d) {
                if (isset($present[$d['device_key'] . '|' . $d['day']])) {
                    $out['already_present']++;
                    continue;
                }
                [$entity, $key] = explode('|', (string) $d['device_key'], 2);
                $DB->insert(self::DAILIES, [
                    'entities_id' => (int) $entity, 'device_key' => $key, 'day' => $d['day'],
                    'online_seconds' => (int) $d['online_s'], 'observed_seconds' => (int) $d['observed_s'],
                ]);
                $out['imported']++;
            }
            $DB->commit();
        } catch (Throwable $e) {
            $DB->rollBack();
            throw $e;
        }
        foreach ($entities as $e) {
            PluginGdmsintegrationDashboard::forgetCaches($e);
        }
        return $out;
    }

    /** The history import page. */
    public static function importPageUrl(): string
    {
        global $CFG_GLPI;
        return ($CFG_GLPI['root_doc'] ?? '') . '/plugins/gdmsintegration/front/import.php';
    }

    /**
     * Handles one uploaded workbook ($_FILES entry): checks it is an .xlsx
     * upload, imports it into the given entities, and reports the outcome and
     * every skipped row (at most 50) as session messages.
     *
     * @param array<string, mixed>|null $file
     * @param list<int> $entities
     */
    public static function importUpload(?array $file, array $entities): void
    {
        $name = (string) ($file['name'] ?? '');
        if ($file === null || (int) ($file['error'] ?? UPLOAD_ERR_NO_FILE) !== UPLOAD_ERR_OK || !is_uploaded_file((string) $file['tmp_name'])) {
            Session::addMessageAfterRedirect(__s('Choose an .xlsx file produced by the export.', 'gdmsintegration'), false, ERROR);
            return;
        }
        $types = ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/zip', 'application/octet-stream'];
        if (strtolower(pathinfo($name, PATHINFO_EXTENSION)) !== 'xlsx' || !in_array((string) mime_content_type((string) $file['tmp_name']), $types, true)) {
            Session::addMessageAfterRedirect(__s('Only .xlsx workbooks produced by the export can be imported.', 'gdmsintegration'), false, ERROR);
            return;
        }
        $r = self::import($entities, (string) $file['tmp_name'], self::IMPORT_MAX_BYTES);
        if (!$r['ok']) {
            Session::addMessageAfterRedirect(htmlescape(sprintf(__('Import refused: %s', 'gdmsintegration'), $r['error'] ?? '')), false, ERROR);
            return;
        }
        Session::addMessageAfterRedirect(htmlescape(sprintf(
            __('Import complete: %1$d days imported, %2$d days already present, %3$d rows skipped.', 'gdmsintegration'),
            $r['imported'],
            $r['already_present'],
            count($r['skipped'])
        )));
        $reasons = [
            'unknown_device' => __('unknown device', 'gdmsintegration'),
            'ambiguous_name' => __('several devices have this name', 'gdmsintegration'),
            'no_values'      => __('no daily value', 'gdmsintegration'),
        ];
        foreach (array_slice($r['skipped'], 0, 50) as $skip) {
            Session::addMessageAfterRedirect(htmlescape(sprintf(
                __('Row %1$d (%2$s) skipped: %3$s', 'gdmsintegration'),
                (int) $skip['row'],
                (string) $skip['name'],
                $reasons[$skip['reason']] ?? (string) $skip['reason']
            )), false, WARNING);
        }
    }

    /** The upload form of the history import. */
    public static function showImportForm(): void
    {
        TemplateRenderer::getInstance()->display('@gdmsintegration/import.html.twig', [
            'action'   => self::importPageUrl(),
            'max_mb'   => intdiv(self::IMPORT_MAX_BYTES, 1 << 20),
        ]);
    }
}

