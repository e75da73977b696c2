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
 * GLPI -> Chatwoot. A public followup or a solution added in GLPI to a
 * ticket linked to a conversation is queued (one row per followup/solution,
 * held by a unique key) and posted to the conversation by the ChatwootSend
 * automatic action, with retries and backoff; a ticket becoming solved or
 * closed queues the resolution of the conversation.
 *
 * No echo loop: what the plugin itself writes from Chatwoot carries
 * `_chatwoot_import` and is never queued; what it posts carries a marker in
 * `content_attributes` and its message id is stored, so the webhook echo is
 * never imported.
 */
final class PluginGdmsintegrationChatwootqueue extends CommonDBTM
{
    use PluginGdmsintegrationChainedHooks;

    public const TASK_NAME = 'ChatwootSend';
    public const TABLE = 'glpi_plugin_gdmsintegration_chatwootqueues';

    /** Attempts before a row is given up (failed). */
    public const MAX_ATTEMPTS = 8;
    /** Rows sent per run. */
    public const BATCH = 100;

    private const ER_DUP_ENTRY = 1062;

    public static function getTable($classname = null): string
    {
        return self::TABLE;
    }

    public static function getTypeName($nb = 0): string
    {
        return __('Chatwoot outbox', 'gdmsintegration');
    }

    /** GLPI hooks of this class: hook => itemtype => method (see PluginGdmsintegrationChainedHooks). */
    private const HOOKS = [
        'item_add'    => ['ITILFollowup' => 'followupAdded', 'ITILSolution' => 'solutionAdded'],
        'item_update' => ['Ticket' => 'ticketUpdated'],
    ];

    /** item_add hook of ITILFollowup. */
    public static function followupAdded(CommonDBTM $followup): void
    {
        if (!empty($followup->input['_chatwoot_import']) || (int) ($followup->fields['is_private'] ?? 0) === 1) {
            return;
        }
        self::enqueueText($followup, 'ITILFollowup');
    }

    /** item_add hook of ITILSolution. */
    public static function solutionAdded(CommonDBTM $solution): void
    {
        if (!empty($solution->input['_chatwoot_import'])) {
            return;
        }
        self::enqueueText($solution, 'ITILSolution');
    }

    /** item_update hook of Ticket: solved or closed (from an open status) resolves the conversation. */
    public static function ticketUpdated(CommonDBTM $ticket): void
    {
        global $DB;
        if (!empty($ticket->input['_chatwoot_import']) || !in_array('status', $ticket->updates ?? [], true)) {
            return;
        }
        $solved = [CommonITILObject::SOLVED, CommonITILObject::CLOSED];
        if (!in_array((int) $ticket->fields['status'], $solved, true) || in_array((int) ($ticket->oldvalues['status'] ?? 0), $solved, true)) {
            return;
        }
        $link = self::link((int) $ticket->getID());
        if ($link === null) {
            return;
        }
        $row = [
            'entities_id' => (int) $link['entities_id'], 'tickets_id' => (int) $ticket->getID(),
            'conversation_id' => (int) $link['conversation_id'], 'kind' => 'status', 'itemtype' => 'Ticket',
            'items_id' => (int) $ticket->getID(), 'status_value' => 'resolved', 'state' => 'pending', 'attempts' => 0,
            'last_error' => '', 'next_attempt_at' => Session::getCurrentTime(), 'date_mod' => Session::getCurrentTime(),
        ];
        // Solved again after a reopening: the same row is sent again.
        $DB->updateOrInsert(self::TABLE, $row, ['kind' => 'status', 'itemtype' => 'Ticket', 'items_id' => (int) $ticket->getID()]);
    }

    /**
     * @return array<string, mixed>|null the conversation row of an active Chatwoot configuration
     */
    private static function link(int $tickets_id): ?array
    {
        global $DB;
        if ($tickets_id <= 0) {
            return null;
        }
        $row = $DB->request(['FROM' => PluginGdmsintegrationChatwoot::CONVERSATIONS, 'WHERE' => ['tickets_id' => $tickets_id], 'LIMIT' => 1])->current();
        if ($row === null) {
            return null;
        }
        $config = PluginGdmsintegrationChatwootconfig::getForEntity((int) $row['entities_id']);
        return !$config->isNewItem() && $config->fields['is_active'] ? $row : null;
    }

    private static function enqueueText(CommonDBTM $item, string $itemtype): void
    {
        global $DB;
        if (($item->fields['itemtype'] ?? '') !== 'Ticket') {
            return;
        }
        $link = self::link((int) $item->fields['items_id']);
        if ($link === null) {
            return;
        }
        try {
            $DB->insert(self::TABLE, [
                'entities_id' => (int) $link['entities_id'], 'tickets_id' => (int) $item->fields['items_id'],
                'conversation_id' => (int) $link['conversation_id'], 'kind' => 'message', 'itemtype' => $itemtype,
                'items_id' => $item->getID(), 'content' => (string) ($item->fields['content'] ?? ''), 'is_private' => 0,
                'state' => 'pending', 'next_attempt_at' => Session::getCurrentTime(),
                'date_creation' => Session::getCurrentTime(), 'date_mod' => Session::getCurrentTime(),
            ]);
        } catch (RuntimeException $e) {
            if ($DB->errno() !== self::ER_DUP_ENTRY) {
                throw $e;
            }
        }
    }

