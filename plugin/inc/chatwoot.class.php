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
 * Chatwoot's account webhook (front/chatwoot.php?entities_id=N), stateless.
 *
 * Answers: 200 done (or nothing to do: a replay), 202 accepted but ignored
 * (event not used, conversation without message, contact not identifiable),
 * 400 bad request (entities_id, empty body, not JSON, not an event),
 * 401 bad or missing signature, or timestamp more than 5 minutes away
 * (when the entity has a webhook secret), 404 no active Chatwoot
 * configuration for the entity, or an account other than the configured one,
 * 405 method, 413 body over 64 KiB, 415 not application/json,
 * 500 GLPI refused to store something, 503 the conversation's ticket is
 * being created by a concurrent delivery (Chatwoot retries both).
 *
 * Idempotent: one ticket per conversation and one followup per message are
 * held by unique keys (the row is claimed before the GLPI object is made),
 * so a replayed or reordered delivery never adds anything twice.
 */
final class PluginGdmsintegrationChatwoot
{
    public const MAX_BODY_BYTES = 65536;

    public const CONVERSATIONS = 'glpi_plugin_gdmsintegration_chatwootconversations';
    public const MESSAGES = 'glpi_plugin_gdmsintegration_chatwootmessages';

    private const ER_DUP_ENTRY = 1062;

    /**
     * @param array<string, string> $headers lower-cased names
     * @param array<string, mixed> $query
     * @return array{status: int, body: array<string, mixed>, headers: array<string, string>}
     */
    public static function handle(string $method, array $query, array $headers, string $body, ?int $now = null): array
    {
        $entities_id = PluginGdmsintegrationMachineEndpoint::admit('chatwoot', $method, $query, $headers, $body, self::MAX_BODY_BYTES);
        if (is_array($entities_id)) {
            return $entities_id;
        }
        $config = PluginGdmsintegrationChatwootconfig::getForEntity($entities_id);
        if ($config->isNewItem() || !$config->fields['is_active']) {
            return PluginGdmsintegrationMachineEndpoint::logged('chatwoot', 404, ['error' => 'no active Chatwoot configuration for this entity'], "entity $entities_id: not configured");
        }
        $secret = $config->getSecret('webhook_secret');
        if ($secret !== '') {
            $check = PluginGdmsintegrationNative::chatwootVerify(
                $secret,
                $headers['x-chatwoot-timestamp'] ?? '',
                $body,
                $headers['x-chatwoot-signature'] ?? '',
                $now ?? time()
            );
            if (!$check['ok']) {
                $error = $check['reason'] === 'stale' ? 'timestamp outside the 5-minute window' : 'invalid signature';
                return PluginGdmsintegrationMachineEndpoint::logged('chatwoot', 401, ['error' => $error], "entity $entities_id: " . $check['error']);
            }
        }
        $parsed = PluginGdmsintegrationNative::chatwootParse($body);
        if (!$parsed['ok']) {
            return PluginGdmsintegrationMachineEndpoint::logged('chatwoot', 400, ['error' => $parsed['error']], "entity $entities_id: " . $parsed['error']);
        }
        $event = $parsed['event'];
        if ($event['account_id'] !== null && (int) $event['account_id'] !== (int) $config->fields['account_id']) {
            return PluginGdmsintegrationMachineEndpoint::logged('chatwoot', 404, ['error' => 'unknown account'], sprintf('entity %d: event for account %d, configured %d', $entities_id, (int) $event['account_id'], (int) $config->fields['account_id']));
        }
        $delivery = isset($headers['x-chatwoot-delivery']) ? ' delivery ' . substr(preg_replace('/[^A-Za-z0-9-]/', '', $headers['x-chatwoot-delivery']) ?? '', 0, 40) : '';
        [$status, $answer, $what] = Session::callAsSystem(static fn(): array => self::dispatch($config, $event));
        return PluginGdmsintegrationMachineEndpoint::logged('chatwoot', $status, $answer, sprintf('entity %d: %s%s: %s', $entities_id, $event['event'], $delivery, $what));
    }

