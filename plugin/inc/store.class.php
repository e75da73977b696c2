<?php

/**
 * -------------------------------------------------------------------------
 * GDMS Integration plugin for GLPI
 * -------------------------------------------------------------------------
 * @license   GPL-3.0-or-later https://www.gnu.org/licenses/gpl-3.0.html
 * -------------------------------------------------------------------------
 */

declare(strict_types=1);

use Glpi\DBAL\QueryExpression;

/**
 * Bulk reads of what the engine needs (device rows, the GLPI asset index,
 * model catalogs, open incidents) as the documents of gdms_core::contract::plan.
 * One query per kind of data, whatever the number of devices: no per-device query.
 */
final class PluginGdmsintegrationStore
{
    public const DEVICES = 'glpi_plugin_gdmsintegration_devices';
    public const INCIDENTS = 'glpi_plugin_gdmsintegration_incidents';

    /** Device timestamp columns, exchanged with the engine as epoch seconds. */
    public const DEVICE_TIMES = ['first_seen', 'last_seen', 'last_observed_at', 'status_since'];

    /** Device JSON columns and the document field each one holds. */
    public const DEVICE_JSON = ['sip_json' => 'sip', 'ports_json' => 'ports', 'engine_state_json' => 'engine_state'];

    /** Asset classes the plugin matches and creates, with their model class and column. */
    public const ASSET_TYPES = [
        'Phone'            => ['model' => 'PhoneModel', 'model_fk' => 'phonemodels_id'],
        'NetworkEquipment' => ['model' => 'NetworkEquipmentModel', 'model_fk' => 'networkequipmentmodels_id'],
    ];

    /**
     * Stored device rows of an entity, as DeviceState documents.
     *
     * @param list<string>|null $keys only these device keys (null: all)
     * @return list<array<string, mixed>>
     */
    public static function devices(int $entities_id, ?array $keys = null): array
    {
        global $DB;
        $select = [self::DEVICES . '.*'];
        foreach (self::DEVICE_TIMES as $col) {
            $select[] = new QueryExpression(sprintf('UNIX_TIMESTAMP(%s) AS %s', $DB::quoteName($col), $DB::quoteName("_ts_$col")));
        }
        $out = [];
        $where = ['entities_id' => $entities_id];
        if ($keys !== null) {
            $where['device_key'] = $keys;
        }
        foreach ($DB->request(['SELECT' => $select, 'FROM' => self::DEVICES, 'WHERE' => $where, 'ORDER' => 'id']) as $row) {
            $out[] = self::deviceDocument($row);
        }
        return $out;
    }

    /**
     * @param array<string, mixed> $row
     * @return array<string, mixed>
     */
    private static function deviceDocument(array $row): array
    {
        $doc = $row;
        foreach (self::DEVICE_TIMES as $col) {
            $doc[$col] = $row["_ts_$col"] !== null ? (int) $row["_ts_$col"] : null;
            unset($doc["_ts_$col"]);
        }
        foreach (self::DEVICE_JSON as $col => $field) {
            $decoded = ($row[$col] ?? '') !== '' ? json_decode((string) $row[$col], true) : null;
            $doc[$field] = $decoded ?? ($field === 'sip' ? null : []);
            unset($doc[$col]);
        }
        $doc['mac'] = $row['mac'] !== '' ? $row['mac'] : null;
        $doc['is_stale'] = (bool) $row['is_stale'];
        foreach (['uptime_sec', 'clients', 'upload_bytes', 'download_bytes', 'channel_2g', 'channel_5g'] as $col) {
            $doc[$col] = (int) $row[$col];
        }
        // The stored link: the engine keeps it while the asset exists, without matching again.
        $doc['asset'] = (int) $row['items_id'] > 0 && $row['itemtype'] !== ''
            ? ['kind' => 'existing', 'itemtype' => $row['itemtype'], 'id' => (int) $row['items_id']]
            : null;
        unset($doc['id'], $doc['entities_id'], $doc['itemtype'], $doc['items_id'], $doc['date_creation'], $doc['date_mod']);
        return $doc;
    }

    /**
     * A source key's text form (device rows) as its document form (snapshots).
     *
     * @return array<string, string>
     */
    public static function sourceKeyDocument(string $text): array
    {
        if (str_starts_with($text, 'gwn_network:')) {
            return ['kind' => 'gwn_network', 'network_id' => substr($text, strlen('gwn_network:'))];
        }
        return ['kind' => $text];
    }

