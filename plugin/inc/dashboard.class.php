<?php

/**
 * -------------------------------------------------------------------------
 * GDMS Integration plugin for GLPI
 * -------------------------------------------------------------------------
 * @license   GPL-3.0-or-later https://www.gnu.org/licenses/gpl-3.0.html
 * -------------------------------------------------------------------------
 */

declare(strict_types=1);

use Glpi\Application\View\TemplateRenderer;

/**
 * The NOC dashboard (Tools > GDMS Integration): page, data, firmware and
 * sync actions. Everything is read from the STORED state the sync wrote;
 * a page view never calls a cloud. Figures (cards, availability, tiers,
 * table page, port states, chart) are computed by the extension
 * (gdms_core::contract::dashboard) over what the user's entities hold.
 */
final class PluginGdmsintegrationDashboard
{
    public const DEVICES = 'glpi_plugin_gdmsintegration_devices';
    public const DAILIES = 'glpi_plugin_gdmsintegration_dailies';
    public const LINKS = 'glpi_plugin_gdmsintegration_links';
    public const CONFIGS = 'glpi_plugin_gdmsintegration_configs';
    public const AVAILSUMS = 'glpi_plugin_gdmsintegration_availsums';
    public const FLEETDAYS = 'glpi_plugin_gdmsintegration_fleetdays';
    public const FIRMWARES = 'glpi_plugin_gdmsintegration_firmwares';

    /** Seconds a looked-up official firmware version is trusted. */
    public const FIRMWARE_TTL = 86400;

    /** A cached window older than this many days is rebuilt instead of slid. */
    private const SLIDE_MAX_DAYS = 14;

    /** Seconds after its due time an asked upgrade is still shown as under way. */
    public const UPGRADE_GRACE = 3600;

    /** Minimum seconds between two "Sync now" of one entity. */
    public const SYNC_MIN_INTERVAL = 60;

    /** Most nodes the topology draws. */
    public const TOPOLOGY_MAX_NODES = 1500;

    /** Columns sent to the extension and the browser. */
    private const COLUMNS = [
        'id', 'entities_id', 'device_key', 'cloud', 'name', 'itemtype', 'items_id', 'model', 'category',
        'status', 'network_id', 'network_name', 'public_ip', 'private_ip', 'ipv6', 'mac', 'serial', 'firmware',
        'firmware_latest', 'uptime_sec', 'clients', 'upload_bytes', 'download_bytes', 'channel_2g', 'channel_5g',
        'first_seen', 'last_seen',
    ];

    private const INT_COLUMNS = ['id', 'entities_id', 'items_id', 'uptime_sec', 'clients', 'upload_bytes', 'download_bytes', 'channel_2g', 'channel_5g'];

    /** Query parameters of the table and their allowed values (null = free text). */
    private const SORTS = ['', 'name', 'type', 'model', 'network', 'ip', 'mac', 'serial', 'firmware', 'uptime', 'status', 'clients', 'availability', 'sla'];

    /**
     * The table query from request parameters, normalised.
     *
     * @param array<string, mixed> $params
     * @return array{search: string, status: string, category: string, network: string, sort: string, dir: string, page: int, per_page: int}
     */
    public static function query(array $params): array
    {
        $pick = static fn(string $k, array $allowed, string $default): string
            => isset($params[$k]) && in_array((string) $params[$k], $allowed, true) ? (string) $params[$k] : $default;
        return [
            'search'   => mb_substr(trim((string) ($params['search'] ?? '')), 0, 100),
            'status'   => $pick('status', ['all', 'online', 'offline'], 'all'),
            'category' => $pick('category', ['all', 'network', 'telephony', 'router', 'switch', 'ap', 'phone', 'pbx', 'unknown'], 'all'),
            'network'  => mb_substr((string) ($params['network'] ?? ''), 0, 255),
            'sort'     => $pick('sort', self::SORTS, ''),
            'dir'      => $pick('dir', ['asc', 'desc'], 'asc'),
            'page'     => max(1, (int) ($params['page'] ?? 1)),
            'per_page' => min(500, max(10, (int) ($params['per_page'] ?? 50))),
        ];
    }

    /**
     * The entities whose devices the current user may see.
     *
     * @return list<int>
     */
    public static function visibleEntities(): array
    {
        return array_values(array_unique(array_map('intval', Session::getActiveEntities())));
    }

    /**
     * Settings over the visible entities' configurations: the longest
     * availability window, the shortest refresh interval, whether any shows
     * the topology, and the latest sync.
     *
     * @param list<int> $entities
     * @return array{configured: bool, window_days: int, refresh_interval: int, max_refresh_interval: int, show_topology: bool, last_sync_at: ?string}
     */
    public static function settings(array $entities): array
    {
        global $DB;
        $out = ['configured' => false, 'window_days' => 60, 'refresh_interval' => 300, 'max_refresh_interval' => 300, 'show_topology' => false, 'last_sync_at' => null];
        if ($entities === []) {
            return $out;
        }
        $windows = [];
        $refresh = [];
        foreach ($DB->request(['FROM' => self::CONFIGS, 'WHERE' => ['entities_id' => $entities]]) as $row) {
            $out['configured'] = true;
            $windows[] = (int) $row['availability_days'];
            $refresh[] = (int) $row['refresh_interval'];
            $out['show_topology'] = $out['show_topology'] || (int) $row['show_topology'] === 1;
            if (($row['last_sync_at'] ?? null) !== null && ($out['last_sync_at'] === null || $row['last_sync_at'] > $out['last_sync_at'])) {
                $out['last_sync_at'] = (string) $row['last_sync_at'];
            }
        }
        if ($windows !== []) {
            $out['window_days'] = max(1, min(365, max($windows)));
            $out['refresh_interval'] = max(30, min($refresh));
            $out['max_refresh_interval'] = max(30, max($refresh));
        }
        return $out;
    }

