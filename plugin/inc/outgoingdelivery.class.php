<?php

/**
 * -------------------------------------------------------------------------
 * GDMS Integration plugin for GLPI
 * -------------------------------------------------------------------------
 * @license   GPL-3.0-or-later https://www.gnu.org/licenses/gpl-3.0.html
 * -------------------------------------------------------------------------
 */

declare(strict_types=1);

use Glpi\DBAL\QueryParam;

/**
 * Delivery of queued outgoing webhooks (cron every minute) and cleanup of
 * the archive (daily), plus the operator tools: replay, test event, log.
 *
 * The extension sends, signs and decides; this class selects the due rows
 * and stores what the extension reports: attempts archived, queue rows
 * delivered / rescheduled / dead-lettered, subscriptions' failure counts
 * and deactivations.
 */
final class PluginGdmsintegrationOutgoingdelivery
{
    public const TASK_DELIVER = 'OutgoingDeliver';
    public const TASK_CLEANUP = 'OutgoingCleanup';

    /**
     * @return array{description: string}
     */
    public static function cronInfo(string $name): array
    {
        return match ($name) {
            self::TASK_DELIVER => ['description' => __('Send queued outgoing webhooks', 'gdmsintegration')],
            self::TASK_CLEANUP => ['description' => __('Remove archived outgoing webhook deliveries past their retention', 'gdmsintegration')],
            default            => ['description' => ''],
        };
    }

    /**
     * @return int 1 when something was sent, 0 when nothing was due
     */
    public static function cronOutgoingDeliver(CronTask $task): int
    {
        $result = self::deliverDue();
        $task->addVolume($result['attempts']);
        if ($result['attempts'] > 0) {
            $task->log(sprintf('%d attempts: %d delivered, %d to retry, %d dead, %d waiting for order', $result['attempts'], $result['delivered'], $result['retry'], $result['dead'], $result['skipped']));
        }
        return $result['attempts'] > 0 ? 1 : 0;
    }

    public static function cronOutgoingCleanup(CronTask $task): int
    {
        $removed = self::cleanup(time());
        $task->addVolume($removed);
        return $removed > 0 ? 1 : 0;
    }

    /**
     * Sends every due pending row (at most the batch setting) of deliverable subscriptions.
     *
     * @param list<int>|null $only_queue_ids restrict to these rows (replay, test event), due or not
     * @return array{attempts: int, delivered: int, retry: int, dead: int, gone: int, skipped: int, report: array<string, mixed>}
     */
    public static function deliverDue(?array $only_queue_ids = null): array
    {
        global $DB;

        $settings = PluginGdmsintegrationSubscription::settings();
        $now = time();
        $subs = [];
        foreach ($DB->request(['FROM' => PluginGdmsintegrationSubscription::TABLE, 'WHERE' => $only_queue_ids === null ? ['is_active' => 1] : []]) as $s) {
            $subs[(int) $s['id']] = $s;
        }
        $empty = ['attempts' => 0, 'delivered' => 0, 'retry' => 0, 'dead' => 0, 'gone' => 0, 'skipped' => 0, 'report' => []];
        if ($subs === []) {
            return $empty;
        }
        $where = ['state' => PluginGdmsintegrationOutgoing::STATE_PENDING, 'subscriptions_id' => array_keys($subs)];
        $heads = [];
        if ($only_queue_ids !== null) {
            $where['id'] = $only_queue_ids;
            $rows = iterator_to_array($DB->request(['FROM' => PluginGdmsintegrationOutgoing::QUEUE, 'WHERE' => $where, 'ORDER' => 'id ASC']), false);
        } else {
            $rows = self::dueRows($where, $now, $settings['outgoing_batch'], $heads);
        }
        if ($rows === []) {
            return $empty;
        }

        $bodies = [];
        foreach ($DB->request([
            'SELECT' => ['id', 'message_id', 'body'],
            'FROM'   => PluginGdmsintegrationOutgoing::EVENTS,
            'WHERE'  => ['id' => array_values(array_unique(array_map(static fn($r) => (int) $r['outgoingevents_id'], $rows)))],
        ]) as $e) {
            $bodies[(int) $e['id']] = $e;
        }

        $secrets = [];
        $deliveries = [];
        foreach ($rows as $r) {
            $sid = (int) $r['subscriptions_id'];
            $event = $bodies[(int) $r['outgoingevents_id']] ?? null;
            if ($event === null) {
                continue;
            }
            $secrets[$sid] ??= PluginGdmsintegrationSubscription::signingSecrets($subs[$sid], $now);
            $deliveries[] = [
                'queue_id'        => (int) $r['id'],
                'subscription_id' => $sid,
                // A replay or test is sent on its own, whatever is queued before it.
                'chain'           => $only_queue_ids === null ? (string) $r['chain'] : '',
                'chain_head'      => $heads[$sid . '|' . $r['chain']] ?? 0,
                'url'             => (string) $subs[$sid]['url'],
                'secrets'         => $secrets[$sid],
                'message_id'      => (string) $event['message_id'],
                'body'            => (string) $event['body'],
                'attempts'        => (int) $r['attempts'],
            ];
        }
        $report = PluginGdmsintegrationNative::outgoingDeliver([
            'options' => [
                'concurrency'        => $settings['outgoing_concurrency'],
                'connect_timeout_ms' => min(5000, $settings['outgoing_timeout_s'] * 1000),
                'timeout_ms'         => $settings['outgoing_timeout_s'] * 1000,
                'allow_private'      => $settings['outgoing_allow_private'] === 1,
                'failure_threshold'  => $settings['outgoing_failure_threshold'],
            ],
            'deliveries'    => $deliveries,
            'subscriptions' => array_map(static fn(array $s): array => ['id' => (int) $s['id'], 'failures' => (int) $s['failures']], array_values($subs)),
        ]);
        $counts = self::store($report);
        return $counts + ['skipped' => count($report['skipped']), 'report' => $report];
    }

