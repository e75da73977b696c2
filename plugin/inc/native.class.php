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
 * The only caller of the `gdms` PHP extension.
 *
 * Every other class goes through here, so the checks (extension loaded,
 * contract version the plugin was written for) happen in one place, and the
 * JSON documents of gdms_core::contract are encoded and decoded once.
 */
final class PluginGdmsintegrationNative
{
    /** Name of the PHP extension module. */
    public const EXTENSION = 'gdms';

    /**
     * Why the plugin cannot run with the PHP it is in, or null when it can.
     * The message names what was found and what to install.
     *
     * @param int|null $wanted contract version required; the plugin's own by default
     */
    public static function prerequisiteProblem(?int $wanted = null): ?string
    {
        $wanted ??= PLUGIN_GDMSINTEGRATION_NATIVE_CONTRACT;
        if (!extension_loaded(self::EXTENSION) || !function_exists('gdms_contract_version')) {
            return sprintf(
                __('The PHP extension "%1$s" is not loaded. Install gdms.so for PHP %2$s (make install, or copy it from the release archive), enable it with "extension=gdms.so" in the CLI and FPM configuration, and restart PHP-FPM. This plugin needs contract version %3$d.', 'gdmsintegration'),
                self::EXTENSION,
                PHP_MAJOR_VERSION . '.' . PHP_MINOR_VERSION,
                $wanted
            );
        }
        $found = (int) gdms_contract_version();
        if ($found !== $wanted) {
            return sprintf(
                __('The PHP extension "%1$s" version %2$s speaks contract version %3$d, but this plugin (version %4$s) needs contract version %5$d. Install the gdms.so shipped with this plugin version and restart PHP-FPM.', 'gdmsintegration'),
                self::EXTENSION,
                (string) gdms_version(),
                $found,
                PLUGIN_GDMSINTEGRATION_VERSION,
                $wanted
            );
        }
        return null;
    }

    /**
     * Whether the extension can be called.
     */
    public static function isAvailable(): bool
    {
        return self::prerequisiteProblem() === null;
    }

    /**
     * Build identity of the loaded extension.
     *
     * @return array{version: string, contract: int, php_safe: bool}
     */
    public static function info(): array
    {
        self::assertAvailable();
        return self::decode(gdms_info(), 'gdms_info');
    }

    /**
     * Checks an `X-GDMS-Signature` header against the raw request body, in constant time.
     */
    public static function verifyWebhookSignature(string $secret, string $body, string $header): bool
    {
        self::assertAvailable();
        return gdms_webhook_verify($secret, $body, $header);
    }

    /**
     * Parses a webhook body: ['ok' => true, 'mac' => 'c0:..', 'online' => bool]
     * or ['ok' => false, 'error' => 'what is wrong'].
     *
     * @return array{ok: bool, mac?: string, online?: bool, error?: string}
     */
    public static function parseWebhook(string $body): array
    {
        self::assertAvailable();
        return self::decode(gdms_webhook_parse($body), 'gdms_webhook_parse');
    }

    /**
     * One fetch from the clouds (gdms_core::contract::fetch): never throws for
     * a cloud failure, which is reported per source in the snapshot.
     *
     * @param array<string, mixed> $request
     * @return array<string, mixed> snapshot document
     */
    public static function fetch(array $request): array
    {
        self::assertAvailable();
        return self::decode(gdms_fetch(self::encode($request)), 'gdms_fetch');
    }

    /**
     * Tests each configured cloud with a fresh token and one signed call.
     *
     * @param array<string, mixed> $request a fetch request (credentials are read)
     * @return array{uc: array{status: string, step: string, message: string, elapsed_ms: int}, gwn: array{status: string, step: string, message: string, elapsed_ms: int}}
     */
    public static function testConnection(array $request): array
    {
        self::assertAvailable();
        return self::decode(gdms_test_connection(self::encode($request)), 'gdms_test_connection');
    }

    /**
     * The engine's plan for one sync cycle (gdms_core::contract::plan).
     *
     * @param array<string, mixed> $input plan input document
     * @return array<string, mixed> plan document
     */
    public static function plan(array $input): array
    {
        self::assertAvailable();
        return self::decode(gdms_plan(self::encode($input)), 'gdms_plan');
    }

    /**
     * The readable dry-run summary of a plan.
     *
     * @param array<string, mixed> $plan
     */
    public static function planSummary(array $plan): string
    {
        self::assertAvailable();
        return gdms_plan_summary(self::encode($plan));
    }

    /**
     * The engine's translatable messages: id => English template.
     *
     * @return array<string, string>
     */
    public static function messageCatalog(): array
    {
        self::assertAvailable();
        return self::decode(gdms_message_catalog(), 'gdms_message_catalog');
    }

    /**
     * The dashboard's figures (gdms_core::contract::dashboard): cards,
     * availability and SLA tiers, the table page, networks, chart.
     *
     * @param array<string, mixed> $input dashboard input document
     * @return array<string, mixed> dashboard document
     */
    public static function dashboard(array $input): array
    {
        self::assertAvailable();
        return self::decode(gdms_dashboard(self::encode($input)), 'gdms_dashboard');
    }

    /**
     * Stored ports with their dot states, WAN first: row id => ports_json in, row id => port views out.
     *
     * @param array<string, string> $stored
     * @return array<string, list<array<string, mixed>>>
     */
    public static function dashboardPorts(array $stored): array
    {
        self::assertAvailable();
        return self::decode(gdms_dashboard_ports(self::encode((object) $stored)), 'gdms_dashboard_ports');
    }