    /**
     * Every Phone and NetworkEquipment the devices may match, in all entities
     * (an existing asset is found wherever it lives), with their port MACs.
     *
     * @return list<array<string, mixed>>
     */
    public static function assets(): array
    {
        global $DB;
        $macs = self::portMacs();
        $out = [];
        foreach (self::ASSET_TYPES as $itemtype => $meta) {
            $rows = $DB->request([
                'SELECT' => ['id', 'entities_id', 'name', 'serial', 'otherserial', 'uuid', $meta['model_fk'], 'users_id_tech', 'users_id', 'locations_id'],
                'FROM'   => $itemtype::getTable(),
                'WHERE'  => ['is_deleted' => 0, 'is_template' => 0],
                'ORDER'  => 'id',
            ]);
            foreach ($rows as $row) {
                $out[] = [
                    'itemtype'      => $itemtype,
                    'id'            => (int) $row['id'],
                    'entities_id'   => (int) $row['entities_id'],
                    'name'          => (string) $row['name'],
                    'serial'        => (string) $row['serial'],
                    'otherserial'   => (string) $row['otherserial'],
                    'uuid'          => (string) $row['uuid'],
                    'macs'          => $macs[$itemtype][(int) $row['id']] ?? [],
                    'model_id'      => (int) $row[$meta['model_fk']],
                    'users_id_tech' => (int) $row['users_id_tech'],
                    'users_id'      => (int) $row['users_id'],
                    'locations_id'  => (int) $row['locations_id'],
                ];
            }
        }
        return $out;
    }

    /**
     * MACs of the assets' network ports, where GLPI's inventory keeps them.
     *
     * @return array<string, array<int, list<string>>>
     */
    private static function portMacs(): array
    {
        global $DB;
        if (!$DB->tableExists('glpi_networkports')) {
            return [];
        }
        $out = [];
        $rows = $DB->request([
            'SELECT' => ['itemtype', 'items_id', 'mac'],
            'FROM'   => 'glpi_networkports',
            'WHERE'  => ['itemtype' => array_keys(self::ASSET_TYPES), 'is_deleted' => 0, 'NOT' => ['mac' => null], ['mac' => ['!=', '']]],
        ]);
        foreach ($rows as $row) {
            $out[$row['itemtype']][(int) $row['items_id']][] = (string) $row['mac'];
        }
        return $out;
    }

    /**
     * Model catalogs: the cloud model string is matched against these names; models are never created.
     *
     * @return list<array{itemtype: string, id: int, name: string}>
     */
    public static function models(): array
    {
        global $DB;
        $out = [];
        foreach (self::ASSET_TYPES as $itemtype => $meta) {
            foreach ($DB->request(['SELECT' => ['id', 'name'], 'FROM' => $meta['model']::getTable(), 'ORDER' => 'id']) as $row) {
                $out[] = ['itemtype' => $itemtype, 'id' => (int) $row['id'], 'name' => (string) $row['name']];
            }
        }
        return $out;
    }

    /**
     * Open plugin incidents of an entity, with whether their ticket is still open.
     *
     * @param list<string>|null $keys only these devices (null: all)
     * @return list<array<string, mixed>>
     */
    public static function openIncidents(int $entities_id, ?array $keys = null): array
    {
        global $DB;
        $rows = $DB->request([
            'SELECT'    => [
                self::INCIDENTS . '.id', self::INCIDENTS . '.device_key', self::INCIDENTS . '.port_key', self::INCIDENTS . '.kind',
                self::INCIDENTS . '.tickets_id', 'glpi_tickets.status', 'glpi_tickets.is_deleted',
                new QueryExpression(sprintf('UNIX_TIMESTAMP(%s) AS %s', $DB::quoteName(self::INCIDENTS . '.opened_at'), $DB::quoteName('opened_ts'))),
            ],
            'FROM'      => self::INCIDENTS,
            'LEFT JOIN' => ['glpi_tickets' => ['ON' => [self::INCIDENTS => 'tickets_id', 'glpi_tickets' => 'id']]],
            'WHERE'     => [self::INCIDENTS . '.entities_id' => $entities_id, self::INCIDENTS . '.open_guard' => 1]
                + ($keys !== null ? [self::INCIDENTS . '.device_key' => $keys] : []),
            'ORDER'     => self::INCIDENTS . '.id',
        ]);
        $out = [];
        foreach ($rows as $row) {
            $out[] = [
                'id'          => (int) $row['id'],
                'device_key'  => $row['device_key'],
                'port_key'    => (string) $row['port_key'],
                'kind'        => $row['kind'],
                'tickets_id'  => (int) $row['tickets_id'],
                'ticket_open' => $row['status'] !== null && !$row['is_deleted']
                    && in_array((int) $row['status'], Ticket::getNotSolvedStatusArray(), true),
                'opened_at'   => (int) $row['opened_ts'],
            ];
        }
        return $out;
    }
}
