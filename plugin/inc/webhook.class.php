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
 * The cloud's device-status webhook (front/webhook.php), stateless.
 *
 * A signed event (entity with a webhook secret, valid `X-GDMS-Signature`)
 * changes that one device through the same engine and applier as the cron,
 * without touching any other device. An unsigned event (no secret
 * configured) is never trusted: it only asks for a re-poll of the entity
 * from the cloud, at most once a minute, done by the RepollDevices task.
 * Every outcome is one log line; no response says more than needed.
 */
final class PluginGdmsintegrationWebhook
{
    public const MAX_BODY_BYTES = 65536;

    /** Seconds between two re-polls an unsigned event may trigger. */
    public const REPOLL_MIN_INTERVAL = 60;

    /**
     * @param array<string, string> $headers lower-cased names
     * @param array<string, mixed> $query
     * @return array{status: int, body: array<string, mixed>, headers?: array<string, string>}
     */
    public static function handle(string $method, array $query, array $headers, string $body): array
    {
        $entities_id = PluginGdmsintegrationMachineEndpoint::admit('webhook', $method, $query, $headers, $body, self::MAX_BODY_BYTES);
        if (is_array($entities_id)) {
            return $entities_id;
        }
        $config = PluginGdmsintegrationConfig::getForEntity($entities_id);
        if ($config->isNewItem() || !$config->fields['is_active']) {
            return PluginGdmsintegrationMachineEndpoint::logged('webhook', 404, ['error' => 'no active GDMS configuration for this entity'], "entity $entities_id: not configured");
        }
        $secret = $config->getSecret('webhook_secret');
        $signed = $secret !== '';
        if ($signed && !PluginGdmsintegrationNative::verifyWebhookSignature($secret, $body, $headers['x-gdms-signature'] ?? '')) {
            return PluginGdmsintegrationMachineEndpoint::logged('webhook', 401, ['error' => 'invalid signature'], "entity $entities_id: signature missing or wrong");
        }
        $event = PluginGdmsintegrationNative::parseWebhook($body);
        if (!$event['ok']) {
            return PluginGdmsintegrationMachineEndpoint::logged('webhook', 400, ['error' => $event['error']], "entity $entities_id: " . $event['error']);
        }
        $device = self::storedDevice($entities_id, (string) $event['mac']);
        if ($device === null) {
            return PluginGdmsintegrationMachineEndpoint::logged('webhook', 202, ['status' => 'ignored', 'reason' => 'unknown device'], "entity $entities_id: unknown device {$event['mac']}");
        }
        if (!$signed) {
            $queued = self::requestRepoll($config);
            return PluginGdmsintegrationMachineEndpoint::logged('webhook', 202, ['status' => $queued ? 'repoll queued' : 'repoll already queued'], sprintf(
                'entity %d: unsigned event for %s (%s) — not trusted, %s',
                $entities_id,
                $event['mac'],
                $event['online'] ? 'online' : 'offline',
                $queued ? 're-poll queued' : 're-poll already queued in the last minute'
            ));
        }
        $result = Session::callAsSystem(static fn(): array => PluginGdmsintegrationSync::applySnapshot(
            $config,
            self::singleDeviceSnapshot($device, (bool) $event['online']),
            time(),
            true
        ));
        $a = $result['applied'];
        return PluginGdmsintegrationMachineEndpoint::logged('webhook', 200, ['ok' => true, 'tickets_opened' => $a['opened'], 'tickets_resolved' => $a['resolved']], sprintf(
            'entity %d: signed event %s %s applied (opened %d, resolved %d)',
            $entities_id,
            $event['mac'],
            $event['online'] ? 'online' : 'offline',
            $a['opened'],
            $a['resolved']
        ));
    }

    /**
     * The stored row of a device, as a DeviceState document, or null.
     *
     * @return array<string, mixed>|null
     */
    private static function storedDevice(int $entities_id, string $mac): ?array
    {
        foreach (PluginGdmsintegrationStore::devices($entities_id, [$mac]) as $doc) {
            return $doc;
        }
        return null;
    }

    /**
     * A snapshot that says one thing only: this device's new status. It lists
     * no source as complete, carries no ports (so no WAN decision) and keeps
     * every stored value of the device.
     *
     * @param array<string, mixed> $d
     * @return array<string, mixed>
     */
    public static function singleDeviceSnapshot(array $d, bool $online): array
    {
        $device = [
            'cloud'  => $d['cloud'],
            'source' => PluginGdmsintegrationStore::sourceKeyDocument((string) $d['source_key']),
            'mac'    => $d['mac'],
            'serial' => $d['serial'] !== '' ? $d['serial'] : null,
            'name'   => $d['name'],
            'model'  => $d['model'],
            'status' => $online ? 'online' : 'offline',
            'ports'  => ['state' => 'not_applicable'],
            'sip'    => $d['sip'],
        ];
        foreach (['network_id', 'network_name', 'public_ip', 'private_ip', 'ipv6', 'firmware', 'firmware_latest', 'location'] as $f) {
            $device[$f] = ($d[$f] ?? '') !== '' ? $d[$f] : null;
        }
        return ['sources' => [], 'devices' => [$device], 'networks' => [], 'tokens' => [], 'stats' => ['requests' => 0, 'tokens_issued' => 0, 'retries' => 0, 'duration_ms' => 0]];
    }

    /**
     * Claims a re-poll of the entity unless one was claimed less than a minute ago.
     */
    private static function requestRepoll(PluginGdmsintegrationConfig $config): bool
    {
        global $DB;
        $DB->update(PluginGdmsintegrationConfig::getTable(), ['repoll_requested_at' => new Glpi\DBAL\QueryExpression('NOW()')], [
            'id' => $config->getID(),
            'OR' => [
                ['repoll_requested_at' => null],
                new Glpi\DBAL\QueryExpression(sprintf('%s < NOW() - INTERVAL %d SECOND', $DB::quoteName('repoll_requested_at'), self::REPOLL_MIN_INTERVAL)),
            ],
        ]);
        return $DB->affectedRows() > 0;
    }
}