    /**
     * Writes the history workbook (gdms_core::contract::export) to $path; the
     * extension builds the file, PHP only gathers and translates.
     *
     * @param array<string, mixed> $input
     * @return array<string, mixed> report: devices, incidents, days, first_day, tiers
     */
    public static function exportXlsx(array $input, string $path): array
    {
        self::assertAvailable();
        return self::decode(gdms_export_xlsx(self::encode($input), $path), 'gdms_export_xlsx');
    }

    /**
     * Parses an uploaded history workbook (gdms_core::contract::export,
     * gdms_import_xlsx): days to merge and rows skipped, or a refusal.
     *
     * @param array<string, mixed> $request path, max_bytes, devices (name => keys)
     * @return array<string, mixed>
     */
    public static function importXlsx(array $request): array
    {
        self::assertAvailable();
        return self::decode(gdms_import_xlsx(self::encode($request)), 'gdms_import_xlsx');
    }

    /**
     * Schedules a firmware upgrade (gdms_core::contract::fetch, upgrade
     * request/result); sent once, never retried.
     *
     * @param array<string, mixed> $request
     * @return array<string, mixed> upgrade result
     */
    public static function firmwareUpgrade(array $request): array
    {
        self::assertAvailable();
        return self::decode(gdms_firmware_upgrade(self::encode($request)), 'gdms_firmware_upgrade');
    }

    /**
     * A fresh outgoing webhook secret, `whsec_<base64>` (shown once, stored encrypted).
     */
    public static function outgoingSecret(): string
    {
        self::assertAvailable();
        return gdms_outgoing_secret();
    }

    /**
     * Why a subscription title pattern cannot be used, or '' when it can.
     */
    public static function outgoingCheckFilter(string $pattern): string
    {
        self::assertAvailable();
        return gdms_outgoing_check_filter($pattern);
    }

    /**
     * Why a subscription URL is refused (scheme, credentials, private address), or '' when accepted.
     */
    public static function outgoingCheckUrl(string $url, bool $allow_private): string
    {
        self::assertAvailable();
        return gdms_outgoing_check_url($url, $allow_private);
    }

    /**
     * Envelope of one event and the subscriptions whose filters pass (gdms_core::contract::outgoing).
     *
     * @param array<string, mixed> $request
     * @return array{id: string, type: string, body: string, subscriptions: list<int>, problems: list<array{id: int, error: string}>}
     */
    public static function outgoingPrepare(array $request): array
    {
        self::assertAvailable();
        return self::decode(gdms_outgoing_prepare(self::encode($request)), 'gdms_outgoing_prepare');
    }

    /**
     * Sends due deliveries; the report says what became of each (gdms_core::contract::outgoing).
     *
     * @param array<string, mixed> $request
     * @return array<string, mixed>
     */
    public static function outgoingDeliver(array $request): array
    {
        self::assertAvailable();
        return self::decode(gdms_outgoing_deliver(self::encode($request)), 'gdms_outgoing_deliver');
    }

    /**
     * @param array<mixed>|object $document
     */
    private static function encode(array|object $document): string
    {
        return json_encode($document, JSON_THROW_ON_ERROR | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_PRESERVE_ZERO_FRACTION);
    }

    /**
     * Checks a Chatwoot delivery (X-Chatwoot-Timestamp, X-Chatwoot-Signature) in constant time:
     * ['ok' => true] or ['ok' => false, 'reason' => 'missing_signature|bad_timestamp|stale|mismatch', 'error' => ...].
     *
     * @return array{ok: bool, reason?: string, error?: string}
     */
    public static function chatwootVerify(string $secret, string $timestamp, string $body, string $signature, int $now): array
    {
        self::assertAvailable();
        return self::decode(gdms_chatwoot_verify($secret, $timestamp, $body, $signature, $now), 'gdms_chatwoot_verify');
    }

    /**
     * Parses and maps a Chatwoot webhook body (gdms_core::contract::chatwoot):
     * ['ok' => true, 'event' => [...]] or ['ok' => false, 'error' => ...].
     *
     * @return array<string, mixed>
     */
    public static function chatwootParse(string $body): array
    {
        self::assertAvailable();
        return self::decode(gdms_chatwoot_parse($body), 'gdms_chatwoot_parse');
    }

    /**
     * Sends queued actions to the Chatwoot API; one result per action.
     *
     * @param array<string, mixed> $request
     * @return list<array<string, mixed>>
     */
    public static function chatwootSend(array $request): array
    {
        self::assertAvailable();
        return self::decode(gdms_chatwoot_send(json_encode($request, JSON_THROW_ON_ERROR | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE)), 'gdms_chatwoot_send')['results'];
    }

    /**
     * One read-only Chatwoot API call: ['ok' => bool, 'http_status' => int, 'error' => ?string].
     *
     * @param array<string, mixed> $account base_url, account_id, token
     * @return array<string, mixed>
     */
    public static function chatwootTest(array $account): array
    {
        self::assertAvailable();
        return self::decode(gdms_chatwoot_test(json_encode($account, JSON_THROW_ON_ERROR | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE)), 'gdms_chatwoot_test');
    }

    /**
     * @throws RuntimeException when the extension cannot be used
     */
    private static function assertAvailable(): void
    {
        $problem = self::prerequisiteProblem();
        if ($problem !== null) {
            throw new RuntimeException($problem);
        }
    }

    /**
     * Decodes a JSON document returned by the extension.
     *
     * @return array<mixed>
     */
    private static function decode(string $json, string $call): array
    {
        $data = json_decode($json, true, 512, JSON_THROW_ON_ERROR);
        if (!is_array($data)) {
            throw new RuntimeException(sprintf('%s returned a JSON document that is not an object', $call));
        }
        return $data;
    }
}