    /**
     * Everything the page shows, for the entities given: one read of the
     * device rows, ONE grouped read of the daily roll-ups inside the window,
     * one grouped read per day for the chart, the stored ports of the page's
     * rows only, then the extension.
     *
     * @param array<string, mixed> $query from query()
     * @param list<int> $entities
     * @return array<string, mixed>
     */
    public static function data(array $query, array $entities, ?int $now = null): array
    {
        global $DB;
        $now ??= time();
        $settings = self::settings($entities);
        $input = [
            'now'          => $now,
            'window_days'  => $settings['window_days'],
            'query'        => $query,
            'devices'      => [],
            'availability' => [],
            'daily'        => [],
        ];
        if ($entities !== []) {
            foreach ($DB->request(['SELECT' => self::COLUMNS, 'FROM' => self::DEVICES, 'WHERE' => ['entities_id' => $entities]]) as $row) {
                foreach (self::INT_COLUMNS as $c) {
                    $row[$c] = (int) $row[$c];
                }
                foreach ($row as $c => $v) {
                    $row[$c] ??= '';
                }
                $input['devices'][] = $row;
            }
            [$input['availability'], $input['daily']] = self::rollupParts($entities, $settings['window_days'], $now, $settings['max_refresh_interval']);
        }
        $out = PluginGdmsintegrationNative::dashboard($input);

        // Of the page's rows only: stored ports (routers and switches) and asked upgrades.
        $ids = array_map(static fn(array $r): int => (int) $r['id'], $out['rows']);
        $stored = [];
        $pending = [];
        if ($ids !== []) {
            foreach (
                $DB->request([
                    'SELECT' => ['id', 'category', 'ports_json', 'firmware', 'upgrade_from', 'upgrade_version', 'upgrade_at'],
                    'FROM'   => self::DEVICES,
                    'WHERE'  => ['id' => $ids, 'entities_id' => $entities],
                ]) as $row
            ) {
                if (in_array($row['category'], ['router', 'switch'], true) && (string) ($row['ports_json'] ?? '') !== '') {
                    $stored[(string) $row['id']] = (string) $row['ports_json'];
                }
                $pending[(int) $row['id']] = self::pendingUpgrade($row, $now);
            }
        }
        $ports = $stored === [] ? [] : PluginGdmsintegrationNative::dashboardPorts($stored);
        $models = self::catalogModels($out['rows']);
        foreach ($out['rows'] as &$r) {
            $r['model'] = $models[$r['itemtype'] . ':' . $r['items_id']] ?? $r['model'];
            $r['ports'] = $ports[(string) $r['id']] ?? [];
            $r['asset_url'] = self::assetUrl((string) $r['itemtype'], (int) $r['items_id']);
            $r['upgrade'] = $pending[(int) $r['id']] ?? null;
        }
        unset($r);
        foreach ($out['critical_offline'] as &$c) {
            $c['asset_url'] = self::assetUrl((string) $c['itemtype'], (int) $c['items_id']);
        }
        unset($c);
        $out['window_days'] = $settings['window_days'];
        $out['refresh_interval'] = $settings['refresh_interval'];
        $out['last_sync_at'] = $settings['last_sync_at'];
        $out['configured'] = $settings['configured'];
        $out['query'] = $query;
        return $out;
    }

    private static function dayString(int $day): string
    {
        return gmdate('Y-m-d', $day * 86400);
    }

    private static function dayNumber(?string $date): ?int
    {
        return $date === null || $date === '' ? null : intdiv((int) strtotime($date . ' 00:00:00 UTC'), 86400);
    }

    /**
     * Roll-up sums of every device over the window ending today, in parts the
     * extension adds up, and the fleet's totals per day (the chart). A sync
     * adds to the days its interval covers, at most twice the refresh
     * interval back: days before that are closed and their sums come from
     * caches, slid one day at a time; the open days (two with the default
     * refresh interval) come from the roll-ups themselves. A page view reads
     * one cached row per device, at most one cached row per day of the window
     * and the open days' roll-ups, whatever the window.
     *
     * @param list<int> $entities
     * @return array{0: list<array{0: int, 1: string, 2: int, 3: int}>, 1: list<array{0: string, 1: int, 2: int}>}
     */
    public static function rollupParts(array $entities, int $window, int $now, int $max_refresh = 300): array
    {
        global $DB;
        $today = intdiv($now, 86400);
        $closed = $today - 1 - (int) ceil(2 * max(30, $max_refresh) / 86400);
        $first = $today - $window + 1;
        $parts = [];
        $days = [];
        $raw_from = $first;
        foreach ($entities as $e) {
            if ($closed < $first + 1) {
                break; // the window is (almost) all open days
            }
            $raw_from = $closed + 1;
            if (!self::slideWindowCache($e, $window, $closed, $today - $closed)) {
                $raw_from = $first; // cache being built by another request: read the window itself
                break;
            }
        }
        if ($raw_from > $first) {
            foreach (
                $DB->request([
                    'SELECT' => ['entities_id', 'device_key', 'online_seconds', 'observed_seconds'],
                    'FROM'   => self::AVAILSUMS,
                    'WHERE'  => ['entities_id' => $entities, 'window_days' => $window, 'NOT' => ['device_key' => '']],
                ]) as $row
            ) {
                $parts[] = [(int) $row['entities_id'], (string) $row['device_key'], (int) $row['online_seconds'], (int) $row['observed_seconds']];
            }
            foreach (self::fleetCache($entities, $first, $closed) as $row) {
                $days[] = $row;
            }
        }
        $by_day = [];
        foreach (
            $DB->request([
                'SELECT' => ['entities_id', 'device_key', 'day', 'online_seconds', 'observed_seconds'],
                'FROM'   => self::DAILIES,
                'WHERE'  => ['entities_id' => $entities, ['day' => ['>=', self::dayString($raw_from)]], ['day' => ['<=', self::dayString($today)]]],
            ]) as $row
        ) {
            $on = (int) $row['online_seconds'];
            $obs = (int) $row['observed_seconds'];
            $parts[] = [(int) $row['entities_id'], (string) $row['device_key'], $on, $obs];
            $by_day[$row['day']][0] = ($by_day[$row['day']][0] ?? 0) + $on;
            $by_day[$row['day']][1] = ($by_day[$row['day']][1] ?? 0) + $obs;
        }
        foreach ($by_day as $day => [$on, $obs]) {
            $days[] = [(string) $day, $on, $obs];
        }
        return [$parts, $days];
    }

