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
 * The plugin's database schema at PLUGIN_GDMSINTEGRATION_SCHEMA_VERSION, in
 * one place: the installer creates what is missing from it, and the install
 * test compares the live database with it.
 *
 * Column definitions follow GLPI's conventions: unsigned integer keys (per
 * DBConnection::getDefaultPrimaryKeySignOption()), `timestamp NULL` dates,
 * `tinyint` booleans, InnoDB with the instance's default charset/collation.
 */
final class PluginGdmsintegrationSchema
{
    /**
     * Every table: name => ['columns' => [name => definition], 'keys' => [name => [type, columns]]].
     * Definitions may contain `{sign}`, replaced by the instance's key sign option.
     *
     * @return array<string, array{columns: array<string, string>, keys: array<string, array{0: string, 1: list<string>}>}>
     */
    public static function tables(): array
    {
        $fkey = 'int {sign} NOT NULL DEFAULT 0';
        $bool_on = 'tinyint NOT NULL DEFAULT 1';
        $bool_off = 'tinyint NOT NULL DEFAULT 0';
        $date = 'timestamp NULL DEFAULT NULL';
        $str = 'varchar(255) NOT NULL DEFAULT \'\'';

        return [
            // One row per entity: credentials (encrypted), behaviour, last sync.
            'glpi_plugin_gdmsintegration_configs' => [
                'columns' => [
                    'id'                          => 'int {sign} NOT NULL AUTO_INCREMENT',
                    'entities_id'                 => $fkey,
                    'is_active'                   => $bool_on,
                    'gdms_region'                 => "varchar(8) NOT NULL DEFAULT 'us'",
                    'gdms_username'               => $str,
                    'gdms_password'               => 'text',
                    'gdms_client_id'              => $str,
                    'gdms_client_secret'          => 'text',
                    'gwn_app_id'                  => $str,
                    'gwn_secret'                  => 'text',
                    'gdms_base_url'               => $str,
                    'gwn_base_url'                => $str,
                    'firmware_base_url'           => $str,
                    'webhook_secret'              => 'text',
                    'gdms_token'                  => 'text',
                    'gwn_token'                   => 'text',
                    'refresh_interval'            => 'int {sign} NOT NULL DEFAULT 300',
                    'debug_logging'               => $bool_off,
                    'availability_days'           => 'smallint unsigned NOT NULL DEFAULT 60',
                    'users_id_requester'          => $fkey,
                    'show_topology'               => $bool_on,
                    'tickets_phone'               => $bool_on,
                    'tickets_router'              => $bool_on,
                    'tickets_switch'              => $bool_on,
                    'tickets_ap'                  => $bool_on,
                    'tickets_pbx'                 => $bool_on,
                    'wan_tickets_enabled'         => $bool_on,
                    'wan_debounce_seconds'        => 'int {sign} NOT NULL DEFAULT 300',
                    'debounce_cycles'             => 'tinyint unsigned NOT NULL DEFAULT 1',
                    'itilcategories_id_network'   => $fkey,
                    'itilcategories_id_telephony' => $fkey,
                    'last_sync_at'                => $date,
                    'repoll_requested_at'         => $date,
                    'last_sync_status'            => "varchar(20) NOT NULL DEFAULT ''",
                    'last_sync_duration_ms'       => 'int {sign} NOT NULL DEFAULT 0',
                    'last_sync_devices'           => 'int {sign} NOT NULL DEFAULT 0',
                    'date_creation'               => $date,
                    'date_mod'                    => $date,
                ],
                'keys' => [
                    'PRIMARY'     => ['PRIMARY KEY', ['id']],
                    'entities_id' => ['UNIQUE', ['entities_id']],
                ],
            ],
            // Last known state of each cloud device, keyed per entity by MAC (else serial).
            'glpi_plugin_gdmsintegration_devices' => [
                'columns' => [
                    'id'                 => 'int {sign} NOT NULL AUTO_INCREMENT',
                    'entities_id'        => $fkey,
                    'device_key'         => "varchar(120) NOT NULL DEFAULT ''",
                    'cloud'              => "varchar(8) NOT NULL DEFAULT ''",
                    'source_key'         => $str,
                    'mac'                => "varchar(17) NOT NULL DEFAULT ''",
                    'serial'             => $str,
                    'itemtype'           => "varchar(100) NOT NULL DEFAULT ''",
                    'items_id'           => $fkey,
                    'name'               => $str,
                    'model'              => $str,
                    'category'           => "varchar(20) NOT NULL DEFAULT ''",
                    'status'             => "varchar(20) NOT NULL DEFAULT ''",
                    'is_stale'           => $bool_off,
                    'network_id'         => "varchar(64) NOT NULL DEFAULT ''",
                    'network_name'       => $str,
                    'public_ip'          => "varchar(64) NOT NULL DEFAULT ''",
                    'private_ip'         => "varchar(64) NOT NULL DEFAULT ''",
                    'ipv6'               => "varchar(64) NOT NULL DEFAULT ''",
                    'firmware'           => "varchar(50) NOT NULL DEFAULT ''",
                    'firmware_latest'    => "varchar(50) NOT NULL DEFAULT ''",
                    // Last upgrade asked from the dashboard: shown as scheduled/updating while
                    // the device still reports upgrade_from (Dashboard::pendingUpgrade()).
                    'upgrade_from'       => "varchar(50) NOT NULL DEFAULT ''",
                    'upgrade_version'    => "varchar(50) NOT NULL DEFAULT ''",
                    'upgrade_at'         => $date,
                    'uptime_sec'         => 'bigint unsigned NOT NULL DEFAULT 0',
                    'clients'            => 'int unsigned NOT NULL DEFAULT 0',
                    'upload_bytes'       => 'bigint unsigned NOT NULL DEFAULT 0',
                    'download_bytes'     => 'bigint unsigned NOT NULL DEFAULT 0',
                    'channel_2g'         => 'smallint unsigned NOT NULL DEFAULT 0',
                    'channel_5g'         => 'smallint unsigned NOT NULL DEFAULT 0',
                    'location'           => $str,
                    'first_seen'         => $date,
                    'last_seen'          => $date,
                    'last_observed_at'   => $date,
                    'status_since'       => $date,
                    'sip_json'           => 'text',
                    'ports_json'         => 'mediumtext',
                    'engine_state_json'  => 'text',
                    'date_creation'      => $date,
                    'date_mod'           => $date,
                ],
                'keys' => [
                    'PRIMARY'    => ['PRIMARY KEY', ['id']],
                    'unicity'    => ['UNIQUE', ['entities_id', 'device_key']],
                    'item'       => ['INDEX', ['itemtype', 'items_id']],
                    'status'     => ['INDEX', ['status']],
                    'network_id' => ['INDEX', ['network_id']],
                ],
            ],
            // One sample per device per sync cycle; kept for the configured window only.
            'glpi_plugin_gdmsintegration_samples' => [
                'columns' => [
                    'id'          => 'bigint unsigned NOT NULL AUTO_INCREMENT',
                    'entities_id' => $fkey,
                    'device_key'  => "varchar(120) NOT NULL DEFAULT ''",
                    'is_online'   => $bool_off,
                    'date'        => $date,
                ],
                'keys' => [
                    'PRIMARY' => ['PRIMARY KEY', ['id']],
                    'device'  => ['INDEX', ['entities_id', 'device_key', 'date']],
                    'date'    => ['INDEX', ['date']],
                ],
            ],
            // Daily roll-ups: availability over N days is a sum over at most N rows per device.
            'glpi_plugin_gdmsintegration_dailies' => [
                'columns' => [
                    'id'               => 'int {sign} NOT NULL AUTO_INCREMENT',
                    'entities_id'      => $fkey,
                    'device_key'       => "varchar(120) NOT NULL DEFAULT ''",
                    'day'              => 'date NOT NULL',
                    'online_seconds'   => 'int unsigned NOT NULL DEFAULT 0',
                    'observed_seconds' => 'int unsigned NOT NULL DEFAULT 0',
                ],
                'keys' => [
                    'PRIMARY' => ['PRIMARY KEY', ['id']],
                    'unicity' => ['UNIQUE', ['entities_id', 'device_key', 'day']],
                    'day'     => ['INDEX', ['day']],
                ],
            ],
            // Dashboard cache: per device, the roll-up sums of the availability window ending on
            // `through_day` (kept only on the row with device_key ''), slid one closed day at a
            // time, so a page view reads one row per device whatever the window (365 or 7 days).
            'glpi_plugin_gdmsintegration_availsums' => [
                'columns' => [
                    'id'               => 'int {sign} NOT NULL AUTO_INCREMENT',
                    'entities_id'      => $fkey,
                    'window_days'      => 'smallint unsigned NOT NULL DEFAULT 0',
                    'device_key'       => "varchar(120) NOT NULL DEFAULT ''",
                    'through_day'      => 'date DEFAULT NULL',
                    'online_seconds'   => 'bigint NOT NULL DEFAULT 0',
                    'observed_seconds' => 'bigint NOT NULL DEFAULT 0',
                ],
                'keys' => [
                    'PRIMARY' => ['PRIMARY KEY', ['id']],
                    'unicity' => ['UNIQUE', ['entities_id', 'window_days', 'device_key']],
                ],
            ],
            // Dashboard cache: official and beta firmware of UC models from the public firmware pages
            // (looked up at most once a day per model, never on a page view's critical path).
            'glpi_plugin_gdmsintegration_firmwares' => [
                'columns' => [
                    'id'                => 'int {sign} NOT NULL AUTO_INCREMENT',
                    'model'             => "varchar(64) NOT NULL DEFAULT ''",
                    'version'           => "varchar(50) NOT NULL DEFAULT ''",
                    'download_url'      => $str,
                    'beta_version'      => "varchar(50) NOT NULL DEFAULT ''",
                    'beta_download_url' => $str,
                    'checked_at'        => $date,
                ],
                'keys' => [
                    'PRIMARY' => ['PRIMARY KEY', ['id']],
                    'model'   => ['UNIQUE', ['model']],
                ],
            ],
            // Dashboard cache: fleet roll-up totals of each closed day (the availability chart).
            'glpi_plugin_gdmsintegration_fleetdays' => [
                'columns' => [
                    'id'               => 'int {sign} NOT NULL AUTO_INCREMENT',
                    'entities_id'      => $fkey,
                    'day'              => 'date NOT NULL',
                    'online_seconds'   => 'bigint unsigned NOT NULL DEFAULT 0',
                    'observed_seconds' => 'bigint unsigned NOT NULL DEFAULT 0',
                ],
                'keys' => [
                    'PRIMARY' => ['PRIMARY KEY', ['id']],
                    'unicity' => ['UNIQUE', ['entities_id', 'day']],
                ],
            ],
            // Topology edges between devices (uplinks, phone -> PBX).
            'glpi_plugin_gdmsintegration_links' => [
                'columns' => [
                    'id'          => 'int {sign} NOT NULL AUTO_INCREMENT',
                    'entities_id' => $fkey,
                    'source_key'  => "varchar(120) NOT NULL DEFAULT ''",
                    'target_key'  => "varchar(120) NOT NULL DEFAULT ''",
                    'type'        => "varchar(20) NOT NULL DEFAULT ''",
                ],
                'keys' => [
                    'PRIMARY' => ['PRIMARY KEY', ['id']],
                    'unicity' => ['UNIQUE', ['entities_id', 'source_key', 'target_key', 'type']],
                ],
            ],
            // Incidents the plugin opened. `open_guard` is 1 while open and NULL once
            // resolved, so the unique key allows one open incident per device and
            // port (port_key '' = the device itself) even under concurrent runs.
            'glpi_plugin_gdmsintegration_incidents' => [
                'columns' => [
                    'id'          => 'int {sign} NOT NULL AUTO_INCREMENT',
                    'entities_id' => $fkey,
                    'device_key'  => "varchar(120) NOT NULL DEFAULT ''",
                    'port_key'    => "varchar(64) NOT NULL DEFAULT ''",
                    'kind'        => "varchar(30) NOT NULL DEFAULT ''",
                    'tickets_id'  => $fkey,
                    'open_guard'  => 'tinyint DEFAULT NULL',
                    'opened_at'   => $date,
                    'resolved_at' => $date,
                    'details'     => 'text',
                ],
                'keys' => [
                    'PRIMARY'    => ['PRIMARY KEY', ['id']],
                    'one_open'   => ['UNIQUE', ['entities_id', 'device_key', 'port_key', 'open_guard']],
                    'tickets_id' => ['INDEX', ['tickets_id']],
                    'opened_at'  => ['INDEX', ['opened_at']],
                ],
            ],
            // Chatwoot, one row per entity: account, API token and webhook secret (encrypted), ticket defaults.
            'glpi_plugin_gdmsintegration_chatwootconfigs' => [
                'columns' => [
                    'id'                => 'int {sign} NOT NULL AUTO_INCREMENT',
                    'entities_id'       => $fkey,
                    'is_active'         => $bool_off,
                    'base_url'          => $str,
                    'account_id'        => 'int unsigned NOT NULL DEFAULT 0',
                    'api_token'         => 'text',
                    'webhook_secret'    => 'text',
                    'sync_type'         => "varchar(10) NOT NULL DEFAULT 'user'",
                    'ticket_type'       => 'int NOT NULL DEFAULT 1',
                    'tickets_entity' => 'int NOT NULL DEFAULT -1', // -1: the configuration's own entity (not a key: GLPI flags signed keys)
                    'itilcategories_id' => $fkey,
                    'users_id_followup' => $fkey,
                    'last_test_status'  => "varchar(10) NOT NULL DEFAULT ''",
                    'last_test_message' => $str,
                    'last_test_at'      => $date,
                    'date_creation'     => $date,
                    'date_mod'          => $date,
                ],
                'keys' => [
                    'PRIMARY'     => ['PRIMARY KEY', ['id']],
                    'entities_id' => ['UNIQUE', ['entities_id']],
                ],
            ],
            // Chatwoot contact <-> GLPI User or Contact.
            'glpi_plugin_gdmsintegration_chatwootcontacts' => [
                'columns' => [
                    'id'            => 'int {sign} NOT NULL AUTO_INCREMENT',
                    'entities_id'   => $fkey,
                    'contact_id'    => 'int unsigned NOT NULL DEFAULT 0',
                    'itemtype'      => "varchar(100) NOT NULL DEFAULT ''",
                    'items_id'      => $fkey,
                    'date_creation' => $date,
                    'date_mod'      => $date,
                ],
                'keys' => [
                    'PRIMARY' => ['PRIMARY KEY', ['id']],
                    'unicity' => ['UNIQUE', ['entities_id', 'contact_id', 'itemtype']],
                    'item'    => ['INDEX', ['itemtype', 'items_id']],
                ],
            ],
            // One ticket per conversation (display id): the row is claimed before the ticket is made.
            'glpi_plugin_gdmsintegration_chatwootconversations' => [
                'columns' => [
                    'id'              => 'int {sign} NOT NULL AUTO_INCREMENT',
                    'entities_id'     => $fkey,
                    'conversation_id' => 'int unsigned NOT NULL DEFAULT 0',
                    'contact_id'      => 'int unsigned NOT NULL DEFAULT 0',
                    'tickets_id'      => $fkey,
                    'status'          => "varchar(20) NOT NULL DEFAULT ''",
                    'priority'        => "varchar(20) NOT NULL DEFAULT ''",
                    'updated_at_ms'   => 'bigint NOT NULL DEFAULT 0',
                    'date_creation'   => $date,
                    'date_mod'        => $date,
                ],
                'keys' => [
                    'PRIMARY'    => ['PRIMARY KEY', ['id']],
                    'unicity'    => ['UNIQUE', ['entities_id', 'conversation_id']],
                    'tickets_id' => ['INDEX', ['tickets_id']],
                ],
            ],
            // Every Chatwoot message seen or posted, once: in = imported (or used as the
            // ticket description, or skipped), out = posted by the plugin (never imported back).
            'glpi_plugin_gdmsintegration_chatwootmessages' => [
                'columns' => [
                    'id'               => 'int {sign} NOT NULL AUTO_INCREMENT',
                    'entities_id'      => $fkey,
                    'message_id'       => 'int unsigned NOT NULL DEFAULT 0',
                    'conversation_id'  => 'int unsigned NOT NULL DEFAULT 0',
                    'tickets_id'       => $fkey,
                    'itilfollowups_id' => $fkey,
                    'direction'        => "varchar(3) NOT NULL DEFAULT 'in'",
                    'role'             => "varchar(20) NOT NULL DEFAULT ''",
                    'date_creation'    => $date,
                ],
                'keys' => [
                    'PRIMARY'    => ['PRIMARY KEY', ['id']],
                    'unicity'    => ['UNIQUE', ['entities_id', 'message_id']],
                    'tickets_id' => ['INDEX', ['tickets_id']],
                ],
            ],
            // GLPI -> Chatwoot: followups, solutions and resolutions to send, retried by the ChatwootSend task.
            'glpi_plugin_gdmsintegration_chatwootqueues' => [
                'columns' => [
                    'id'                  => 'int {sign} NOT NULL AUTO_INCREMENT',
                    'entities_id'         => $fkey,
                    'tickets_id'          => $fkey,
                    'conversation_id'     => 'int unsigned NOT NULL DEFAULT 0',
                    'kind'                => "varchar(10) NOT NULL DEFAULT ''",
                    'itemtype'            => "varchar(100) NOT NULL DEFAULT ''",
                    'items_id'            => $fkey,
                    'content'             => 'mediumtext',
                    'is_private'          => $bool_off,
                    'status_value'        => "varchar(20) NOT NULL DEFAULT ''",
                    'state'               => "varchar(10) NOT NULL DEFAULT 'pending'",
                    'attempts'            => 'int unsigned NOT NULL DEFAULT 0',
                    'next_attempt_at'     => $date,
                    'last_error'          => $str,
                    'chatwoot_message_id' => 'int unsigned NOT NULL DEFAULT 0',
                    'date_creation'       => $date,
                    'date_mod'            => $date,
                ],
                'keys' => [
                    'PRIMARY' => ['PRIMARY KEY', ['id']],
                    'unicity' => ['UNIQUE', ['kind', 'itemtype', 'items_id']],
                    'due'     => ['INDEX', ['state', 'next_attempt_at']],
                ],
            ],
            // Outgoing webhook subscriptions (Tools > GDMS Integration > Webhooks). `secret` and
            // `secret_previous` are GLPIKey-encrypted; the previous secret also signs until
            // `secret_previous_until` after a rotation.
            'glpi_plugin_gdmsintegration_subscriptions' => [
                'columns' => [
                    'id'                    => 'int {sign} NOT NULL AUTO_INCREMENT',
                    'name'                  => $str,
                    'url'                   => 'text',
                    'event_type'            => "varchar(40) NOT NULL DEFAULT ''",
                    'is_active'             => $bool_on,
                    'secret'                => 'text',
                    'secret_previous'       => 'text',
                    'secret_previous_until' => $date,
                    'itilcategories_id'     => $fkey,
                    'title_regex'           => "varchar(500) NOT NULL DEFAULT ''",
                    'failures'              => 'int unsigned NOT NULL DEFAULT 0',
                    'deactivation_reason'   => "varchar(20) NOT NULL DEFAULT ''",
                    'deactivated_at'        => $date,
                    'comment'               => 'text',
                    'date_creation'         => $date,
                    'date_mod'              => $date,
                ],
                'keys' => [
                    'PRIMARY'    => ['PRIMARY KEY', ['id']],
                    'event_type' => ['INDEX', ['event_type', 'is_active']],
                ],
            ],
            // One body per captured event, shared by every matching subscription.
            'glpi_plugin_gdmsintegration_outgoingevents' => [
                'columns' => [
                    'id'            => 'bigint unsigned NOT NULL AUTO_INCREMENT',
                    'event_type'    => "varchar(40) NOT NULL DEFAULT ''",
                    'message_id'    => "varchar(64) NOT NULL DEFAULT ''",
                    'chain'         => "varchar(150) NOT NULL DEFAULT ''",
                    'body'          => 'mediumtext',
                    'date_creation' => $date,
                ],
                'keys' => [
                    'PRIMARY'       => ['PRIMARY KEY', ['id']],
                    'message_id'    => ['UNIQUE', ['message_id']],
                    'date_creation' => ['INDEX', ['date_creation']],
                ],
            ],
            // One row per (event, subscription): state pending -> delivered | dead.
            'glpi_plugin_gdmsintegration_outgoingqueues' => [
                'columns' => [
                    'id'                => 'bigint unsigned NOT NULL AUTO_INCREMENT',
                    'subscriptions_id'  => $fkey,
                    'outgoingevents_id' => 'bigint unsigned NOT NULL DEFAULT 0',
                    'chain'             => "varchar(150) NOT NULL DEFAULT ''",
                    'state'             => "varchar(10) NOT NULL DEFAULT 'pending'",
                    'attempts'          => 'int unsigned NOT NULL DEFAULT 0',
                    'next_attempt_at'   => $date,
                    'last_status'       => 'smallint unsigned NOT NULL DEFAULT 0',
                    'last_error'        => $str,
                    'date_creation'     => $date,
                    'date_mod'          => $date,
                ],
                'keys' => [
                    'PRIMARY'           => ['PRIMARY KEY', ['id']],
                    'due'               => ['INDEX', ['state', 'next_attempt_at']],
                    'chain'             => ['INDEX', ['subscriptions_id', 'chain', 'state']],
                    'outgoingevents_id' => ['INDEX', ['outgoingevents_id']],
                ],
            ],
            // Every delivery attempt: status, duration, first 4 KiB of the response.
            'glpi_plugin_gdmsintegration_outgoingattempts' => [
                'columns' => [
                    'id'                => 'bigint unsigned NOT NULL AUTO_INCREMENT',
                    'outgoingqueues_id' => 'bigint unsigned NOT NULL DEFAULT 0',
                    'subscriptions_id'  => $fkey,
                    'attempt'           => 'int unsigned NOT NULL DEFAULT 0',
                    'sent_at'           => $date,
                    'status'            => 'smallint unsigned NOT NULL DEFAULT 0',
                    'duration_ms'       => 'int unsigned NOT NULL DEFAULT 0',
                    'outcome'           => "varchar(12) NOT NULL DEFAULT ''",
                    'error'             => $str,
                    'response'          => 'text',
                ],
                'keys' => [
                    'PRIMARY'           => ['PRIMARY KEY', ['id']],
                    'subscription'      => ['INDEX', ['subscriptions_id', 'sent_at']],
                    'outgoingqueues_id' => ['INDEX', ['outgoingqueues_id']],
                    'sent_at'           => ['INDEX', ['sent_at']],
                ],
            ],
        ];
    }

