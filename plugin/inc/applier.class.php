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
use Glpi\DBAL\QueryParam;

/**
 * Applies one plan of the engine (gdms_core::contract::plan) in the order
 * the contract gives, inside one transaction: assets through GLPI's classes,
 * plugin tables in bulk with prepared statements, then incidents.
 *
 * Nothing here decides anything: every decision is in the plan.
 */
final class PluginGdmsintegrationApplier
{
    private const SAMPLES = 'glpi_plugin_gdmsintegration_samples';
    private const DAILIES = 'glpi_plugin_gdmsintegration_dailies';
    private const LINKS = 'glpi_plugin_gdmsintegration_links';

    /** @var array<string, array{itemtype: string, id: int}> device_key => asset created by this plan */
    private array $created = [];

    public function __construct(private readonly int $entities_id)
    {
    }

    /**
     * @param array<string, mixed> $plan
     * @return array<string, int> what was applied, for the summary line
     */
    public function apply(array $plan): array
    {
        global $DB;

        $now = (int) $plan['now'];
        $DB->beginTransaction();
        try {
            $this->rekey($plan['rekeys'] ?? []);
            $this->logMatches($plan['matches']);
            foreach ($plan['assets']['create'] as $create) {
                $this->createAsset($create);
            }
            foreach ($plan['assets']['fill'] as $fill) {
                $this->fillAsset($fill);
            }
            $this->upsertDevices($plan['devices']);
            $this->purge($plan['purge']);
            $this->insertSamples($plan['samples']);
            $this->addRollups($plan['rollups']);
            $this->applyRetention($plan['retention']);
            if ($plan['topology'] !== null) {
                $this->replaceLinks($plan['topology']);
            }
            foreach ($plan['incidents']['resolve'] as $resolve) {
                PluginGdmsintegrationIncident::resolve($resolve, $now);
            }
            $opened = 0;
            foreach ($plan['incidents']['open'] as $open) {
                if (PluginGdmsintegrationIncident::open($this->entities_id, $open, $this->resolveAsset($open['asset'])) !== null) {
                    $opened++;
                }
            }
            foreach ($plan['events'] as $event) {
                PluginGdmsintegrationLog::debug(sprintf('  EVENT %s %s at %s', $event['kind'], $event['device_key'], gmdate('Y-m-d H:i:s', (int) $event['at'])));
            }
            // Outgoing webhooks: queued in this transaction, so an event exists only if its cycle was applied.
            $queued = PluginGdmsintegrationOutgoing::enqueuePlanEvents($this->entities_id, $plan['events']);
            $DB->commit();
        } catch (Throwable $e) {
            $DB->rollBack();
            throw $e;
        }
        return [
            'devices'  => count($plan['devices']),
            'created'  => count($plan['assets']['create']),
            'filled'   => count($plan['assets']['fill']),
            'purged'   => count($plan['purge']),
            'opened'   => $opened,
            'resolved' => count($plan['incidents']['resolve']),
            'webhooks' => $queued,
        ];
    }

    /**
     * A device stored by serial now reports a MAC: its rows everywhere take the
     * new key, so it keeps its history and incidents.
     *
     * @param list<array{from: string, to: string}> $rekeys
     */
    private function rekey(array $rekeys): void
    {
        global $DB;
        $columns = [
            PluginGdmsintegrationStore::DEVICES   => ['device_key'],
            self::SAMPLES                         => ['device_key'],
            self::DAILIES                         => ['device_key'],
            PluginGdmsintegrationIncident::TABLE  => ['device_key'],
            self::LINKS                           => ['source_key', 'target_key'],
        ];
        foreach ($rekeys as $r) {
            foreach ($columns as $table => $cols) {
                foreach ($cols as $col) {
                    $DB->update($table, [$col => (string) $r['to']], ['entities_id' => $this->entities_id, $col => (string) $r['from']]);
                }
            }
            PluginGdmsintegrationLog::info(sprintf('  REKEY %s → %s (the device now reports a MAC; history kept)', $r['from'], $r['to']));
        }
    }