    /**
     * @param array<string, mixed> $event
     * @return array{0: int, 1: array<string, mixed>, 2: string}
     */
    private static function dispatch(PluginGdmsintegrationChatwootconfig $config, array $event): array
    {
        switch ($event['kind']) {
            case 'contact':
                $linked = PluginGdmsintegrationChatwootcontact::sync($config, $event['contact']);
                if ($linked === null) {
                    return [202, ['status' => 'ignored', 'reason' => 'contact not identifiable or refused'], 'contact ' . (int) $event['contact']['id'] . ' skipped'];
                }
                return [200, ['ok' => true, 'itemtype' => $linked['itemtype'], 'items_id' => $linked['items_id']], sprintf('contact %d -> %s %d', (int) $event['contact']['id'], $linked['itemtype'], $linked['items_id'])];

            case 'conversation_created':
            case 'conversation_updated':
                return self::conversationEvent($config, $event);

            case 'message':
                return self::messageEvent($config, $event);
        }
        return [202, ['status' => 'ignored', 'reason' => 'event not used'], 'ignored'];
    }

    /**
     * @param array<string, mixed> $event
     * @return array{0: int, 1: array<string, mixed>, 2: string}
     */
    private static function conversationEvent(PluginGdmsintegrationChatwootconfig $config, array $event): array
    {
        $conv = $event['conversation'];
        $row = self::conversationRow((int) $config->fields['entities_id'], (int) $conv['id']);
        if ($row === null) {
            if ($conv['first_message'] === null) {
                return [202, ['status' => 'ignored', 'reason' => 'conversation has no message yet'], 'conversation ' . (int) $conv['id'] . ' has no message yet'];
            }
            return self::openTicket($config, $conv);
        }
        if ((int) $row['tickets_id'] === 0) {
            return self::inProgress((int) $conv['id']);
        }
        $changes = [];
        if ($event['kind'] === 'conversation_updated') {
            $changes = self::updateTicket($row, $conv);
        }
        // The message carried by the payload, if it is new, is a followup like any other.
        $added = 0;
        if ($conv['first_message'] !== null) {
            [, $answer] = self::addFollowup($config, $row, $conv['first_message']);
            $added = isset($answer['itilfollowups_id']) ? 1 : 0;
        }
        return [200, ['ok' => true, 'tickets_id' => (int) $row['tickets_id'], 'changed' => $changes, 'followups_added' => $added], sprintf(
            'conversation %d, ticket %d: %s',
            (int) $conv['id'],
            (int) $row['tickets_id'],
            $changes === [] && $added === 0 ? 'nothing new' : implode(', ', array_merge($changes, $added > 0 ? ['followup'] : []))
        )];
    }

    /**
     * @param array<string, mixed> $event
     * @return array{0: int, 1: array<string, mixed>, 2: string}
     */
    private static function messageEvent(PluginGdmsintegrationChatwootconfig $config, array $event): array
    {
        $message = $event['message'];
        if (!$message['importable']) {
            $why = $message['from_glpi'] ? 'posted from GLPI' : ($message['message_type'] === 'activity' ? 'activity message' : 'empty message');
            return [202, ['status' => 'ignored', 'reason' => $why], sprintf('message %d ignored (%s)', (int) $message['id'], $why)];
        }
        $entities_id = (int) $config->fields['entities_id'];
        $row = self::conversationRow($entities_id, (int) $message['conversation_id']);
        if ($row === null) {
            if ($event['conversation'] === null) {
                return [202, ['status' => 'ignored', 'reason' => 'unknown conversation'], sprintf('message %d: unknown conversation %d', (int) $message['id'], (int) $message['conversation_id'])];
            }
            // Delivered before conversation_created: this message opens the ticket.
            return self::openTicket($config, $event['conversation']);
        }
        if ((int) $row['tickets_id'] === 0) {
            return self::inProgress((int) $message['conversation_id']);
        }
        return self::addFollowup($config, $row, $message);
    }

    /**
     * Another request is creating this conversation's ticket right now: Chatwoot is asked to retry.
     *
     * @return array{0: int, 1: array<string, mixed>, 2: string}
     */
    private static function inProgress(int $conversation_id): array
    {
        return [503, ['error' => 'the ticket of this conversation is being created, retry later'], "conversation $conversation_id: ticket being created by another request"];
    }