    /**
     * Brings the caches a page view reads up to date for one entity. Called by
     * the automatic action after each cycle, so building a window's cache (tens
     * of seconds for 10,000 devices over 365 days) never falls on a page view.
     */
    public static function warmCaches(int $entities_id, int $refresh_interval, int $now): void
    {
        foreach (self::windowsInUse($entities_id) as $window) {
            self::rollupParts([$entities_id], $window, $now, $refresh_interval);
        }
    }

    /**
     * The windows a page showing this entity may read: a page takes the
     * longest window of the configurations it sees (settings()), so the
     * entity's own window and every longer one configured for another entity
     * a user may see together with it.
     *
     * @return list<int>
     */
    private static function windowsInUse(int $entities_id): array
    {
        global $DB;
        $own = null;
        $all = [];
        foreach ($DB->request(['SELECT' => ['entities_id', 'availability_days'], 'FROM' => self::CONFIGS]) as $row) {
            $window = max(1, min(365, (int) $row['availability_days']));
            $all[$window] = true;
            if ((int) $row['entities_id'] === $entities_id) {
                $own = $window;
            }
        }
        if ($own === null) {
            return [];
        }
        return array_values(array_filter(array_keys($all), static fn(int $w): bool => $w >= $own));
    }

    /**
     * Brings the entity's cached sums to the window's closed days
     * [$closed + $lag - $window + 1, $closed] ($lag = today - $closed, kept
     * in the marker row): slides them one day at a time (adds the new day,
     * subtracts the day that left), or rebuilds them when missing, too old or
     * of another lag. False when another request is rebuilding them.
     */
    private static function slideWindowCache(int $e, int $window, int $closed, int $lag): bool
    {
        global $DB;
        $meta = static function () use ($DB, $e, $window, $lag): ?int {
            $row = $DB->request([
                'SELECT' => ['through_day', 'online_seconds'],
                'FROM'   => self::AVAILSUMS,
                'WHERE'  => ['entities_id' => $e, 'window_days' => $window, 'device_key' => ''],
            ])->current();
            return $row !== null && (int) $row['online_seconds'] === $lag ? self::dayNumber($row['through_day']) : null;
        };
        if ($meta() === $closed) {
            return true;
        }
        $lock = sprintf('gdmsintegration_availsums_%d_%d', $e, $window);
        if (!$DB->getLock($lock)) {
            return false;
        }
        try {
            $through = $meta();
            if ($through === $closed) {
                return true;
            }
            if ($through === null || $through > $closed || $closed - $through > self::SLIDE_MAX_DAYS) {
                $DB->delete(self::AVAILSUMS, ['entities_id' => $e, 'window_days' => $window]);
                self::addDaysToCache($e, $window, $closed + $lag - $window + 1, $closed, 1);
            } else {
                for ($d = $through + 1; $d <= $closed; $d++) {
                    self::addDaysToCache($e, $window, $d, $d, 1);
                    self::addDaysToCache($e, $window, $d + $lag - $window, $d + $lag - $window, -1);
                }
            }
            $DB->updateOrInsert(
                self::AVAILSUMS,
                ['through_day' => self::dayString($closed), 'online_seconds' => $lag],
                ['entities_id' => $e, 'window_days' => $window, 'device_key' => '']
            );
            return true;
        } finally {
            $DB->releaseLock($lock);
        }
    }

