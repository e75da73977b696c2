<?php

/**
 * Router of the loopback webhook receiver (`php -S`, see WebhookReceiver.php).
 * Records every request as one JSON line in $GDMS_RECEIVER_LOG and answers
 * according to the path: /status/<code>[/delay/<ms>][/anything].
 */

declare(strict_types=1);

$path = parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH) ?: '/';
$headers = [];
foreach (getallheaders() as $name => $value) {
    $headers[strtolower($name)] = $value;
}
$body = (string) file_get_contents('php://input');
file_put_contents((string) getenv('GDMS_RECEIVER_LOG'), json_encode([
    'method' => $_SERVER['REQUEST_METHOD'], 'path' => $path, 'headers' => $headers, 'body' => $body,
]) . "\n", FILE_APPEND | LOCK_EX);

$status = 200;
if (preg_match('#/status/(\d{3})#', $path, $m)) {
    $status = (int) $m[1];
}
if (preg_match('#/delay/(\d+)#', $path, $m)) {
    usleep((int) $m[1] * 1000);
}
http_response_code($status);
header('Content-Type: text/plain');
if ($status === 302) {
    header('Location: /redirected');
}
echo str_contains($path, '/big') ? str_repeat('y', 10000) : "answer $status";