    /**
     * The rows to send now, oldest first: only chains (subscription + ticket/device) whose
     * oldest pending row is due, with the rows queued behind it. A chain waiting for its
     * backoff takes no room in the batch, so one failing receiver never starves the others.
     *
     * @param array<mixed> $where pending rows of deliverable subscriptions
     * @param array<string, int> $heads filled: "subscription|chain" => oldest pending id
     * @return list<array<string, mixed>>
     */
    private static function dueRows(array $where, int $now, int $batch, array &$heads): array
    {
        global $DB;
        foreach ($DB->request([
            'SELECT'  => ['subscriptions_id', 'chain', 'MIN' => 'id AS head'],
            'FROM'    => PluginGdmsintegrationOutgoing::QUEUE,
            'WHERE'   => $where,
            'GROUPBY' => ['subscriptions_id', 'chain'],
        ]) as $h) {
            $heads[$h['subscriptions_id'] . '|' . $h['chain']] = (int) $h['head'];
        }
        if ($heads === []) {
            return [];
        }
        $due = [];
        foreach ($DB->request([
            'SELECT' => ['subscriptions_id', 'chain'],
            'FROM'   => PluginGdmsintegrationOutgoing::QUEUE,
            'WHERE'  => [
                'id' => array_values($heads),
                ['OR' => [['next_attempt_at' => null], ['next_attempt_at' => ['<=', gmdate('Y-m-d H:i:s', $now)]]]],
            ],
            'ORDER'  => 'id ASC',
            'LIMIT'  => $batch,
        ]) as $d) {
            $due[$d['subscriptions_id'] . '|' . $d['chain']] = true;
        }
        if ($due === []) {
            return [];
        }
        $sids = array_values(array_unique(array_map(static fn(string $k): int => (int) strstr($k, '|', true), array_keys($due))));
        $chains = array_values(array_unique(array_map(static fn(string $k): string => substr($k, strpos($k, '|') + 1), array_keys($due))));
        $rows = [];
        foreach ($DB->request([
            'FROM'  => PluginGdmsintegrationOutgoing::QUEUE,
            'WHERE' => array_merge($where, ['chain' => $chains, 'subscriptions_id' => $sids]),
            'ORDER' => 'id ASC',
            'LIMIT' => $batch,
        ]) as $r) {
            if (isset($due[$r['subscriptions_id'] . '|' . $r['chain']])) {
                $rows[] = $r;
            }
        }
        return $rows;
    }

