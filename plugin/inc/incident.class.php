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
 * Where tickets are opened and solved: one plugin incident record per open
 * outage (device, or WAN port), each with its GLPI ticket.
 *
 * The record is inserted BEFORE the ticket is created: its unique key
 * (entities_id, device_key, port_key, open_guard) lets only one of two
 * concurrent runs (cron and webhook) claim an outage, so only one ticket is
 * ever created for it. Tickets, followups and solutions go through GLPI's own
 * classes, so business rules, history and notifications apply.
 */
final class PluginGdmsintegrationIncident
{
    public const TABLE = 'glpi_plugin_gdmsintegration_incidents';

    /** MariaDB's duplicate-key error. */
    private const ER_DUP_ENTRY = 1062;

    /**
     * Opens one incident of the plan (gdms_core IncidentOpen).
     *
     * @param array<string, mixed> $open
     * @param array{itemtype: string, id: int}|null $asset the resolved asset (null: none linked)
     * @return int|null the ticket id, or null when another run holds this outage already
     */
    public static function open(int $entities_id, array $open, ?array $asset): ?int
    {
        global $DB;

        try {
            $DB->insert(self::TABLE, [
                'entities_id' => $entities_id,
                'device_key'  => (string) $open['device_key'],
                'port_key'    => (string) $open['port_key'],
                'kind'        => (string) $open['kind'],
                'open_guard'  => 1,
                'opened_at'   => new QueryExpression('FROM_UNIXTIME(' . (int) $open['since'] . ')'),
            ]);
        } catch (RuntimeException $e) {
            // GLPI's DBmysql throws RuntimeException on any query error; errno() tells which.
            if ($DB->errno() === self::ER_DUP_ENTRY) {
                PluginGdmsintegrationLog::info(sprintf('  incident already open for %s %s (concurrent run): no second ticket', $open['device_key'], $open['port_key']));
                return null;
            }
            throw $e;
        }
        $incident_id = $DB->insertId();

        $spec = $open['ticket'];
        $input = [
            'entities_id'       => (int) $spec['entities_id'],
            'name'              => PluginGdmsintegrationMessage::title($spec['title']),
            'content'           => PluginGdmsintegrationMessage::body($spec['body']),
            'type'              => Ticket::INCIDENT_TYPE,
            'status'            => $spec['status'] === 'assigned' ? CommonITILObject::ASSIGNED : CommonITILObject::INCOMING,
            'urgency'           => (int) $spec['urgency'],
            'impact'            => (int) $spec['impact'],
            'priority'          => (int) $spec['priority'],
            'itilcategories_id' => (int) $spec['itilcategories_id'],
            'locations_id'      => (int) $spec['locations_id'],
            '_actors'           => [],
        ];
        if ((int) $spec['requester_users_id'] > 0) {
            $input['_actors']['requester'][] = ['itemtype' => 'User', 'items_id' => (int) $spec['requester_users_id'], 'use_notification' => 0, 'alternative_email' => ''];
        }
        if ((int) $spec['assign_users_id'] > 0) {
            $input['_actors']['assign'][] = ['itemtype' => 'User', 'items_id' => (int) $spec['assign_users_id'], 'use_notification' => 1, 'alternative_email' => ''];
        }
        if ($asset !== null) {
            $input['items_id'] = [$asset['itemtype'] => [$asset['id']]];
        }

        $ticket = new Ticket();
        $tickets_id = $ticket->add($input);
        if (!$tickets_id) {
            throw new RuntimeException(sprintf('GLPI refused to create the ticket "%s"', $input['name']));
        }
        $DB->update(self::TABLE, ['tickets_id' => (int) $tickets_id], ['id' => $incident_id]);
        PluginGdmsintegrationLog::info(sprintf(
            'GDMS: Ticket #%d created → %s | linked to %s | entity=%d%s',
            $tickets_id,
            $input['name'],
            $asset !== null ? sprintf('%s #%d', $asset['itemtype'], $asset['id']) : 'no asset',
            $input['entities_id'],
            (int) $spec['assign_users_id'] > 0 ? ' | assigned→user#' . (int) $spec['assign_users_id'] : ''
        ));
        return (int) $tickets_id;
    }

    /**
     * Adds a followup or solution; when GLPI refuses it, says why in the log
     * (GLPI reports refusals as session messages).
     *
     * @param array<string, mixed> $input
     */
    private static function addOrLog(CommonDBTM $item, array $input): void
    {
        $before = $_SESSION['MESSAGE_AFTER_REDIRECT'] ?? [];
        if ($item->add($input)) {
            return;
        }
        $messages = [];
        foreach ($_SESSION['MESSAGE_AFTER_REDIRECT'] ?? [] as $level => $list) {
            foreach (array_slice((array) $list, count($before[$level] ?? [])) as $m) {
                $messages[] = strip_tags((string) $m);
            }
        }
        PluginGdmsintegrationLog::info(sprintf('  GLPI refused the %s on ticket #%d: %s', $item::class, $input['items_id'], $messages !== [] ? implode(' | ', $messages) : 'no reason given'));
    }

    /**
     * Closes one incident record (gdms_core IncidentResolve) and, when the
     * plan says so, adds the followup then the solution to its ticket.
     *
     * @param array<string, mixed> $resolve
     * @param int $now the plan's "now", epoch seconds
     */
    public static function resolve(array $resolve, int $now): void
    {
        global $DB;

        $DB->update(self::TABLE, [
            'open_guard'  => null,
            'resolved_at' => new QueryExpression('FROM_UNIXTIME(' . $now . ')'),
        ], ['id' => (int) $resolve['incident_id'], 'open_guard' => 1]);
        if ($DB->affectedRows() === 0) {
            return; // already resolved by a concurrent run
        }
        $tickets_id = (int) $resolve['tickets_id'];
        if ($tickets_id <= 0) {
            return;
        }
        if ($resolve['followup'] !== null) {
            self::addOrLog(new ITILFollowup(), [
                'itemtype'   => 'Ticket',
                'items_id'   => $tickets_id,
                'content'    => '<p>' . PluginGdmsintegrationMessage::html($resolve['followup']) . '</p>',
                'is_private' => 0,
            ]);
        }
        if ($resolve['solution'] !== null) {
            self::addOrLog(new ITILSolution(), [
                'itemtype' => 'Ticket',
                'items_id' => $tickets_id,
                'content'  => '<p>' . PluginGdmsintegrationMessage::html($resolve['solution']) . '</p>',
            ]);
        } elseif ($resolve['followup'] === null) {
            PluginGdmsintegrationLog::info(sprintf('  ticket #%d was already solved or closed: incident record closed, ticket left as it is', $tickets_id));
        }
        PluginGdmsintegrationLog::info(sprintf('GDMS: Ticket #%d auto-resolved — %s %s (%s)', $tickets_id, $resolve['device_key'], $resolve['port_key'], $resolve['reason']));
    }
}
