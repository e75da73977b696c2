<?php

declare(strict_types=1);

/**
 * Seeds device rows, daily roll-ups and links for the dashboard tests, the
 * bench and the browser tests. Rows are written with multi-row INSERTs
 * built by the DB layer (values quoted by it).
 */
final class DashboardSeed
{
    public const NOW = 1767225600 + 12 * 3600; // 2026-01-01 12:00 UTC

    /** @param array<string, mixed> $fields */
    public static function device(int $entity, string $mac, string $name, string $category, bool $online, array $fields = []): int
    {
        global $DB;
        $DB->insert(PluginGdmsintegrationDashboard::DEVICES, $fields + [
            'entities_id' => $entity,
            'device_key'  => $mac,
            'mac'         => $mac,
            'cloud'       => in_array($category, ['phone', 'pbx'], true) ? 'uc' : 'gwn',
            'name'        => $name,
            'category'    => $category,
            'status'      => $online ? 'online' : 'offline',
            'model'       => ['router' => 'GWN7003', 'switch' => 'GWN7813', 'ap' => 'GWN7660', 'phone' => 'GRP2612W', 'pbx' => 'UCM6304'][$category] ?? 'X',
            'itemtype'    => $category === 'phone' ? 'Phone' : 'NetworkEquipment',
            'first_seen'  => '2025-12-01 10:00:00',
            'last_seen'   => '2026-01-01 11:50:00',
        ]);
        return (int) $DB->insertId();
    }

    /** Daily rows for one device: $days days ending on NOW's day, each $online_s of $observed_s. */
    public static function dailies(int $entity, string $key, int $days, int $online_s, int $observed_s = 86400): void
    {
        global $DB;
        $rows = [];
        for ($i = 0; $i < $days; $i++) {
            $rows[] = [$entity, $key, gmdate('Y-m-d', self::NOW - $i * 86400), $online_s, $observed_s];
        }
        self::bulk(PluginGdmsintegrationDashboard::DAILIES, ['entities_id', 'device_key', 'day', 'online_seconds', 'observed_seconds'], $rows);
    }

    /**
     * @param list<string> $columns
     * @param list<list<mixed>> $rows
     */
    public static function bulk(string $table, array $columns, array $rows): void
    {
        global $DB;
        foreach (array_chunk($rows, 2000) as $chunk) {
            $values = implode(', ', array_map(
                static fn(array $r): string => '(' . implode(', ', array_map(static fn($v) => $DB->quoteValue($v), $r)) . ')',
                $chunk
            ));
            $DB->doQuery(sprintf('INSERT INTO %s (%s) VALUES %s', $DB::quoteName($table), implode(', ', array_map([$DB, 'quoteName'], $columns)), $values));
        }
    }

    /** A router's stored ports: WAN1 internet, WAN2 no internet (hostile label), LAN1 up, LAN2 down. */
    public static function routerPorts(string $hostile = '<img src=x onerror=alert(1)>'): string
    {
        $p = static fn(string $id, string $name, string $role, bool $up, string $inet, array $extra = []): array => $extra + [
            'id' => $id, 'name' => $name, 'silk' => $id, 'role' => $role, 'link_up' => $up, 'internet' => $inet,
            'speed' => 5, 'medium' => 'ge', 'is_combo' => false,
        ];
        return json_encode([
            $p('P3', 'LAN1', 'lan', true, 'unknown'),
            $p('P2', $hostile, 'wan', true, 'down', ['wan_name' => 'Backup ISP', 'ip' => '198.51.100.9']),
            $p('P1', 'WAN1', 'wan', true, 'up', ['wan_name' => 'Fibre', 'ip' => '203.0.113.7', 'wan_type' => 0, 'connect_duration' => 90061]),
            $p('P4', 'LAN2', 'lan', false, 'unknown'),
            $p('P5', 'WAN3', 'wan', true, 'unknown'),
        ], JSON_THROW_ON_ERROR);
    }
}
