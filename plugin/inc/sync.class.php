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
 * The automatic action that keeps GLPI in step with the clouds.
 */
class PluginGdmsintegrationSync extends CommonGLPI
{
    /** Name of the automatic action (method cronSyncDevices). */
    public const TASK_NAME = 'SyncDevices';

    /** Automatic action running the re-polls asked by unsigned webhook events (method cronRepollDevices). */
    public const TASK_REPOLL = 'RepollDevices';

    public static function getTypeName($nb = 0): string
    {
        return __('GDMS synchronisation', 'gdmsintegration');
    }

    /**
     * @return array{description: string}
     */
    public static function cronInfo(string $name): array
    {
        return match ($name) {
            self::TASK_NAME => ['description' => __('Synchronise Grandstream GDMS and GWN devices into GLPI', 'gdmsintegration')],
            self::TASK_REPOLL => ['description' => __('Re-poll the clouds when a webhook asked for it', 'gdmsintegration')],
            default => [],
        };
    }

    /** Engine configuration fields, as stored in the entity's configuration row. */
    private const ENGINE_CONFIG_FIELDS = [
        'refresh_interval', 'availability_days', 'show_topology', 'tickets_phone', 'tickets_router',
        'tickets_switch', 'tickets_ap', 'tickets_pbx', 'wan_tickets_enabled', 'wan_debounce_seconds',
        'debounce_cycles', 'users_id_requester', 'itilcategories_id_network', 'itilcategories_id_telephony',
    ];

    /**
     * The engine's input for one entity: its configuration, its stored
     * devices and open incidents, the asset index and the model catalogs
     * (bulk reads, whatever the number of devices), and the snapshot.
     *
     * With $only_listed (a webhook about one device), only the devices the
     * snapshot lists are read and planned, and topology is left alone: the
     * plan then cannot touch any other device.
     *
     * @param array<string, mixed> $snapshot
     * @return array<string, mixed>
     */
    public static function planInput(PluginGdmsintegrationConfig $config, array $snapshot, int $now, bool $only_listed = false): array
    {
        $entities_id = (int) $config->fields['entities_id'];
        $engine_config = ['entities_id' => $entities_id];
        foreach (self::ENGINE_CONFIG_FIELDS as $field) {
            $engine_config[$field] = (int) $config->fields[$field];
        }
        $keys = null;
        if ($only_listed) {
            $keys = array_values(array_filter(array_map(static fn(array $d): ?string => $d['mac'] ?? null, $snapshot['devices'])));
            $engine_config['show_topology'] = 0;
        }
        // The engine needs no token: they stay out of its input.
        unset($snapshot['tokens']);
        return [
            'now'       => $now,
            'config'    => $engine_config,
            'devices'   => PluginGdmsintegrationStore::devices($entities_id, $keys),
            'assets'    => PluginGdmsintegrationStore::assets(),
            'models'    => PluginGdmsintegrationStore::models(),
            'incidents' => PluginGdmsintegrationStore::openIncidents($entities_id, $keys),
            'snapshot'  => $snapshot,
        ];
    }

    /**
     * Plans and applies one snapshot for one entity.
     *
     * @param array<string, mixed> $snapshot
     * @return array{plan: array<string, mixed>, applied: array<string, int>}
     */
    public static function applySnapshot(PluginGdmsintegrationConfig $config, array $snapshot, int $now, bool $only_listed = false): array
    {
        $plan = PluginGdmsintegrationNative::plan(self::planInput($config, $snapshot, $now, $only_listed));
        if (PluginGdmsintegrationLog::isVerbose()) {
            PluginGdmsintegrationLog::debug("plan:\n" . PluginGdmsintegrationNative::planSummary($plan));
        }
        $applied = (new PluginGdmsintegrationApplier((int) $config->fields['entities_id']))->apply($plan);
        return ['plan' => $plan, 'applied' => $applied];
    }