    /**
     * @param list<array<string, mixed>> $matches
     */
    private function logMatches(array $matches): void
    {
        foreach ($matches as $m) {
            $asset = $m['asset'];
            if ($m['reason'] === 'none') {
                PluginGdmsintegrationLog::info(sprintf(
                    "  NO MATCH for %s — tried: serial='%s' mac='%s' name_key='%s' — will CREATE new asset",
                    $m['device_key'],
                    $m['tried']['serial'] ?? '',
                    $m['tried']['mac'] ?? '',
                    $m['tried']['name_key'] ?? ''
                ));
            } elseif ($asset['kind'] === 'existing') {
                PluginGdmsintegrationLog::info(sprintf('  MATCH by %s %s → %s #%d', $m['reason'], $m['device_key'], $asset['itemtype'], $asset['id']));
            }
        }
    }

    /**
     * @param array<string, mixed> $create
     */
    private function createAsset(array $create): void
    {
        $itemtype = (string) $create['itemtype'];
        $meta = PluginGdmsintegrationStore::ASSET_TYPES[$itemtype] ?? throw new UnexpectedValueException("unknown itemtype $itemtype");
        $item = new $itemtype();
        $id = $item->add([
            'entities_id'     => (int) $create['entities_id'],
            'name'            => (string) $create['name'],
            'serial'          => (string) ($create['serial'] ?? ''),
            'uuid'            => (string) ($create['uuid'] ?? ''),
            $meta['model_fk'] => (int) ($create['model_id'] ?? 0),
        ]);
        if (!$id) {
            throw new RuntimeException(sprintf('GLPI refused to create %s "%s"', $itemtype, $create['name']));
        }
        $this->created[(string) $create['device_key']] = ['itemtype' => $itemtype, 'id' => (int) $id];
        PluginGdmsintegrationLog::info(sprintf('  CREATE %s #%d — %s (MAC:%s SN:%s)', $itemtype, $id, $create['name'], $create['uuid'] ?? '', $create['serial'] ?? ''));
    }

    /**
     * Fills the empty fields the plan names, re-checked against the asset as
     * it is now (an administrator may have filled one since the plan was made).
     *
     * @param array<string, mixed> $fill
     */
    private function fillAsset(array $fill): void
    {
        $itemtype = (string) $fill['itemtype'];
        $meta = PluginGdmsintegrationStore::ASSET_TYPES[$itemtype] ?? throw new UnexpectedValueException("unknown itemtype $itemtype");
        $item = new $itemtype();
        if (!$item->getFromDB((int) $fill['id'])) {
            return;
        }
        $input = [];
        foreach (['serial' => 'serial', 'uuid' => 'uuid', 'model_id' => $meta['model_fk']] as $key => $column) {
            $current = $item->fields[$column] ?? null;
            if (($fill[$key] ?? null) !== null && ($current === null || $current === '' || $current === 0 || $current === '0')) {
                $input[$column] = $fill[$key];
            }
        }
        if ($input !== []) {
            $item->update(['id' => (int) $fill['id']] + $input);
            PluginGdmsintegrationLog::info(sprintf('  UPDATE %s #%d — filled %s', $itemtype, $fill['id'], implode(', ', array_keys($input))));
        }
    }

    /**
     * The GLPI asset an AssetRef designates, or null.
     *
     * @param array<string, mixed>|null $ref
     * @return array{itemtype: string, id: int}|null
     */
    private function resolveAsset(?array $ref): ?array
    {
        return match ($ref['kind'] ?? null) {
            'existing' => ['itemtype' => (string) $ref['itemtype'], 'id' => (int) $ref['id']],
            'planned'  => $this->created[(string) $ref['device_key']] ?? null,
            default    => null,
        };
    }