    /**
     * CREATE TABLE statement for one table of tables(), with the instance's defaults.
     */
    public static function createStatement(string $table, string $charset, string $collation, string $sign): string
    {
        $def = self::tables()[$table];
        $lines = [];
        foreach ($def['columns'] as $name => $type) {
            $lines[] = sprintf('`%s` %s', $name, self::resolve($type, $sign));
        }
        foreach ($def['keys'] as $name => [$kind, $columns]) {
            $cols = implode(', ', array_map(static fn(string $c): string => "`$c`", $columns));
            $lines[] = match ($kind) {
                'PRIMARY KEY' => "PRIMARY KEY ($cols)",
                'UNIQUE'      => "UNIQUE KEY `$name` ($cols)",
                default       => "KEY `$name` ($cols)",
            };
        }
        return sprintf(
            "CREATE TABLE `%s` (\n  %s\n) ENGINE=InnoDB DEFAULT CHARSET=%s COLLATE=%s ROW_FORMAT=DYNAMIC",
            $table,
            implode(",\n  ", $lines),
            $charset,
            $collation
        );
    }

    /**
     * A column definition with the key sign option filled in.
     */
    public static function resolve(string $type, string $sign): string
    {
        return trim(preg_replace('/\s+/', ' ', str_replace('{sign}', $sign, $type)));
    }
}