    /**
     * Adds $sign times the roll-ups of days [$from, $to] to the cached sums, in the database.
     */
    private static function addDaysToCache(int $e, int $window, int $from, int $to, int $sign): void
    {
        global $DB;
        // INSERT … SELECT … ON DUPLICATE KEY UPDATE has no criteria-array form; every value
        // below is an integer or a date computed here, quoted by the DB layer.
        $DB->doQuery(sprintf(
            'INSERT INTO %1$s (`entities_id`, `window_days`, `device_key`, `online_seconds`, `observed_seconds`)'
            . ' SELECT `entities_id`, %2$s, `device_key`, %3$s * SUM(`online_seconds`), %3$s * SUM(`observed_seconds`)'
            . ' FROM %4$s WHERE `entities_id` = %5$s AND `day` BETWEEN %6$s AND %7$s GROUP BY `entities_id`, `device_key`'
            . ' ON DUPLICATE KEY UPDATE `online_seconds` = `online_seconds` + VALUES(`online_seconds`),'
            . ' `observed_seconds` = `observed_seconds` + VALUES(`observed_seconds`)',
            $DB::quoteName(self::AVAILSUMS),
            $DB->quoteValue($window),
            $DB->quoteValue($sign),
            $DB::quoteName(self::DAILIES),
            $DB->quoteValue($e),
            $DB->quoteValue(self::dayString($from)),
            $DB->quoteValue(self::dayString($to))
        ));
    }

    /**
     * Fleet roll-up totals of the closed days [$first, $closed], per entity
     * and day; days not cached yet are added first (a closed day never changes).
     *
     * @param list<int> $entities
     * @return list<array{0: string, 1: int, 2: int}>
     */
    private static function fleetCache(array $entities, int $first, int $closed): array
    {
        global $DB;
        if ($first > $closed) {
            return [];
        }
        foreach ($entities as $e) {
            $last = self::dayNumber($DB->request([
                'SELECT' => ['MAX' => 'day AS last'], 'FROM' => self::FLEETDAYS, 'WHERE' => ['entities_id' => $e],
            ])->current()['last'] ?? null);
            $from = max($first, ($last ?? $first - 1) + 1);
            if ($from <= $closed) {
                // Writing a closed day twice writes the same figures.
                $DB->doQuery(sprintf(
                    'INSERT INTO %1$s (`entities_id`, `day`, `online_seconds`, `observed_seconds`)'
                    . ' SELECT `entities_id`, `day`, SUM(`online_seconds`), SUM(`observed_seconds`) FROM %2$s'
                    . ' WHERE `entities_id` = %3$s AND `day` BETWEEN %4$s AND %5$s GROUP BY `entities_id`, `day`'
                    . ' ON DUPLICATE KEY UPDATE `online_seconds` = VALUES(`online_seconds`), `observed_seconds` = VALUES(`observed_seconds`)',
                    $DB::quoteName(self::FLEETDAYS),
                    $DB::quoteName(self::DAILIES),
                    $DB->quoteValue($e),
                    $DB->quoteValue(self::dayString($from)),
                    $DB->quoteValue(self::dayString($closed))
                ));
            }
        }
        $out = [];
        foreach (
            $DB->request([
                'SELECT' => ['day', 'online_seconds', 'observed_seconds'],
                'FROM'   => self::FLEETDAYS,
                'WHERE'  => ['entities_id' => $entities, ['day' => ['>=', self::dayString($first)]], ['day' => ['<=', self::dayString($closed)]]],
            ]) as $row
        ) {
            $out[] = [(string) $row['day'], (int) $row['online_seconds'], (int) $row['observed_seconds']];
        }
        return $out;
    }

    /**
     * Drops the entity's dashboard caches; to be called by anything that
     * rewrites past daily roll-ups (a history import).
     */
    public static function forgetCaches(int $entities_id): void
    {
        global $DB;
        $DB->delete(self::AVAILSUMS, ['entities_id' => $entities_id]);
        $DB->delete(self::FLEETDAYS, ['entities_id' => $entities_id]);
    }

    /**
     * GLPI catalog model names of the page's assets: "itemtype:id" => name
     * (one query per asset type; the raw cloud model is shown otherwise).
     *
     * @param list<array<string, mixed>> $rows
     * @return array<string, string>
     */
    private static function catalogModels(array $rows): array
    {
        global $DB;
        $types = [
            'NetworkEquipment' => ['glpi_networkequipments', 'glpi_networkequipmentmodels', 'networkequipmentmodels_id'],
            'Phone'            => ['glpi_phones', 'glpi_phonemodels', 'phonemodels_id'],
        ];
        $ids = [];
        foreach ($rows as $r) {
            if (isset($types[$r['itemtype']]) && (int) $r['items_id'] > 0) {
                $ids[$r['itemtype']][] = (int) $r['items_id'];
            }
        }
        $out = [];
        foreach ($ids as $itemtype => $list) {
            [$assets, $models, $fk] = $types[$itemtype];
            foreach (
                $DB->request([
                    'SELECT'    => ["$assets.id AS id", "$models.name AS model"],
                    'FROM'      => $assets,
                    'INNER JOIN' => [$models => ['ON' => [$assets => $fk, $models => 'id']]],
                    'WHERE'     => ["$assets.id" => $list],
                ]) as $row
            ) {
                if ((string) $row['model'] !== '') {
                    $out[$itemtype . ':' . $row['id']] = (string) $row['model'];
                }
            }
        }
        return $out;
    }

    /**
     * Link to a GLPI asset, '' when there is none.
     */
    public static function assetUrl(string $itemtype, int $items_id): string
    {
        if ($items_id <= 0 || !in_array($itemtype, ['NetworkEquipment', 'Phone'], true) || !class_exists($itemtype)) {
            return '';
        }
        if (method_exists($itemtype, 'getFormURLWithID')) {
            return $itemtype::getFormURLWithID($items_id);
        }
        return '/front/' . strtolower($itemtype) . '.form.php?id=' . $items_id;
    }

