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

    /**
     * The checks every machine endpoint makes before it looks at the body:
     * GET is a health check, only POST goes on, `entities_id` is a
     * non-negative integer, the body is not empty nor over the limit, and is
     * declared JSON.
     *
     * @param array<string, mixed> $query
     * @param array<string, string> $headers lower-cased names
     * @return array{status: int, body: array<string, mixed>, headers: array<string, string>}|int
     *         the answer to send now, or the entity id when the request may go on
     */
    public static function admit(string $endpoint, string $method, array $query, array $headers, string $body, int $max_body_bytes): array|int
    {
        $method = strtoupper($method);
        if ($method === 'GET') {
            return self::answer(200, ['status' => 'ok', 'plugin' => 'gdmsintegration', 'endpoint' => $endpoint]);
        }
        if ($method !== 'POST') {
            return self::logged($endpoint, 405, ['error' => 'method not allowed'], "method $method", ['Allow' => 'GET, POST']);
        }
        $entities_id = filter_var($query['entities_id'] ?? 0, FILTER_VALIDATE_INT, ['options' => ['min_range' => 0]]);
        if ($entities_id === false) {
            return self::logged($endpoint, 400, ['error' => 'entities_id must be a non-negative integer'], 'bad entities_id');
        }
        if (strlen($body) > $max_body_bytes || (int) ($headers['content-length'] ?? 0) > $max_body_bytes) {
            return self::logged($endpoint, 413, ['error' => sprintf('body larger than %d KiB', intdiv($max_body_bytes, 1024))], "entity $entities_id: body too large");
        }
        if ($body === '') {
            return self::logged($endpoint, 400, ['error' => 'empty body'], "entity $entities_id: empty body");
        }
        $type = strtolower(trim(explode(';', $headers['content-type'] ?? '')[0]));
        if ($type !== 'application/json') {
            return self::logged($endpoint, 415, ['error' => 'Content-Type must be application/json'], "entity $entities_id: content type '$type'");
        }
        return $entities_id;
    }

    /**
     * @param array<string, mixed> $body
     * @param array<string, string> $headers
     * @return array{status: int, body: array<string, mixed>, headers: array<string, string>}
     */
    public static function answer(int $status, array $body, array $headers = []): array
    {
        return ['status' => $status, 'body' => $body, 'headers' => $headers];
    }

    /**
     * An answer, and its one log line.
     *
     * @param array<string, mixed> $body
     * @param array<string, string> $headers
     * @return array{status: int, body: array<string, mixed>, headers: array<string, string>}
     */
    public static function logged(string $endpoint, int $status, array $body, string $what, array $headers = []): array
    {
        PluginGdmsintegrationLog::info(sprintf('%s %d — %s', $endpoint, $status, $what));
        return self::answer($status, $body, $headers);
    }
}