    /**
     * Stores a delivery report in one transaction.
     *
     * @param array<string, mixed> $report
     * @return array{attempts: int, delivered: int, retry: int, dead: int, gone: int}
     */
    private static function store(array $report): array
    {
        global $DB;
        $counts = ['attempts' => 0, 'delivered' => 0, 'retry' => 0, 'dead' => 0, 'gone' => 0];
        $DB->beginTransaction();
        try {
            $archive = $DB->prepare($DB->buildInsert(PluginGdmsintegrationOutgoing::ATTEMPTS, [
                'outgoingqueues_id' => new QueryParam(),
                'subscriptions_id'  => new QueryParam(),
                'attempt'           => new QueryParam(),
                'sent_at'           => new QueryParam(),
                'status'            => new QueryParam(),
                'duration_ms'       => new QueryParam(),
                'outcome'           => new QueryParam(),
                'error'             => new QueryParam(),
                'response'          => new QueryParam(),
            ]));
            $update = $DB->prepare($DB->buildUpdate(PluginGdmsintegrationOutgoing::QUEUE, [
                'state'           => new QueryParam(),
                'attempts'        => new QueryParam(),
                'next_attempt_at' => new QueryParam(),
                'last_status'     => new QueryParam(),
                'last_error'      => new QueryParam(),
                'date_mod'        => new QueryParam(),
            ], ['id' => new QueryParam()]));
            $now = gmdate('Y-m-d H:i:s');
            foreach ($report['attempts'] as $a) {
                $error = mb_substr((string) $a['error'], 0, 255);
                $DB->executeStatement($archive, [
                    (int) $a['queue_id'], (int) $a['subscription_id'], (int) $a['attempt'],
                    gmdate('Y-m-d H:i:s', (int) $a['sent_at']), (int) $a['status'], (int) $a['duration_ms'],
                    (string) $a['outcome'], $error, (string) $a['response'],
                ]);
                $state = match ($a['outcome']) {
                    'delivered' => PluginGdmsintegrationOutgoing::STATE_DELIVERED,
                    'dead'      => PluginGdmsintegrationOutgoing::STATE_DEAD,
                    default     => PluginGdmsintegrationOutgoing::STATE_PENDING,
                };
                $next = $a['next_attempt_at'] === null ? null : gmdate('Y-m-d H:i:s', (int) $a['next_attempt_at']);
                $DB->executeStatement($update, [$state, (int) $a['attempt'], $next, (int) $a['status'], $error, $now, (int) $a['queue_id']]);
                $counts['attempts']++;
                $counts[(string) $a['outcome']]++;
            }
            foreach ($report['subscriptions'] as $s) {
                $DB->update(PluginGdmsintegrationSubscription::TABLE, ['failures' => (int) $s['failures']], ['id' => (int) $s['id']]);
                if ($s['deactivate'] !== null) {
                    PluginGdmsintegrationSubscription::deactivate((int) $s['id'], (string) $s['deactivate']);
                }
            }
            $DB->commit();
        } catch (Throwable $e) {
            $DB->rollBack();
            throw $e;
        }
        return $counts;
    }

    /**
     * Sends a delivery again now, whatever its state (the attempt count restarts).
     *
     * @return array<string, mixed>|null the attempt, or null when the row does not exist
     */
    public static function replay(int $queue_id): ?array
    {
        global $DB;
        if (countElementsInTable(PluginGdmsintegrationOutgoing::QUEUE, ['id' => $queue_id]) === 0) {
            return null;
        }
        $DB->update(PluginGdmsintegrationOutgoing::QUEUE, [
            'state' => PluginGdmsintegrationOutgoing::STATE_PENDING, 'attempts' => 0, 'next_attempt_at' => gmdate('Y-m-d H:i:s'),
        ], ['id' => $queue_id]);
        $result = self::deliverDue([$queue_id]);
        return $result['report']['attempts'][0] ?? null;
    }