    /**
     * Writes the full new state of every device: one prepared UPDATE for the
     * rows that exist, one prepared INSERT for new ones.
     *
     * @param list<array<string, mixed>> $devices
     */
    private function upsertDevices(array $devices): void
    {
        global $DB;
        if ($devices === []) {
            return;
        }
        $existing = [];
        foreach ($DB->request(['SELECT' => ['device_key'], 'FROM' => PluginGdmsintegrationStore::DEVICES, 'WHERE' => ['entities_id' => $this->entities_id]]) as $row) {
            $existing[$row['device_key']] = true;
        }
        $statements = [];
        foreach ($devices as $doc) {
            $row = $this->deviceRow($doc);
            $is_update = isset($existing[(string) $doc['device_key']]);
            $shape = ($is_update ? 'u:' : 'i:') . implode(',', array_keys($row));
            if (!isset($statements[$shape])) {
                $params = [];
                foreach (array_keys($row) as $column) {
                    $params[$column] = in_array($column, PluginGdmsintegrationStore::DEVICE_TIMES, true)
                        ? new QueryExpression('FROM_UNIXTIME(?)')
                        : new QueryParam();
                }
                $params['date_mod'] = new QueryExpression('NOW()');
                if (!$is_update) {
                    $params['date_creation'] = new QueryExpression('NOW()');
                }
                $sql = $is_update
                    ? $DB->buildUpdate(PluginGdmsintegrationStore::DEVICES, $params, ['entities_id' => new QueryParam(), 'device_key' => new QueryParam()])
                    : $DB->buildInsert(PluginGdmsintegrationStore::DEVICES, ['entities_id' => new QueryParam()] + $params);
                $statements[$shape] = $DB->prepare($sql);
            }
            $values = array_values($row);
            $values = $is_update
                ? [...$values, $this->entities_id, (string) $doc['device_key']]
                : [$this->entities_id, ...$values];
            $DB->executeStatement($statements[$shape], $values);
        }
    }

    /**
     * One DeviceState document as column values (timestamps as epoch seconds or null).
     *
     * @param array<string, mixed> $doc
     * @return array<string, mixed>
     */
    private function deviceRow(array $doc): array
    {
        $row = [
            'device_key' => (string) $doc['device_key'],
            'cloud'      => (string) $doc['cloud'],
            'source_key' => (string) $doc['source_key'],
            'mac'        => (string) ($doc['mac'] ?? ''),
            'serial'     => (string) ($doc['serial'] ?? ''),
            'name'       => mb_substr((string) $doc['name'], 0, 255),
            'model'      => mb_substr((string) $doc['model'], 0, 255),
            'category'   => (string) $doc['category'],
            'status'     => (string) $doc['status'],
            'is_stale'   => (int) (bool) $doc['is_stale'],
        ];
        foreach (['network_id', 'network_name', 'public_ip', 'private_ip', 'ipv6', 'firmware', 'firmware_latest', 'location'] as $col) {
            $row[$col] = mb_substr((string) ($doc[$col] ?? ''), 0, 255);
        }
        foreach (['uptime_sec', 'clients', 'upload_bytes', 'download_bytes', 'channel_2g', 'channel_5g'] as $col) {
            $row[$col] = (int) ($doc[$col] ?? 0);
        }
        foreach (PluginGdmsintegrationStore::DEVICE_TIMES as $col) {
            $row[$col] = isset($doc[$col]) ? (int) $doc[$col] : null;
        }
        foreach (PluginGdmsintegrationStore::DEVICE_JSON as $col => $field) {
            $row[$col] = json_encode($doc[$field] ?? null, JSON_THROW_ON_ERROR | JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES);
        }
        $asset = $this->resolveAsset($doc['asset'] ?? null);
        if ($asset !== null) {
            $row['itemtype'] = $asset['itemtype'];
            $row['items_id'] = $asset['id'];
        }
        return $row;
    }

