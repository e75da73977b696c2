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
 * The HTTP plumbing of the stateless endpoints that machines call
 * (front/webhook.php, front/chatwoot.php): read the request, hand it to the
 * handler, write its JSON answer. The handlers stay plain functions of
 * (method, query, headers, body) so tests call them directly.
 */
final class PluginGdmsintegrationMachineEndpoint
{
    /**
     * @param callable(string, array<string, mixed>, array<string, string>, string): array{status: int, body: array<string, mixed>, headers?: array<string, string>} $handler
     */
    public static function serve(callable $handler, int $max_body_bytes): void
    {
        $headers = [];
        foreach ($_SERVER as $name => $value) {
            if (str_starts_with((string) $name, 'HTTP_')) {
                $headers[strtolower(str_replace('_', '-', substr((string) $name, 5)))] = (string) $value;
            }
        }
        $headers['content-type'] = (string) ($_SERVER['CONTENT_TYPE'] ?? '');
        $headers['content-length'] = (string) ($_SERVER['CONTENT_LENGTH'] ?? '0');

        // One byte more than allowed, so an oversized body is detected without reading it all.
        $body = (string) file_get_contents('php://input', false, null, 0, $max_body_bytes + 1);

        $response = $handler((string) ($_SERVER['REQUEST_METHOD'] ?? 'GET'), $_GET, $headers, $body);

        http_response_code($response['status']);
        header('Content-Type: application/json');
        header('Cache-Control: no-store');
        foreach ($response['headers'] ?? [] as $name => $value) {
            header("$name: $value");
        }
        echo json_encode($response['body'], JSON_UNESCAPED_SLASHES);
    }
}