    /**
     * Sends a `webhook.test` event to one subscription now (active or not) and reports the attempt.
     *
     * @return array<string, mixed>|null
     */
    public static function sendTest(int $subscriptions_id): ?array
    {
        global $DB;
        $sub = PluginGdmsintegrationSubscription::row($subscriptions_id);
        if ($sub === []) {
            return null;
        }
        $written = PluginGdmsintegrationOutgoing::enqueue('Test', [
            'subscription_id' => $subscriptions_id,
            'name'            => (string) $sub['name'],
            'event_type'      => (string) $sub['event_type'],
            'message'         => 'Test event from GLPI (GDMS Integration)',
        ], '', 0, 'test:' . $subscriptions_id, time(), [$subscriptions_id]);
        if ($written === 0) {
            return null;
        }
        $row = $DB->request([
            'SELECT' => ['id'], 'FROM' => PluginGdmsintegrationOutgoing::QUEUE,
            'WHERE' => ['subscriptions_id' => $subscriptions_id], 'ORDER' => 'id DESC', 'LIMIT' => 1,
        ])->current();
        $result = self::deliverDue([(int) $row['id']]);
        // A test is not retried: one attempt, archived, then closed.
        $DB->update(PluginGdmsintegrationOutgoing::QUEUE, ['state' => PluginGdmsintegrationOutgoing::STATE_DEAD], [
            'id' => (int) $row['id'], 'state' => PluginGdmsintegrationOutgoing::STATE_PENDING,
        ]);
        return $result['report']['attempts'][0] ?? null;
    }

    /**
     * Removes, past the retention: attempts, finished (delivered/dead) queue rows, and events no row refers to.
     *
     * @return int rows removed
     */
    public static function cleanup(int $now): int
    {
        global $DB;
        $limit = gmdate('Y-m-d H:i:s', $now - PluginGdmsintegrationSubscription::settings()['outgoing_retention_days'] * DAY_TIMESTAMP);
        $removed = 0;
        $DB->delete(PluginGdmsintegrationOutgoing::ATTEMPTS, ['sent_at' => ['<', $limit]]);
        $removed += $DB->affectedRows();
        $DB->delete(PluginGdmsintegrationOutgoing::QUEUE, [
            'state'    => [PluginGdmsintegrationOutgoing::STATE_DELIVERED, PluginGdmsintegrationOutgoing::STATE_DEAD],
            'date_mod' => ['<', $limit],
        ]);
        $removed += $DB->affectedRows();
        $referenced = [];
        foreach ($DB->request(['SELECT' => ['outgoingevents_id'], 'DISTINCT' => true, 'FROM' => PluginGdmsintegrationOutgoing::QUEUE]) as $r) {
            $referenced[] = (int) $r['outgoingevents_id'];
        }
        $where = ['date_creation' => ['<', $limit]];
        if ($referenced !== []) {
            $where['NOT'] = ['id' => $referenced];
        }
        $DB->delete(PluginGdmsintegrationOutgoing::EVENTS, $where);
        $removed += $DB->affectedRows();
        return $removed;
    }

    /**
     * The delivery log of one subscription, newest first.
     *
     * @param array{state?: string, outcome?: string, since?: string} $filters
     * @return list<array<string, mixed>>
     */
    public static function log(int $subscriptions_id, array $filters = [], int $limit = 200): array
    {
        global $DB;
        $where = ['subscriptions_id' => $subscriptions_id];
        if (($filters['outcome'] ?? '') !== '') {
            $where['outcome'] = (string) $filters['outcome'];
        }
        if (($filters['since'] ?? '') !== '') {
            $where['sent_at'] = ['>=', (string) $filters['since']];
        }
        $out = [];
        foreach ($DB->request([
            'FROM' => PluginGdmsintegrationOutgoing::ATTEMPTS, 'WHERE' => $where, 'ORDER' => 'id DESC', 'LIMIT' => $limit,
        ]) as $row) {
            $out[] = $row;
        }
        return $out;
    }

    /**
     * Queue rows of one subscription (pending first), for the log page.
     *
     * @return list<array<string, mixed>>
     */
    public static function queue(int $subscriptions_id, string $state = '', int $limit = 200): array
    {
        global $DB;
        $where = ['subscriptions_id' => $subscriptions_id];
        if ($state !== '') {
            $where['state'] = $state;
        }
        return iterator_to_array($DB->request([
            'FROM' => PluginGdmsintegrationOutgoing::QUEUE, 'WHERE' => $where, 'ORDER' => 'id DESC', 'LIMIT' => $limit,
        ]), false);
    }
}
