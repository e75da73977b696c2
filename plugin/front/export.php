<?php

/**
 * -------------------------------------------------------------------------
 * GDMS Integration plugin for GLPI
 * -------------------------------------------------------------------------
 * @license   GPL-3.0-or-later https://www.gnu.org/licenses/gpl-3.0.html
 * -------------------------------------------------------------------------
 */

declare(strict_types=1);

// Streams gdms_history_YYYY-MM-DD.xlsx of the user's active entities, built by
// the extension into a temporary file that is deleted once sent.
Session::checkRight(PluginGdmsintegrationMenu::$rightname, READ);

$entities = PluginGdmsintegrationDashboard::visibleEntities();
$settings = PluginGdmsintegrationDashboard::settings($entities);
$now = time();
try {
    $written = PluginGdmsintegrationExport::write($entities, (int) $settings['window_days'], $now);
} catch (Throwable $e) {
    PluginGdmsintegrationLog::info('Excel export failed: ' . $e->getMessage());
    Session::addMessageAfterRedirect(__('The Excel export failed; see the plugin log.', 'gdmsintegration'), false, ERROR);
    Html::back();
    return;
}

$path = $written['path'];
try {
    $size = filesize($path);
    header('Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    header('Content-Disposition: attachment; filename="' . PluginGdmsintegrationExport::filename($now) . '"');
    if ($size !== false) {
        header('Content-Length: ' . $size);
    }
    header('Cache-Control: private, no-store');
    header('X-Content-Type-Options: nosniff');
    readfile($path);
} finally {
    @unlink($path);
}