    /**
     * The fetch request for an entity (gdms_core::contract::fetch): its
     * credentials in clear (never logged), host overrides, the serials
     * already known (not looked up again) and the tokens stored last time.
     *
     * @return array<string, mixed>
     */
    public static function fetchRequest(PluginGdmsintegrationConfig $config): array
    {
        global $DB;
        $f = $config->fields;
        $clouds = $config->configuredClouds();
        $request = ['known_serials' => [], 'tokens' => [], 'options' => []];
        if ($clouds['uc']) {
            $request['uc'] = [
                'username'      => (string) $f['gdms_username'],
                'password'      => $config->getSecret('gdms_password'),
                'client_id'     => (string) $f['gdms_client_id'],
                'client_secret' => $config->getSecret('gdms_client_secret'),
                'region'        => (string) $f['gdms_region'],
                'base_url'      => ($f['gdms_base_url'] ?? '') !== '' ? (string) $f['gdms_base_url'] : null,
            ];
        }
        if ($clouds['gwn']) {
            $request['gwn'] = [
                'app_id'     => (string) $f['gwn_app_id'],
                'secret_key' => $config->getSecret('gwn_secret'),
                'base_url'   => ($f['gwn_base_url'] ?? '') !== '' ? (string) $f['gwn_base_url'] : null,
            ];
        }
        if (($f['firmware_base_url'] ?? '') !== '') {
            $request['firmware_base_url'] = (string) $f['firmware_base_url'];
        }
        foreach (['gdms_token', 'gwn_token'] as $column) {
            $token = json_decode($config->getSecret($column), true);
            if (is_array($token) && isset($token['cloud'], $token['access_token'], $token['expires_at'])) {
                PluginGdmsintegrationLog::addSecret($token['access_token'] ?? null);
                PluginGdmsintegrationLog::addSecret($token['refresh_token'] ?? null);
                $request['tokens'][] = $token;
            }
        }
        $rows = $DB->request([
            'SELECT' => ['mac', 'serial'],
            'FROM'   => PluginGdmsintegrationStore::DEVICES,
            'WHERE'  => ['entities_id' => (int) $f['entities_id'], 'NOT' => ['mac' => ''], ['serial' => ['!=', '']]],
        ]);
        foreach ($rows as $row) {
            $request['known_serials'][$row['mac']] = $row['serial'];
        }
        if ($request['known_serials'] === []) {
            $request['known_serials'] = new stdClass(); // a JSON object, even when empty
        }
        return $request;
    }

    /**
     * Stores the tokens a fetch used, encrypted, so the next process reuses them.
     *
     * @param list<array<string, mixed>> $tokens
     */
    private static function storeTokens(PluginGdmsintegrationConfig $config, array $tokens): void
    {
        $key = new GLPIKey();
        $update = [];
        foreach ($tokens as $token) {
            PluginGdmsintegrationLog::addSecret($token['access_token'] ?? null);
            PluginGdmsintegrationLog::addSecret($token['refresh_token'] ?? null);
            $column = ($token['cloud'] ?? '') === 'uc' ? 'gdms_token' : 'gwn_token';
            $update[$column] = $key->encrypt(json_encode($token, JSON_THROW_ON_ERROR));
        }
        if ($update !== []) {
            $config->update(['id' => $config->getID()] + $update);
        }
    }

    /**
     * The plan one cycle would apply now, as the readable dry-run summary;
     * nothing is written (tokens excepted, which are only a cache).
     */
    public static function preview(PluginGdmsintegrationConfig $config): string
    {
        $snapshot = PluginGdmsintegrationNative::fetch(self::fetchRequest($config));
        self::storeTokens($config, $snapshot['tokens'] ?? []);
        $plan = PluginGdmsintegrationNative::plan(self::planInput($config, $snapshot, time()));
        return PluginGdmsintegrationNative::planSummary($plan);
    }