    /**
     * @param list<array<string, mixed>> $purge
     */
    private function purge(array $purge): void
    {
        global $DB;
        if ($purge === []) {
            return;
        }
        $keys = array_map(static fn(array $p): string => (string) $p['device_key'], $purge);
        foreach ([PluginGdmsintegrationStore::DEVICES, self::SAMPLES, self::DAILIES] as $table) {
            $DB->delete($table, ['entities_id' => $this->entities_id, 'device_key' => $keys]);
        }
        $DB->delete(self::LINKS, ['entities_id' => $this->entities_id, 'OR' => ['source_key' => $keys, 'target_key' => $keys]]);
        foreach ($purge as $p) {
            PluginGdmsintegrationLog::info(sprintf('  REMOVED %s (%s): %s — deleting plugin state (GLPI asset kept, no ticket)', $p['device_key'], $p['name'], $p['reason']));
        }
    }

    /**
     * @param list<array<string, mixed>> $samples
     */
    private function insertSamples(array $samples): void
    {
        global $DB;
        if ($samples === []) {
            return;
        }
        $stmt = $DB->prepare($DB->buildInsert(self::SAMPLES, [
            'entities_id' => new QueryParam(),
            'device_key'  => new QueryParam(),
            'is_online'   => new QueryParam(),
            'date'        => new QueryExpression('FROM_UNIXTIME(?)'),
        ]));
        foreach ($samples as $s) {
            $DB->executeStatement($stmt, [$this->entities_id, (string) $s['device_key'], (int) (bool) $s['is_online'], (int) $s['at']]);
        }
    }

    /**
     * Adds seconds to the daily roll-ups, creating the day's row when missing.
     *
     * @param list<array<string, mixed>> $rollups
     */
    private function addRollups(array $rollups): void
    {
        global $DB;
        if ($rollups === []) {
            return;
        }
        $insert = $DB->buildInsert(self::DAILIES, [
            'entities_id'      => new QueryParam(),
            'device_key'       => new QueryParam(),
            'day'              => new QueryParam(),
            'online_seconds'   => new QueryParam(),
            'observed_seconds' => new QueryParam(),
        ]);
        $stmt = $DB->prepare($insert . ' ON DUPLICATE KEY UPDATE '
            . '`online_seconds` = `online_seconds` + VALUES(`online_seconds`), '
            . '`observed_seconds` = `observed_seconds` + VALUES(`observed_seconds`)');
        foreach ($rollups as $r) {
            $DB->executeStatement($stmt, [$this->entities_id, (string) $r['device_key'], (string) $r['day'], (int) $r['online_s'], (int) $r['observed_s']]);
        }
    }

    /**
     * @param array{purge_before_day: string, purge_samples_before: int} $retention
     */
    private function applyRetention(array $retention): void
    {
        global $DB;
        $DB->delete(self::DAILIES, ['entities_id' => $this->entities_id, 'day' => ['<', $retention['purge_before_day']]]);
        $DB->delete(self::SAMPLES, [
            'entities_id' => $this->entities_id,
            new QueryExpression(sprintf('%s < FROM_UNIXTIME(%d)', $DB::quoteName('date'), (int) $retention['purge_samples_before'])),
        ]);
    }

    /**
     * @param list<array{source_key: string, target_key: string, type: string}> $edges
     */
    private function replaceLinks(array $edges): void
    {
        global $DB;
        $DB->delete(self::LINKS, ['entities_id' => $this->entities_id]);
        if ($edges === []) {
            return;
        }
        $stmt = $DB->prepare($DB->buildInsert(self::LINKS, [
            'entities_id' => new QueryParam(),
            'source_key'  => new QueryParam(),
            'target_key'  => new QueryParam(),
            'type'        => new QueryParam(),
        ]));
        foreach ($edges as $e) {
            $DB->executeStatement($stmt, [$this->entities_id, (string) $e['source_key'], (string) $e['target_key'], (string) $e['type']]);
        }
    }
}
