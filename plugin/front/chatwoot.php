<?php

/**
 * -------------------------------------------------------------------------
 * GDMS Integration plugin for GLPI
 * -------------------------------------------------------------------------
 * @license   GPL-3.0-or-later https://www.gnu.org/licenses/gpl-3.0.html
 * -------------------------------------------------------------------------
 */

declare(strict_types=1);

// Stateless (no session, no CSRF, no firewall): declared in plugin_gdmsintegration_boot().
// Callers are authenticated by X-Chatwoot-Signature in PluginGdmsintegrationChatwoot.

$headers = [];
foreach ($_SERVER as $name => $value) {
    if (str_starts_with($name, 'HTTP_')) {
        $headers[strtolower(str_replace('_', '-', substr($name, 5)))] = (string) $value;
    }
}
$headers['content-type'] = (string) ($_SERVER['CONTENT_TYPE'] ?? '');
$headers['content-length'] = (string) ($_SERVER['CONTENT_LENGTH'] ?? '0');

// One byte more than allowed, so an oversized body is detected without reading it all.
$body = (string) file_get_contents('php://input', false, null, 0, PluginGdmsintegrationChatwoot::MAX_BODY_BYTES + 1);

$response = PluginGdmsintegrationChatwoot::handle((string) ($_SERVER['REQUEST_METHOD'] ?? 'GET'), $_GET, $headers, $body);

http_response_code($response['status']);
header('Content-Type: application/json');
header('Cache-Control: no-store');
foreach ($response['headers'] as $name => $value) {
    header("$name: $value");
}
echo json_encode($response['body'], JSON_UNESCAPED_SLASHES);
