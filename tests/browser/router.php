<?php

/**
 * Router for `php -S` serving the dashboard over the GLPI stand-in for the
 * browser tests: plugin pages and AJAX scripts (with GLPI's kernel CSRF
 * check of POSTs emulated), the plugin's public files, and /lib/<name>.js
 * for the libraries requireJs() asks (ECharts and Flatpickr from npm, the
 * same libraries GLPI bundles). /__login?user=alice|bob opens a session.
 */

declare(strict_types=1);

$root = dirname(__DIR__, 2);
$path = (string) parse_url($_SERVER['REQUEST_URI'] ?? '/', PHP_URL_PATH);

$send = static function (string $file, string $type): bool {
    if (!is_file($file)) {
        http_response_code(404);
        return true;
    }
    header("Content-Type: $type");
    readfile($file);
    return true;
};
$types = ['js' => 'text/javascript', 'css' => 'text/css', 'map' => 'application/json', 'png' => 'image/png'];

$libs = [
    '/lib/charts.js'    => "$root/node_modules/echarts/dist/echarts.min.js",
    '/lib/flatpickr.js' => "$root/node_modules/flatpickr/dist/flatpickr.min.js",
];
if (isset($libs[$path])) {
    return $send($libs[$path], 'text/javascript');
}
if (preg_match('#^/plugins/gdmsintegration/((?:js|css|lib)/[\w.\-/]+)$#', $path, $m) && !str_contains($m[1], '..')) {
    return $send("$root/plugin/public/{$m[1]}", $types[pathinfo($m[1], PATHINFO_EXTENSION)] ?? 'application/octet-stream');
}

putenv('GDMS_TEST_KEEP_DATABASE=1');
session_start();
ob_start();
require_once $root . '/tests/glpi/bootstrap.php';
ob_end_clean();

if ($path === '/__login') {
    // alice: entity 0, read + update; bob: entity 1, read only.
    $users = [
        'alice' => [7, [0], READ | UPDATE],
        'bob'   => [8, [1], READ],
    ];
    [$id, $entities, $right] = $users[$_GET['user'] ?? ''] ?? [0, [], 0];
    $_SESSION = [
        'glpiID' => $id, 'glpiname' => (string) ($_GET['user'] ?? ''), 'glpiactiveentities' => $entities,
        'glpiactive_entity' => $entities[0] ?? 0, 'glpilanguage' => (string) ($_GET['lang'] ?? 'en_GB'),
        'glpiactiveprofile' => ['plugin_gdmsintegration' => $right],
    ];
    header('Content-Type: text/plain');
    echo "ok\n";
    return true;
}

if (!preg_match('#^/plugins/gdmsintegration/((?:front|ajax)/\w+\.php)$#', $path, $m)) {
    http_response_code(404);
    echo 'not found';
    return true;
}
try {
    // GLPI's kernel (CheckCsrfListener): POSTs are refused without a valid token; AJAX sends it as a header.
    if (($_SERVER['REQUEST_METHOD'] ?? 'GET') === 'POST') {
        if (($_SERVER['HTTP_X_REQUESTED_WITH'] ?? '') === 'XMLHttpRequest') {
            Session::checkCSRF(['_glpi_csrf_token' => $_SERVER['HTTP_X_GLPI_CSRF_TOKEN'] ?? ''], true);
        } else {
            Session::checkCSRF($_POST);
        }
    }
    require GDMS_PLUGIN_DIR . '/' . $m[1];
} catch (Glpi\Exception\Http\AccessDeniedHttpException $e) {
    while (ob_get_level() > 0) {
        ob_end_clean();
    }
    http_response_code(403);
    header('Content-Type: application/json');
    echo json_encode(['ok' => false, 'message' => 'access denied']);
}
return true;