    /**
     * Topology nodes and edges over the visible devices (only when a
     * configuration enables it; nothing is read otherwise).
     *
     * @param list<int> $entities
     * @return array{enabled: bool, nodes: list<array<string, mixed>>, edges: list<array<string, string>>, truncated: bool}
     */
    public static function topology(array $entities): array
    {
        global $DB;
        $out = ['enabled' => false, 'nodes' => [], 'edges' => [], 'truncated' => false];
        if ($entities === [] || !self::settings($entities)['show_topology']) {
            return $out;
        }
        $out['enabled'] = true;
        $keys = [];
        foreach (
            $DB->request([
                'SELECT' => ['entities_id', 'device_key', 'name', 'status', 'category'],
                'FROM'   => self::DEVICES,
                'WHERE'  => ['entities_id' => $entities],
                'ORDER'  => ['category', 'name'],
                'LIMIT'  => self::TOPOLOGY_MAX_NODES + 1,
            ]) as $row
        ) {
            if (count($out['nodes']) >= self::TOPOLOGY_MAX_NODES) {
                $out['truncated'] = true;
                break;
            }
            $id = $row['entities_id'] . ':' . $row['device_key'];
            $keys[$id] = true;
            $out['nodes'][] = ['id' => $id, 'label' => (string) $row['name'], 'online' => $row['status'] === 'online', 'category' => (string) $row['category']];
        }
        foreach ($DB->request(['FROM' => self::LINKS, 'WHERE' => ['entities_id' => $entities]]) as $row) {
            $from = $row['entities_id'] . ':' . $row['source_key'];
            $to = $row['entities_id'] . ':' . $row['target_key'];
            if (isset($keys[$from], $keys[$to]) && $from !== $to) {
                $out['edges'][] = ['from' => $from, 'to' => $to, 'type' => (string) $row['type']];
            }
        }
        return $out;
    }

    /**
     * Devices of the visible entities with a newer firmware, and what each
     * may be upgraded to. GWN devices: the latest official version the sync
     * cached in their rows (upgrade/version per network); GWN's upgrade/add
     * has no version field, so an official release is their only choice. UC
     * devices: their model's official release and, where Grandstream runs a
     * beta programme, its beta, from the public firmware pages, cached
     * server-side for a day per model (looked up by the extension only when
     * missing or stale: the page asks this 2 s after load, so the lookup never
     * delays the table).
     *
     * @param list<int> $entities
     * @return array{checked_at: ?string, devices: list<array{id: int, current: string, cloud: string, latest: string, channels: list<array{channel: string, version: string}>}>}
     */
    public static function firmwareStatus(array $entities, ?int $now = null): array
    {
        global $DB;
        $now ??= time();
        $out = ['checked_at' => self::settings($entities)['last_sync_at'], 'devices' => []];
        if ($entities === []) {
            return $out;
        }
        $rows = [];
        $uc_models = [];
        foreach (
            $DB->request([
                'SELECT' => ['id', 'firmware', 'firmware_latest', 'cloud', 'model'],
                'FROM'   => self::DEVICES,
                'WHERE'  => ['entities_id' => $entities, 'NOT' => ['firmware' => '']],
            ]) as $row
        ) {
            $rows[] = $row;
            if ((string) $row['cloud'] === 'uc') {
                $uc_models[] = self::modelKey((string) $row['model']);
            }
        }
        $offers = self::firmwareOffers(array_values(array_unique($uc_models)), $entities, $now);
        foreach ($rows as $row) {
            $uc = (string) $row['cloud'] === 'uc';
            $available = $uc
                ? ($offers[self::modelKey((string) $row['model'])] ?? [])
                : ['official' => ['version' => (string) $row['firmware_latest'], 'download_url' => '']];
            if ($uc && !isset($available['official']) && (string) $row['firmware_latest'] !== '') {
                $available['official'] = ['version' => (string) $row['firmware_latest'], 'download_url' => ''];
            }
            $channels = self::upgradeChannels($available, (string) $row['firmware']);
            if ($channels !== []) {
                $out['devices'][] = [
                    'id'       => (int) $row['id'],
                    'current'  => (string) $row['firmware'],
                    'cloud'    => $uc ? 'uc' : 'gwn',
                    'latest'   => $channels[0]['version'],
                    'channels' => $channels,
                ];
            }
        }
        return $out;
    }

    /**
     * The releases a device may move to, official first: each channel whose
     * version is newer than the running one; a beta only when it is also newer
     * than the official release (an older beta is a step back).
     *
     * @param array<string, array{version: string, download_url: string}> $available channel => offer
     * @return list<array{channel: string, version: string}>
     */
    private static function upgradeChannels(array $available, string $current): array
    {
        $out = [];
        $official = $available['official']['version'] ?? '';
        if ($official !== '' && self::newer($official, $current)) {
            $out[] = ['channel' => 'official', 'version' => $official];
        }
        $beta = $available['beta']['version'] ?? '';
        if ($beta !== '' && self::newer($beta, $current) && ($official === '' || self::newer($beta, $official))) {
            $out[] = ['channel' => 'beta', 'version' => $beta];
        }
        return $out;
    }

    private static function newer(string $latest, string $current): bool
    {
        return version_compare(self::normaliseVersion($latest), self::normaliseVersion($current), '>');
    }

    private static function modelKey(string $model): string
    {
        return strtoupper(trim($model));
    }

