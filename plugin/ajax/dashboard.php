<?php

/**
 * -------------------------------------------------------------------------
 * GDMS Integration plugin for GLPI
 * -------------------------------------------------------------------------
 * @license   GPL-3.0-or-later https://www.gnu.org/licenses/gpl-3.0.html
 * -------------------------------------------------------------------------
 */

declare(strict_types=1);

/*
 * The dashboard's JSON endpoint. Reads (GET) need the plugin's READ right,
 * actions (POST: firmware upgrade, sync now) its UPDATE right; GLPI's kernel
 * checks the CSRF header of POSTs. Every call is limited to the entities of
 * the session.
 */

header('Content-Type: application/json; charset=utf-8');
header('Cache-Control: no-store');

$action = (string) ($_GET['action'] ?? '');
$entities = PluginGdmsintegrationDashboard::visibleEntities();
$post = ($_SERVER['REQUEST_METHOD'] ?? 'GET') === 'POST';

if ($post) {
    Session::checkRight(PluginGdmsintegrationMenu::$rightname, UPDATE);
    $body = json_decode((string) file_get_contents('php://input'), true);
    $body = is_array($body) ? $body : [];
    $result = match ($action) {
        'upgrade' => PluginGdmsintegrationDashboard::upgradeFirmware(
            (int) ($body['id'] ?? 0),
            isset($body['time_ms']) && is_numeric($body['time_ms']) ? (int) $body['time_ms'] : null,
            $entities,
            (string) ($body['channel'] ?? 'official')
        ),
        'sync'    => PluginGdmsintegrationDashboard::syncNow($entities),
        default   => null,
    };
} else {
    Session::checkRight(PluginGdmsintegrationMenu::$rightname, READ);
    $result = match ($action) {
        'data'     => PluginGdmsintegrationDashboard::data(PluginGdmsintegrationDashboard::query($_GET), $entities),
        'firmware' => PluginGdmsintegrationDashboard::firmwareStatus($entities),
        'topology' => PluginGdmsintegrationDashboard::topology($entities),
        default    => null,
    };
}
if ($result === null) {
    http_response_code(400);
    $result = ['ok' => false, 'message' => 'unknown action'];
}
echo json_encode($result, JSON_THROW_ON_ERROR | JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES | JSON_HEX_TAG);