    /**
     * Claims the conversation, makes sure the requester exists, creates the ticket.
     *
     * @param array<string, mixed> $conv
     * @return array{0: int, 1: array<string, mixed>, 2: string}
     */
    private static function openTicket(PluginGdmsintegrationChatwootconfig $config, array $conv): array
    {
        global $DB;
        $entities_id = (int) $config->fields['entities_id'];
        $requester = $conv['contact'] !== null ? PluginGdmsintegrationChatwootcontact::sync($config, $conv['contact']) : null;

        if (!self::claim(self::CONVERSATIONS, [
            'entities_id' => $entities_id, 'conversation_id' => (int) $conv['id'],
            'contact_id' => (int) ($conv['contact']['id'] ?? 0), 'status' => (string) ($conv['status'] ?? ''),
            'priority' => (string) ($conv['priority'] ?? ''), 'updated_at_ms' => (int) ($conv['updated_at_ms'] ?? 0),
            'date_creation' => Session::getCurrentTime(), 'date_mod' => Session::getCurrentTime(),
        ])) {
            $row = self::conversationRow($entities_id, (int) $conv['id']);
            return [200, ['ok' => true, 'tickets_id' => (int) ($row['tickets_id'] ?? 0), 'duplicate' => true], 'conversation ' . (int) $conv['id'] . ' already has its ticket'];
        }
        $conversation_row_id = $DB->insertId();

        $actor = ['itemtype' => 'User', 'items_id' => 0, 'use_notification' => 1, 'alternative_email' => ''];
        if ($requester !== null && $requester['itemtype'] === 'User') {
            $actor['items_id'] = $requester['items_id'];
        } elseif ($requester !== null && $requester['email'] !== '') {
            // A GLPI Contact cannot be a ticket actor: the requester is its e-mail address.
            $actor['alternative_email'] = $requester['email'];
        }
        $input = [
            'entities_id'       => $config->ticketEntity(),
            'name'              => (string) $conv['title'],
            'content'           => (string) $conv['description_html'],
            'type'              => (int) $config->fields['ticket_type'],
            'status'            => (int) ($conv['glpi_status'] ?? CommonITILObject::INCOMING),
            'priority'          => (int) $conv['glpi_priority'],
            'itilcategories_id' => (int) $config->fields['itilcategories_id'],
            'externalid'        => 'chatwoot:' . (int) $config->fields['account_id'] . ':' . (int) $conv['id'],
            '_actors'           => ['requester' => $actor['items_id'] > 0 || $actor['alternative_email'] !== '' ? [$actor] : []],
            '_chatwoot_import'  => true,
        ];
        $tickets_id = (int) (new Ticket())->add($input);
        if ($tickets_id <= 0) {
            $DB->delete(self::CONVERSATIONS, ['id' => $conversation_row_id]);
            return [500, ['error' => 'GLPI refused the ticket'], 'conversation ' . (int) $conv['id'] . ': ticket refused'];
        }
        $DB->update(self::CONVERSATIONS, ['tickets_id' => $tickets_id], ['id' => $conversation_row_id]);
        if ($conv['first_message'] !== null) {
            $m = $conv['first_message'];
            self::claim(self::MESSAGES, [
                'entities_id' => $entities_id, 'message_id' => (int) $m['id'], 'conversation_id' => (int) $conv['id'],
                'tickets_id' => $tickets_id, 'direction' => 'in', 'role' => 'description', 'date_creation' => Session::getCurrentTime(),
            ]);
        }
        return [200, ['ok' => true, 'tickets_id' => $tickets_id, 'created' => true], sprintf('conversation %d -> ticket %d', (int) $conv['id'], $tickets_id)];
    }