    /**
     * Official and beta firmware of UC models: model => channel =>
     * {version, download_url}, from the cache; models missing or older than
     * FIRMWARE_TTL are looked up first, in one call of the extension (the
     * official and beta firmware pages, concurrently). A failed lookup keeps
     * the previous cache rows.
     *
     * @param list<string> $models upper-case
     * @param list<int> $entities whose configuration may override the firmware host
     * @return array<string, array<string, array{version: string, download_url: string}>>
     */
    public static function firmwareOffers(array $models, array $entities, int $now): array
    {
        global $DB;
        $models = array_values(array_filter($models, static fn(string $m): bool => $m !== ''));
        if ($models === []) {
            return [];
        }
        $read = static function () use ($DB, $models): array {
            $out = [];
            foreach ($DB->request(['FROM' => self::FIRMWARES, 'WHERE' => ['model' => $models]]) as $row) {
                $out[(string) $row['model']] = $row;
            }
            return $out;
        };
        $cached = $read();
        $stale = array_values(array_filter($models, static fn(string $m): bool => !isset($cached[$m])
            || strtotime($cached[$m]['checked_at'] . ' UTC') < $now - self::FIRMWARE_TTL));
        if ($stale !== []) {
            $request = [
                'firmware_models' => $stale,
                'known_serials'   => new stdClass(),
                'tokens'          => [],
                'options'         => ['switch_ports' => false, 'firmware_versions' => false, 'firmware_beta' => true],
            ];
            foreach ($DB->request(['SELECT' => ['firmware_base_url'], 'FROM' => self::CONFIGS, 'WHERE' => ['entities_id' => $entities, 'NOT' => ['firmware_base_url' => '']], 'LIMIT' => 1]) as $row) {
                $request['firmware_base_url'] = (string) $row['firmware_base_url'];
            }
            try {
                $doc = PluginGdmsintegrationNative::fetch($request);
                $found = [];
                foreach ($doc['firmware'] ?? [] as $offer) {
                    $found[self::modelKey((string) $offer['model'])][(string) ($offer['channel'] ?? 'official')] = $offer;
                }
                foreach ($stale as $m) {
                    $DB->updateOrInsert(self::FIRMWARES, [
                        'version'           => mb_substr((string) ($found[$m]['official']['version'] ?? ''), 0, 50),
                        'download_url'      => mb_substr((string) ($found[$m]['official']['download_url'] ?? ''), 0, 255),
                        'beta_version'      => mb_substr((string) ($found[$m]['beta']['version'] ?? ''), 0, 50),
                        'beta_download_url' => mb_substr((string) ($found[$m]['beta']['download_url'] ?? ''), 0, 255),
                        'checked_at'        => gmdate('Y-m-d H:i:s', $now),
                    ], ['model' => $m]);
                }
                PluginGdmsintegrationLog::info(sprintf('firmware pages looked up for %s', implode(', ', $stale)));
            } catch (Throwable $e) {
                PluginGdmsintegrationLog::info('firmware page lookup failed: ' . $e->getMessage());
            }
            $cached = $read();
        }
        $out = [];
        foreach ($cached as $m => $row) {
            foreach (['official' => '', 'beta' => 'beta_'] as $channel => $prefix) {
                if ((string) $row[$prefix . 'version'] !== '') {
                    $out[$m][$channel] = ['version' => (string) $row[$prefix . 'version'], 'download_url' => (string) $row[$prefix . 'download_url']];
                }
            }
        }
        return $out;
    }

    private static function normaliseVersion(string $v): string
    {
        return preg_replace('/[^0-9.]/', '', $v) ?? '';
    }

    /**
     * One device row of a visible entity, or null.
     *
     * @param list<int> $entities
     * @return array<string, mixed>|null
     */
    public static function device(int $id, array $entities): ?array
    {
        global $DB;
        if ($entities === []) {
            return null;
        }
        foreach ($DB->request(['FROM' => self::DEVICES, 'WHERE' => ['id' => $id, 'entities_id' => $entities], 'LIMIT' => 1]) as $row) {
            return $row;
        }
        return null;
    }