    /**
     * @return array<string, mixed>
     */
    public static function cronInfo(string $name): array
    {
        return ['description' => __('Send GLPI followups, solutions and resolutions to Chatwoot', 'gdmsintegration')];
    }

    /**
     * The ChatwootSend automatic action: due rows, messages before status
     * changes, one batch per entity through the extension.
     *
     * @return int 1 when something was sent or retried, 0 when nothing was due
     */
    public static function cronChatwootSend(CronTask $task): int
    {
        global $DB;
        $due = iterator_to_array($DB->request([
            'FROM'  => self::TABLE,
            'WHERE' => ['state' => 'pending', 'next_attempt_at' => ['<=', Session::getCurrentTime()]],
            'ORDER' => ['entities_id', 'kind', 'id'],
            'LIMIT' => self::BATCH,
        ]), false);
        if ($due === []) {
            return 0;
        }
        $by_entity = [];
        foreach ($due as $row) {
            $by_entity[(int) $row['entities_id']][] = $row;
        }
        $sent = 0;
        $failed = 0;
        foreach ($by_entity as $entities_id => $rows) {
            // 'message' sorts before 'status': replies reach the conversation before it is resolved.
            $config = PluginGdmsintegrationChatwootconfig::getForEntity($entities_id);
            if ($config->isNewItem() || !$config->fields['is_active'] || !$config->hasSecret('api_token')) {
                foreach ($rows as $row) {
                    self::failed($row, 'Chatwoot is not configured or disabled for this entity', true);
                    $failed++;
                }
                continue;
            }
            $actions = [];
            foreach ($rows as $row) {
                $actions[] = $row['kind'] === 'message'
                    ? ['id' => (int) $row['id'], 'kind' => 'message', 'conversation_id' => (int) $row['conversation_id'],
                       'html' => (string) $row['content'], 'private' => false,
                       'marker' => ['itemtype' => $row['itemtype'], 'items_id' => (int) $row['items_id'], 'tickets_id' => (int) $row['tickets_id']]]
                    : ['id' => (int) $row['id'], 'kind' => 'status', 'conversation_id' => (int) $row['conversation_id'], 'status' => (string) $row['status_value']];
            }
            $results = PluginGdmsintegrationNative::chatwootSend($config->apiAccount() + ['actions' => $actions]);
            $rows_by_id = array_column($rows, null, 'id');
            foreach ($results as $r) {
                $row = $rows_by_id[(int) $r['id']] ?? null;
                if ($row === null) {
                    continue;
                }
                if ($r['ok']) {
                    $sent++;
                    $DB->update(self::TABLE, [
                        'state' => 'sent', 'attempts' => (int) $row['attempts'] + 1, 'last_error' => '',
                        'chatwoot_message_id' => (int) ($r['message_id'] ?? 0), 'date_mod' => Session::getCurrentTime(),
                    ], ['id' => (int) $row['id']]);
                    if ((int) ($r['message_id'] ?? 0) > 0) {
                        self::rememberPosted($row, (int) $r['message_id']);
                    }
                } else {
                    $failed++;
                    self::failed($row, sprintf('HTTP %d %s', (int) $r['http_status'], (string) ($r['error'] ?? '')), (bool) $r['retryable']);
                }
            }
        }
        $task->addVolume($sent);
        $task->log(sprintf('Chatwoot: %d sent, %d failed or retried', $sent, $failed));
        PluginGdmsintegrationLog::info(sprintf('chatwoot outbox: %d sent, %d failed or retried', $sent, $failed));
        return 1;
    }

    /** The posted message's id, so its webhook echo is recognised as already known. */
    private static function rememberPosted(array $row, int $message_id): void
    {
        global $DB;
        try {
            $DB->insert(PluginGdmsintegrationChatwoot::MESSAGES, [
                'entities_id' => (int) $row['entities_id'], 'message_id' => $message_id, 'conversation_id' => (int) $row['conversation_id'],
                'tickets_id' => (int) $row['tickets_id'], 'itilfollowups_id' => $row['itemtype'] === 'ITILFollowup' ? (int) $row['items_id'] : 0,
                'direction' => 'out', 'role' => strtolower((string) $row['itemtype']), 'date_creation' => Session::getCurrentTime(),
            ]);
        } catch (RuntimeException $e) {
            if ($DB->errno() !== self::ER_DUP_ENTRY) {
                throw $e;
            }
        }
    }

    /**
     * A failed attempt: retried later with exponential backoff (1, 2, 4... minutes, at most an hour),
     * given up after MAX_ATTEMPTS or at once when retrying cannot help (4xx).
     *
     * @param array<string, mixed> $row
     */
    private static function failed(array $row, string $error, bool $retryable): void
    {
        global $DB;
        $attempts = (int) $row['attempts'] + 1;
        $give_up = !$retryable || $attempts >= self::MAX_ATTEMPTS;
        $delay = min(3600, 60 * (2 ** ($attempts - 1)));
        $DB->update(self::TABLE, [
            'state'           => $give_up ? 'failed' : 'pending',
            'attempts'        => $attempts,
            'last_error'      => mb_substr(PluginGdmsintegrationLog::redact($error), 0, 255),
            'next_attempt_at' => date('Y-m-d H:i:s', strtotime(Session::getCurrentTime()) + $delay),
            'date_mod'        => Session::getCurrentTime(),
        ], ['id' => (int) $row['id']]);
    }
}
