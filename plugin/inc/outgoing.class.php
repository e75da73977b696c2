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
 * Capture of outgoing webhook events: GLPI item hooks (tickets, followups,
 * solutions, approvals) and the sync engine's plan events.
 *
 * Each event is written in the request that caused it: one content row
 * (the signed body, built by the extension) and one queue row per
 * subscription whose filters pass. A hook never breaks the save of the
 * ticket: every failure is caught and logged. The delivery itself is
 * PluginGdmsintegrationOutgoingdelivery's cron task.
 */
final class PluginGdmsintegrationOutgoing
{
    use PluginGdmsintegrationChainedHooks;

    public const EVENTS = 'glpi_plugin_gdmsintegration_outgoingevents';
    public const QUEUE = 'glpi_plugin_gdmsintegration_outgoingqueues';
    public const ATTEMPTS = 'glpi_plugin_gdmsintegration_outgoingattempts';

    public const STATE_PENDING = 'pending';
    public const STATE_DELIVERED = 'delivered';
    public const STATE_DEAD = 'dead';

    /** GLPI hook => itemtype => listener method (see PluginGdmsintegrationChainedHooks). */
    public const HOOKS = [
        'item_add' => [
            'Ticket'           => 'onTicketAdd',
            'ITILFollowup'     => 'onFollowupAdd',
            'ITILSolution'     => 'onSolutionAdd',
            'TicketValidation' => 'onValidationAdd',
        ],
        'item_update' => [
            'TicketValidation' => 'onValidationUpdate',
        ],
    ];

    /**
     * `item_add` on Ticket.
     */
    public static function onTicketAdd(CommonDBTM $ticket): void
    {
        self::safely('TicketCreated', static function () use ($ticket): void {
            $id = $ticket->getID();
            self::enqueueForTicket('TicketCreated', $id, [
                'ticket_id' => $id,
                'subject'   => (string) ($ticket->fields['name'] ?? ''),
                'content'   => (string) ($ticket->fields['content'] ?? ''),
            ]);
        });
    }

    /**
     * `item_add` on ITILFollowup (ticket followups only).
     */
    public static function onFollowupAdd(CommonDBTM $followup): void
    {
        if (($followup->fields['itemtype'] ?? '') !== 'Ticket') {
            return;
        }
        self::safely('TicketFollowupAdded', static function () use ($followup): void {
            $tid = (int) $followup->fields['items_id'];
            self::enqueueForTicket('TicketFollowupAdded', $tid, [
                'ticket_id'   => $tid,
                'followup_id' => $followup->getID(),
                'content'     => (string) ($followup->fields['content'] ?? ''),
            ]);
        });
    }

    /**
     * `item_add` on ITILSolution (ticket solutions only).
     */
    public static function onSolutionAdd(CommonDBTM $solution): void
    {
        if (($solution->fields['itemtype'] ?? '') !== 'Ticket') {
            return;
        }
        self::safely('TicketSolved', static function () use ($solution): void {
            $tid = (int) $solution->fields['items_id'];
            self::enqueueForTicket('TicketSolved', $tid, [
                'ticket_id'   => $tid,
                'solution_id' => $solution->getID(),
                'content'     => (string) ($solution->fields['content'] ?? ''),
                'status'      => self::approvalStatus((int) ($solution->fields['status'] ?? 0)),
            ]);
        });
    }

    /**
     * `item_add` on TicketValidation.
     */
    public static function onValidationAdd(CommonDBTM $validation): void
    {
        self::safely('TicketApprovalAdded', static function () use ($validation): void {
            $tid = (int) $validation->fields['tickets_id'];
            self::enqueueForTicket('TicketApprovalAdded', $tid, [
                'approval_id' => $validation->getID(),
                'ticket_id'   => $tid,
                'user_id'     => self::validator($validation->fields),
                'content'     => (string) ($validation->fields['comment_submission'] ?? ''),
            ]);
        });
    }

    /**
     * `item_update` on TicketValidation: only when the status becomes accepted or refused.
     */
    public static function onValidationUpdate(CommonDBTM $validation): void
    {
        $status = (int) ($validation->fields['status'] ?? 0);
        if (!in_array('status', $validation->updates, true)
            || !in_array($status, [CommonITILValidation::ACCEPTED, CommonITILValidation::REFUSED], true)) {
            return;
        }
        self::safely('TicketApprovalResolved', static function () use ($validation, $status): void {
            $tid = (int) $validation->fields['tickets_id'];
            self::enqueueForTicket('TicketApprovalResolved', $tid, [
                'approval_id' => $validation->getID(),
                'ticket_id'   => $tid,
                'user_id'     => self::validator($validation->fields),
                'content'     => (string) ($validation->fields['comment_validation'] ?? ''),
                'status'      => $status === CommonITILValidation::ACCEPTED ? 'approved' : 'refused',
            ]);
        });
    }

    /**
     * Queues the engine's plan events (gdms_core::engine::events) of one entity. Runs
     * inside the applier's transaction: errors propagate and the whole plan is rolled back.
     *
     * @param list<array{kind: string, device_key: string, at: int|string, details?: array<string, string>}> $events
     * @return int queue rows written
     */
    public static function enqueuePlanEvents(int $entities_id, array $events): int
    {
        $written = 0;
        foreach ($events as $event) {
            $type = self::engineEventType((string) $event['kind']);
            if ($type === null) {
                continue;
            }
            $details = is_array($event['details'] ?? null) ? $event['details'] : [];
            $data = array_map('strval', $details) + [
                'device_key'  => (string) $event['device_key'],
                'entities_id' => $entities_id,
                'observed_at' => (int) $event['at'],
            ];
            $written += self::enqueue(
                $type,
                $data,
                (string) ($details['name'] ?? ''),
                0,
                'device:' . $entities_id . ':' . $event['device_key'],
                (int) $event['at']
            );
        }
        return $written;
    }

