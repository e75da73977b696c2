<?php

/**
 * -------------------------------------------------------------------------
 * GDMS Integration plugin for GLPI
 * -------------------------------------------------------------------------
 * @license   GPL-3.0-or-later https://www.gnu.org/licenses/gpl-3.0.html
 * -------------------------------------------------------------------------
 */

declare(strict_types=1);

// History import (config right): merges the daily roll-ups of a workbook the
// export produced into the user's active entities; the file is parsed by the
// extension, days already stored are never duplicated.
Session::checkRight('config', UPDATE);

global $CFG_GLPI;
$self = ($CFG_GLPI['root_doc'] ?? '') . '/plugins/gdmsintegration/front/import.php';

$max_bytes = PluginGdmsintegrationExport::IMPORT_MAX_BYTES;
if (isset($_POST['import'])) {
    $file = $_FILES['workbook'] ?? null;
    $name = is_array($file) ? (string) ($file['name'] ?? '') : '';
    if (!is_array($file) || (int) ($file['error'] ?? UPLOAD_ERR_NO_FILE) !== UPLOAD_ERR_OK || !is_uploaded_file((string) $file['tmp_name'])) {
        Session::addMessageAfterRedirect(__('Choose an .xlsx file produced by the export.', 'gdmsintegration'), false, ERROR);
    } elseif (
        strtolower(pathinfo($name, PATHINFO_EXTENSION)) !== 'xlsx'
        || !in_array((string) mime_content_type((string) $file['tmp_name']), ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/zip', 'application/octet-stream'], true)
    ) {
        Session::addMessageAfterRedirect(__('Only .xlsx workbooks produced by the export can be imported.', 'gdmsintegration'), false, ERROR);
    } else {
        $r = PluginGdmsintegrationExport::import(PluginGdmsintegrationDashboard::visibleEntities(), (string) $file['tmp_name'], $max_bytes);
        if (!$r['ok']) {
            Session::addMessageAfterRedirect(sprintf(__('Import refused: %s', 'gdmsintegration'), $r['error'] ?? ''), false, ERROR);
        } else {
            Session::addMessageAfterRedirect(sprintf(
                __('Import complete: %1$d days imported, %2$d days already present, %3$d rows skipped.', 'gdmsintegration'),
                $r['imported'],
                $r['already_present'],
                count($r['skipped'])
            ));
            $reasons = [
                'unknown_device' => __('unknown device', 'gdmsintegration'),
                'ambiguous_name' => __('several devices have this name', 'gdmsintegration'),
                'no_values' => __('no daily value', 'gdmsintegration'),
            ];
            foreach (array_slice($r['skipped'], 0, 50) as $s) {
                Session::addMessageAfterRedirect(sprintf(
                    __('Row %1$d (%2$s) skipped: %3$s', 'gdmsintegration'),
                    (int) $s['row'],
                    htmlspecialchars((string) $s['name'], ENT_QUOTES),
                    $reasons[$s['reason']] ?? htmlspecialchars((string) $s['reason'], ENT_QUOTES)
                ), false, WARNING);
            }
        }
    }
    Html::redirect($self);
    return;
}

Html::header(__('History import', 'gdmsintegration'), '', 'tools', PluginGdmsintegrationMenu::class, 'dashboard');
echo '<div class="card"><div class="card-body">';
echo '<h3>' . htmlspecialchars(__('History import', 'gdmsintegration'), ENT_QUOTES) . '</h3>';
echo '<form method="post" enctype="multipart/form-data" action="' . htmlspecialchars($self, ENT_QUOTES) . '">';
echo '<p>' . htmlspecialchars(sprintf(__('An .xlsx workbook produced by the export, at most %d MB. Days already stored are kept.', 'gdmsintegration'), intdiv($max_bytes, 1 << 20)), ENT_QUOTES) . '</p>';
echo '<input type="file" name="workbook" accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" class="form-control mb-2">';
echo '<input type="hidden" name="_glpi_csrf_token" value="' . htmlspecialchars(Session::getNewCSRFToken(), ENT_QUOTES) . '">';
echo '<button type="submit" name="import" value="1" class="btn btn-primary">' . htmlspecialchars(__('Import', 'gdmsintegration'), ENT_QUOTES) . '</button>';
echo '</form></div></div>';
Html::footer();