    /**
     * Schedules a firmware upgrade of one device through its cloud (sent
     * once), remembers it on the device row so the table shows it as
     * scheduled/updating until the sync reports the new firmware, and logs
     * the action. $time_ms null = as soon as possible. $channel 'beta' is
     * only possible for UC devices whose model has a published beta: GWN
     * Cloud's upgrade/add always installs its latest official release.
     *
     * @param list<int> $entities
     * @return array{ok: bool, message: string}
     */
    public static function upgradeFirmware(int $id, ?int $time_ms, array $entities, string $channel = 'official', ?int $now = null): array
    {
        $now ??= time();
        $row = self::device($id, $entities);
        if ($row === null) {
            return ['ok' => false, 'message' => __('Device not found.', 'gdmsintegration')];
        }
        if ((string) $row['mac'] === '') {
            return ['ok' => false, 'message' => __('This device has no MAC address.', 'gdmsintegration')];
        }
        if (!in_array($channel, ['official', 'beta'], true)) {
            return ['ok' => false, 'message' => __('Unknown firmware channel.', 'gdmsintegration')];
        }
        $cloud = (string) $row['cloud'] === 'uc' ? 'uc' : 'gwn';
        if ($cloud === 'gwn' && $channel === 'beta') {
            return ['ok' => false, 'message' => __('GWN Cloud installs only its latest official firmware.', 'gdmsintegration')];
        }
        if ($time_ms !== null && $time_ms <= ($now + 60) * 1000) {
            $time_ms = null; // a past or imminent date means "now"
        }
        $config = PluginGdmsintegrationConfig::getForEntity((int) $row['entities_id']);
        $base = PluginGdmsintegrationSync::fetchRequest($config);
        if (!isset($base[$cloud])) {
            return ['ok' => false, 'message' => __('The cloud of this device is not configured.', 'gdmsintegration')];
        }
        $request = [
            'cloud'   => $cloud,
            'macs'    => [(string) $row['mac']],
            $cloud    => $base[$cloud],
            'tokens'  => $base['tokens'],
        ];
        if ($time_ms !== null) {
            $request['time_ms'] = $time_ms;
        }
        $target = (string) $row['firmware_latest'];
        if ($cloud === 'uc') {
            $model = self::modelKey((string) $row['model']);
            $offer = self::firmwareOffers([$model], [(int) $row['entities_id']], $now)[$model][$channel] ?? null;
            if ($channel === 'beta' && $offer === null) {
                return ['ok' => false, 'message' => __('No beta firmware is published for this model.', 'gdmsintegration')];
            }
            $target = $offer['version'] ?? $target;
            $request['version'] = $target;
            if (($offer['download_url'] ?? '') !== '') {
                $request['download_url'] = $offer['download_url'];
            }
        }
        $user = Session::getLoginUserID();
        try {
            $result = PluginGdmsintegrationNative::firmwareUpgrade($request);
        } catch (Throwable $e) {
            PluginGdmsintegrationLog::info(sprintf('firmware upgrade refused — device %s user %s: %s', $row['mac'], (string) $user, $e->getMessage()));
            return ['ok' => false, 'message' => $e->getMessage()];
        }
        PluginGdmsintegrationLog::info(sprintf(
            'firmware upgrade %s — device %s (%s) entity %d user %s cloud %s %s %s at %s: %s',
            $result['ok'] ? 'scheduled' : 'failed',
            $row['mac'],
            $row['name'],
            (int) $row['entities_id'],
            (string) $user,
            $cloud,
            $channel,
            $target !== '' ? $target : 'latest',
            $time_ms === null ? 'asap' : gmdate('Y-m-d H:i', intdiv($time_ms, 1000)) . ' UTC',
            (string) ($result['message'] ?? '')
        ));
        if ($result['ok']) {
            global $DB;
            $DB->update(self::DEVICES, [
                'upgrade_from'    => (string) $row['firmware'],
                'upgrade_version' => mb_substr($target, 0, 50),
                'upgrade_at'      => gmdate('Y-m-d H:i:s', $time_ms === null ? $now : intdiv($time_ms, 1000)),
            ], ['id' => (int) $row['id']]);
        }
        return [
            'ok'      => (bool) $result['ok'],
            'message' => $result['ok']
                ? ($time_ms === null
                    ? __('Update scheduled successfully. The device will update shortly.', 'gdmsintegration')
                    : __('Update scheduled successfully.', 'gdmsintegration'))
                : (string) ($result['message'] ?? __('The cloud refused the upgrade.', 'gdmsintegration')),
        ];
    }

    /**
     * The upgrade asked from the dashboard that has not shown up yet: null
     * once the device reports another firmware than it ran when asked, or
     * UPGRADE_GRACE seconds after the time it was due (the upgrade is then
     * taken as failed and the update icon comes back).
     *
     * @param array<string, mixed> $row upgrade_from, upgrade_version, upgrade_at, firmware
     * @return array{state: string, at: string, version: string}|null state 'scheduled' (due later) or 'updating'
     */
    public static function pendingUpgrade(array $row, int $now): ?array
    {
        $at = (string) ($row['upgrade_at'] ?? '');
        if ($at === '' || (string) ($row['upgrade_from'] ?? '') === '' || (string) $row['upgrade_from'] !== (string) ($row['firmware'] ?? '')) {
            return null;
        }
        $due = (int) strtotime($at . ' UTC');
        if ($now >= $due + self::UPGRADE_GRACE) {
            return null;
        }
        return ['state' => $now < $due ? 'scheduled' : 'updating', 'at' => $at, 'version' => (string) ($row['upgrade_version'] ?? '')];
    }

    /**
     * "Sync now": one sync of each visible entity with a configuration,
     * unless it synced less than SYNC_MIN_INTERVAL seconds ago.
     *
     * @param list<int> $entities
     * @return array{ok: bool, synced: int, skipped: int, message: string}
     */
    public static function syncNow(array $entities, ?int $now = null): array
    {
        global $DB;
        $now ??= time();
        $synced = 0;
        $skipped = 0;
        if ($entities === []) {
            return ['ok' => false, 'synced' => 0, 'skipped' => 0, 'message' => __('Nothing to synchronise.', 'gdmsintegration')];
        }
        foreach ($DB->request(['SELECT' => ['entities_id', 'last_sync_at'], 'FROM' => self::CONFIGS, 'WHERE' => ['entities_id' => $entities, 'is_active' => 1]]) as $row) {
            $last = $row['last_sync_at'] !== null ? strtotime($row['last_sync_at'] . ' UTC') : 0;
            if ($last !== false && $now - $last < self::SYNC_MIN_INTERVAL) {
                $skipped++;
                continue;
            }
            $result = PluginGdmsintegrationSync::syncEntity(PluginGdmsintegrationConfig::getForEntity((int) $row['entities_id']), 'dashboard');
            $result === null ? $skipped++ : $synced++;
        }
        return [
            'ok'      => $synced > 0,
            'synced'  => $synced,
            'skipped' => $skipped,
            'message' => $synced > 0
                ? __('Synchronisation done.', 'gdmsintegration')
                : sprintf(__('Synchronised less than %d seconds ago or already running; try again later.', 'gdmsintegration'), self::SYNC_MIN_INTERVAL),
        ];
    }