    /**
     * Engine event kind (snake_case) => subscription event type.
     */
    public static function engineEventType(string $kind): ?string
    {
        return [
            'device_offline'     => 'DeviceOffline',
            'device_online'      => 'DeviceOnline',
            'wan_down'           => 'WanDown',
            'wan_no_internet'    => 'WanNoInternet',
            'wan_recovered'      => 'WanRecovered',
            'firmware_available' => 'FirmwareAvailable',
        ][$kind] ?? null;
    }

    /**
     * @param array<string, mixed> $data
     */
    private static function enqueueForTicket(string $type, int $tickets_id, array $data): void
    {
        $ticket = new Ticket();
        $subject = '';
        $category = 0;
        if ($ticket->getFromDB($tickets_id)) {
            $subject = (string) ($ticket->fields['name'] ?? '');
            $category = (int) ($ticket->fields['itilcategories_id'] ?? 0);
        }
        self::enqueue($type, $data, $subject, $category, 'ticket:' . $tickets_id, time());
    }

    /**
     * Writes the content row and one queue row per matching subscription; nothing when none matches.
     *
     * @param array<string, mixed> $data
     * @param list<int>|null $only restrict to these subscriptions (test events)
     * @return int queue rows written
     */
    public static function enqueue(string $type, array $data, string $subject, int $category, string $chain, int $occurred_at, ?array $only = null): int
    {
        global $DB;

        $where = $only !== null
            ? ['id' => $only]
            : ['event_type' => $type, 'OR' => ['is_active' => 1, 'deactivation_reason' => PluginGdmsintegrationSubscription::REASON_PAUSED]];
        $subscriptions = [];
        foreach ($DB->request([
            'SELECT' => ['id', 'itilcategories_id', 'title_regex'],
            'FROM'   => PluginGdmsintegrationSubscription::TABLE,
            'WHERE'  => $where,
        ]) as $row) {
            $subscriptions[] = [
                'id'                => (int) $row['id'],
                'itilcategories_id' => $only !== null ? 0 : (int) $row['itilcategories_id'],
                'title_regex'       => $only !== null ? '' : (string) $row['title_regex'],
            ];
        }
        if ($subscriptions === []) {
            return 0;
        }
        $prepared = PluginGdmsintegrationNative::outgoingPrepare([
            'event' => [
                'type'              => $type,
                'occurred_at'       => $occurred_at,
                'data'              => (object) $data,
                'subject'           => $subject,
                'itilcategories_id' => $category,
            ],
            'subscriptions' => $subscriptions,
        ]);
        foreach ($prepared['problems'] as $problem) {
            PluginGdmsintegrationLog::info(sprintf('Outgoing webhook subscription #%d skipped: %s', $problem['id'], $problem['error']));
        }
        if ($prepared['subscriptions'] === []) {
            return 0;
        }

        $now = gmdate('Y-m-d H:i:s');
        // Inside the sync's transaction GLPI nests this one as a savepoint.
        $DB->beginTransaction();
        try {
            $ok = $DB->insert(self::EVENTS, [
                'event_type'    => $type,
                'message_id'    => $prepared['id'],
                'chain'         => $chain,
                'body'          => $prepared['body'],
                'date_creation' => $now,
            ]);
            if (!$ok) {
                throw new RuntimeException('the outgoing event could not be stored');
            }
            $event_id = $DB->insertId();
            $stmt = $DB->prepare($DB->buildInsert(self::QUEUE, [
                'subscriptions_id'  => new QueryParam(),
                'outgoingevents_id' => new QueryParam(),
                'chain'             => new QueryParam(),
                'state'             => new QueryParam(),
                'attempts'          => new QueryParam(),
                'next_attempt_at'   => new QueryParam(),
                'date_creation'     => new QueryParam(),
                'date_mod'          => new QueryParam(),
            ]));
            foreach ($prepared['subscriptions'] as $sid) {
                $DB->executeStatement($stmt, [(int) $sid, $event_id, $chain, self::STATE_PENDING, 0, $now, $now, $now]);
            }
            $DB->commit();
        } catch (Throwable $e) {
            $DB->rollBack();
            throw $e;
        }
        return count($prepared['subscriptions']);
    }

    /**
     * Runs a capture; a failure is logged and never reaches the caller (the ticket save).
     */
    private static function safely(string $type, callable $capture): void
    {
        try {
            $capture();
        } catch (Throwable $e) {
            PluginGdmsintegrationLog::info(sprintf('Outgoing webhook event %s not queued: %s', $type, $e->getMessage()));
        }
    }

    /**
     * @param array<string, mixed> $fields
     */
    private static function validator(array $fields): int
    {
        // GLPI 11 targets a user or a group (itemtype_target/items_id_target); users_id_validate is the legacy column.
        if (($fields['itemtype_target'] ?? '') === 'User' && (int) ($fields['items_id_target'] ?? 0) > 0) {
            return (int) $fields['items_id_target'];
        }
        return (int) ($fields['users_id_validate'] ?? 0);
    }

    private static function approvalStatus(int $status): string
    {
        return match ($status) {
            CommonITILValidation::WAITING  => 'waiting',
            CommonITILValidation::ACCEPTED => 'accepted',
            CommonITILValidation::REFUSED  => 'refused',
            default                        => 'none',
        };
    }
}