    /**
     * One full cycle for one entity: fetch, plan, apply, record. Never runs
     * twice at once for the same entity (a MariaDB named lock); a second
     * caller returns null at once.
     *
     * @return array<string, mixed>|null the cycle's figures, null when skipped
     */
    public static function syncEntity(PluginGdmsintegrationConfig $config, string $source): ?array
    {
        global $DB;
        $entities_id = (int) $config->fields['entities_id'];
        $clouds = $config->configuredClouds();
        if (!$clouds['uc'] && !$clouds['gwn']) {
            PluginGdmsintegrationLog::info(sprintf('sync skipped — no credentials configured for entity %d', $entities_id));
            return null;
        }
        $lock = 'gdmsintegration_sync_' . $entities_id;
        if (!$DB->getLock($lock)) {
            PluginGdmsintegrationLog::info(sprintf('sync skipped — another sync of entity %d is running (source=%s)', $entities_id, $source));
            return null;
        }
        try {
            PluginGdmsintegrationLog::setVerbose((bool) $config->fields['debug_logging']);
            PluginGdmsintegrationLog::info(sprintf('syncEntity called — source=%s entity=%d', $source, $entities_id));
            $started = microtime(true);
            $snapshot = PluginGdmsintegrationNative::fetch(self::fetchRequest($config));
            self::logSources($snapshot);
            self::storeTokens($config, $snapshot['tokens'] ?? []);
            $result = self::applySnapshot($config, $snapshot, time());
            PluginGdmsintegrationDashboard::warmCaches($entities_id, (int) $config->fields['refresh_interval'], time());
            $complete = array_reduce($snapshot['sources'], static fn(bool $ok, array $s): bool => $ok && $s['complete'], true);
            $duration = (int) round((microtime(true) - $started) * 1000);
            $config->update([
                'id'                    => $config->getID(),
                'last_sync_at'          => Session::getCurrentTime(),
                'last_sync_status'      => $complete ? 'ok' : 'partial',
                'last_sync_duration_ms' => $duration,
                'last_sync_devices'     => count($result['plan']['devices']),
            ]);
            $a = $result['applied'];
            PluginGdmsintegrationLog::info(sprintf(
                'Sync summary — entity=%d status=%s devices=%d created=%d filled=%d purged=%d tickets_opened=%d tickets_resolved=%d requests=%d tokens=%d duration=%dms',
                $entities_id,
                $complete ? 'ok' : 'partial',
                $a['devices'],
                $a['created'],
                $a['filled'],
                $a['purged'],
                $a['opened'],
                $a['resolved'],
                (int) ($snapshot['stats']['requests'] ?? 0),
                (int) ($snapshot['stats']['tokens_issued'] ?? 0),
                $duration
            ));
            return $result + ['snapshot' => $snapshot];
        } finally {
            $DB->releaseLock($lock);
        }
    }

    /**
     * One line per source that was not listed completely, with the reason.
     *
     * @param array<string, mixed> $snapshot
     */
    private static function logSources(array $snapshot): void
    {
        foreach ($snapshot['sources'] as $s) {
            if ($s['complete']) {
                continue;
            }
            $failure = $s['failure'] ?? ['kind' => 'unknown'];
            $what = $failure['kind'] . match ($failure['kind']) {
                'http'  => ' ' . $failure['status'],
                'cloud' => sprintf(' %s %s', $failure['code'], $failure['message']),
                'connect', 'token_rejected', 'malformed' => ' ' . ($failure['detail'] ?? ''),
                default => '',
            };
            PluginGdmsintegrationLog::info(sprintf(
                'API ERROR — source %s incomplete: %s%s%s (nothing purged, no ticket from this source)',
                json_encode($s['source']),
                $what,
                ($s['endpoint'] ?? null) ? ' at ' . $s['endpoint'] : '',
                ($s['page'] ?? null) ? ' page ' . $s['page'] : ''
            ));
        }
    }

    /**
     * One sync cycle for every configured entity.
     *
     * @return int 1 when at least one entity was synchronised, 0 when nothing was to do
     */
    public static function cronSyncDevices(CronTask $task): int
    {
        $done = 0;
        foreach ((new PluginGdmsintegrationConfig())->find(['is_active' => 1], 'entities_id') as $row) {
            $config = new PluginGdmsintegrationConfig();
            $config->getFromDB($row['id']);
            try {
                $result = self::syncEntity($config, 'cron');
            } catch (Throwable $e) {
                PluginGdmsintegrationLog::info(sprintf('sync of entity %d failed: %s', $row['entities_id'], $e->getMessage()));
                $task->log(sprintf('entity %d: %s', $row['entities_id'], $e->getMessage()));
                continue;
            }
            if ($result !== null) {
                $done++;
                $task->addVolume(count($result['plan']['devices']));
            }
        }
        return $done > 0 ? 1 : 0;
    }

    /**
     * Runs the re-polls that unsigned webhook events asked for since the last sync.
     *
     * @return int 1 when an entity was re-polled, 0 when none was asked
     */
    public static function cronRepollDevices(CronTask $task): int
    {
        global $DB;
        $rows = $DB->request([
            'SELECT' => ['id'],
            'FROM'   => PluginGdmsintegrationConfig::getTable(),
            'WHERE'  => [
                'is_active' => 1,
                'NOT'       => ['repoll_requested_at' => null],
                'OR'        => [
                    ['last_sync_at' => null],
                    new Glpi\DBAL\QueryExpression(sprintf('%s > %s', $DB::quoteName('repoll_requested_at'), $DB::quoteName('last_sync_at'))),
                ],
            ],
        ]);
        $done = 0;
        foreach ($rows as $row) {
            $config = new PluginGdmsintegrationConfig();
            $config->getFromDB($row['id']);
            if (self::syncEntity($config, 'webhook-repoll') !== null) {
                $done++;
                $task->addVolume(1);
            }
        }
        return $done > 0 ? 1 : 0;
    }
}