    /**
     * Strings the page's script shows, translated.
     *
     * @return array<string, string>
     */
    public static function jsStrings(): array
    {
        return [
            'close' => __('Close', 'gdmsintegration'),
            'online' => __('Online', 'gdmsintegration'),
            'offline' => __('Offline', 'gdmsintegration'),
            'total' => __('Total', 'gdmsintegration'),
            'clients' => __('Clients', 'gdmsintegration'),
            'upload' => __('Upload', 'gdmsintegration'),
            'download' => __('Download', 'gdmsintegration'),
            'first_seen' => __('First seen', 'gdmsintegration'),
            'last_seen' => __('Last seen', 'gdmsintegration'),
            'channels' => __('Wi-Fi channels', 'gdmsintegration'),
            'router' => __('Router', 'gdmsintegration'),
            'switch' => __('Switch', 'gdmsintegration'),
            'ap' => __('Access point', 'gdmsintegration'),
            'phone' => __('Phone', 'gdmsintegration'),
            'pbx' => __('PBX', 'gdmsintegration'),
            'unknown' => __('Other', 'gdmsintegration'),
            'phones_pbx' => __('Phones & PBX', 'gdmsintegration'),
            'network_traffic' => __('Network traffic', 'gdmsintegration'),
            'no_devices' => __('No device matches.', 'gdmsintegration'),
            'page_of' => __('Page %1$d of %2$d (%3$d devices)', 'gdmsintegration'),
            'gold' => __('Gold', 'gdmsintegration'),
            'silver' => __('Silver', 'gdmsintegration'),
            'bronze' => __('Bronze', 'gdmsintegration'),
            'critical' => __('Critical', 'gdmsintegration'),
            'no_data' => __('No data', 'gdmsintegration'),
            'port_internet' => __('Online', 'gdmsintegration'),
            'port_no_internet' => __('No internet', 'gdmsintegration'),
            'port_unknown' => __('WAN up, unknown', 'gdmsintegration'),
            'port_lan_up' => __('Link up', 'gdmsintegration'),
            'port_down' => __('Link down', 'gdmsintegration'),
            'ports_of' => __('Port status — %s', 'gdmsintegration'),
            'ip' => __('IP', 'gdmsintegration'),
            'type' => __('Type', 'gdmsintegration'),
            'speed' => __('Link speed', 'gdmsintegration'),
            'connected_for' => __('Connected for', 'gdmsintegration'),
            'wan_name' => __('WAN name', 'gdmsintegration'),
            'name' => __('Name', 'gdmsintegration'),
            'gateway' => __('Gateway', 'gdmsintegration'),
            'dns' => __('DNS', 'gdmsintegration'),
            'description' => __('Description', 'gdmsintegration'),
            'port_type' => __('Port type', 'gdmsintegration'),
            'update_available' => __('Firmware update available: %s', 'gdmsintegration'),
            'updating' => __('Updating…', 'gdmsintegration'),
            'scheduled_for' => __('Scheduled: %s', 'gdmsintegration'),
            'upgrade_to' => __('Upgrade to %s asked', 'gdmsintegration'),
            'beta_available' => __('Beta firmware available: %s', 'gdmsintegration'),
            'official_firmware' => __('Official firmware', 'gdmsintegration'),
            'beta_firmware' => __('Beta firmware', 'gdmsintegration'),
            'just_now' => __('just now', 'gdmsintegration'),
            'min_ago' => __('%d min ago', 'gdmsintegration'),
            'h_ago' => __('%d h ago', 'gdmsintegration'),
            'd_ago' => __('%d d ago', 'gdmsintegration'),
            'never' => __('never', 'gdmsintegration'),
            'last_sync' => __('Last sync', 'gdmsintegration'),
            'firmware_title' => __('Firmware update available', 'gdmsintegration'),
            'error' => __('Error', 'gdmsintegration'),
            'availability' => __('Availability', 'gdmsintegration'),
            'whois' => __('WHOIS', 'gdmsintegration'),
            'critical_banner' => __('Critical SLA and offline:', 'gdmsintegration'),
            'uptime_pct' => __('%s%% availability', 'gdmsintegration'),
            'online_of' => __('%1$d / %2$d online', 'gdmsintegration'),
            'topology_truncated' => __('Only the first %d devices are drawn.', 'gdmsintegration'),
        ];
    }

    /**
     * Renders the page.
     */
    public static function show(): void
    {
        global $CFG_GLPI;
        $entities = self::visibleEntities();
        $settings = self::settings($entities);
        Html::requireJs('charts');
        Html::requireJs('flatpickr');
        $lang = (string) ($_SESSION['glpilanguage'] ?? 'en_GB');
        TemplateRenderer::getInstance()->display('@gdmsintegration/dashboard.html.twig', [
            'settings'   => $settings,
            'can_update' => Session::haveRight(PluginGdmsintegrationMenu::$rightname, UPDATE),
            'can_config' => Session::haveRight('config', UPDATE),
            'root'       => ($CFG_GLPI['root_doc'] ?? '') . '/plugins/gdmsintegration',
            'strings'    => self::jsStrings(),
            'locale'     => substr($lang, 0, 2),
            'query'      => self::query($_GET),
        ]);
    }
}