    /**
     * Status and priority of an update event, applied to the ticket.
     *
     * @param array<string, mixed> $row
     * @param array<string, mixed> $conv
     * @return list<string> what changed
     */
    private static function updateTicket(array $row, array $conv): array
    {
        global $DB;
        $ticket = new Ticket();
        if (!$ticket->getFromDB((int) $row['tickets_id'])) {
            return [];
        }
        $updated = isset($conv['updated_at_ms']) ? (int) $conv['updated_at_ms'] : null;
        if ($updated !== null && $updated < (int) $row['updated_at_ms']) {
            // Older than the last update applied: a replay or a late delivery.
            return [];
        }
        $input = ['id' => $ticket->getID(), '_chatwoot_import' => true];
        $conv_row = ['date_mod' => Session::getCurrentTime()];
        if ($updated !== null) {
            $conv_row['updated_at_ms'] = $updated;
        }
        if ($conv['update_status'] && $conv['glpi_status'] !== null) {
            $input['status'] = (int) $conv['glpi_status'];
            $conv_row['status'] = (string) $conv['status'];
        }
        if ($conv['update_priority']) {
            $input['priority'] = (int) $conv['glpi_priority'];
            $conv_row['priority'] = (string) ($conv['priority'] ?? '');
        }
        $changed = [];
        foreach (['status', 'priority'] as $field) {
            if (isset($input[$field]) && (int) $ticket->fields[$field] !== $input[$field]) {
                $changed[] = "$field {$ticket->fields[$field]} -> {$input[$field]}";
            }
        }
        if ($changed !== []) {
            $ticket->update($input);
        }
        $DB->update(self::CONVERSATIONS, $conv_row, ['id' => (int) $row['id']]);
        return $changed;
    }

    /**
     * One followup per message: the message row is claimed first.
     *
     * @param array<string, mixed> $row conversation row
     * @param array<string, mixed> $message
     * @return array{0: int, 1: array<string, mixed>, 2: string}
     */
    private static function addFollowup(PluginGdmsintegrationChatwootconfig $config, array $row, array $message): array
    {
        global $DB;
        $entities_id = (int) $config->fields['entities_id'];
        if (!self::claim(self::MESSAGES, [
            'entities_id' => $entities_id, 'message_id' => (int) $message['id'], 'conversation_id' => (int) $row['conversation_id'],
            'tickets_id' => (int) $row['tickets_id'], 'direction' => 'in', 'role' => 'followup', 'date_creation' => Session::getCurrentTime(),
        ])) {
            return [200, ['ok' => true, 'duplicate' => true], 'message ' . (int) $message['id'] . ' already known'];
        }
        $claim_id = $DB->insertId();
        $followup_id = (int) (new ITILFollowup())->add([
            'itemtype'         => 'Ticket',
            'items_id'         => (int) $row['tickets_id'],
            'content'          => (string) $message['followup_html'],
            'is_private'       => $message['private'] ? 1 : 0,
            'date'             => (string) $message['created_at'],
            'users_id'         => (int) $config->fields['users_id_followup'],
            '_chatwoot_import' => true,
        ]);
        if ($followup_id <= 0) {
            $DB->delete(self::MESSAGES, ['id' => $claim_id]);
            return [500, ['error' => 'GLPI refused the followup'], 'message ' . (int) $message['id'] . ': followup refused'];
        }
        $DB->update(self::MESSAGES, ['itilfollowups_id' => $followup_id], ['id' => $claim_id]);
        return [200, ['ok' => true, 'itilfollowups_id' => $followup_id], sprintf('message %d -> followup %d on ticket %d%s', (int) $message['id'], $followup_id, (int) $row['tickets_id'], $message['private'] ? ' (private)' : '')];
    }

    /**
     * @return array<string, mixed>|null
     */
    public static function conversationRow(int $entities_id, int $conversation_id): ?array
    {
        global $DB;
        return $DB->request(['FROM' => self::CONVERSATIONS, 'WHERE' => ['entities_id' => $entities_id, 'conversation_id' => $conversation_id]])->current();
    }

    /**
     * Inserts a row held by a unique key; false when it exists already.
     *
     * @param array<string, mixed> $row
     */
    private static function claim(string $table, array $row): bool
    {
        global $DB;
        try {
            return (bool) $DB->insert($table, $row);
        } catch (RuntimeException $e) {
            if ($DB->errno() === self::ER_DUP_ENTRY) {
                return false;
            }
            throw $e;
        }
    }
}
