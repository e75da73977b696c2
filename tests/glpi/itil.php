<?php

/**
 * GLPI 11 stand-in: assets and ITIL objects (Ticket, actors, linked items,
 * followups, solutions), with the behaviours of glpi11-plugin-facts.md §11-12
 * that the plugin relies on.
 */

declare(strict_types=1);

class CommonITILActor extends CommonDBTM
{
    public const REQUESTER = 1;
    public const ASSIGN = 2;
    public const OBSERVER = 3;
}

class CommonITILValidation extends CommonDBTM
{
    public const NONE = 1;
    public const WAITING = 2;
    public const ACCEPTED = 3;
    public const REFUSED = 4;
}

abstract class CommonITILObject extends CommonDBTM
{
    public const INCOMING = 1;
    public const ASSIGNED = 2;
    public const PLANNED = 3;
    public const WAITING = 4;
    public const SOLVED = 5;
    public const CLOSED = 6;

    public const APPROVAL = 10;

    /** To be overridden by each class: on CommonITILObject itself the lists are empty, as in GLPI. */
    public static function getAllStatusArray($withmetaforsearch = false): array
    {
        return [];
    }

    /** @return list<int> */
    public static function getSolvedStatusArray(): array
    {
        return [];
    }

    /** @return list<int> */
    public static function getClosedStatusArray(): array
    {
        return [];
    }

    /** @return list<int> every status but the solved and closed ones (CommonITILObject::getNotSolvedStatusArray) */
    public static function getNotSolvedStatusArray(): array
    {
        return array_values(array_diff(array_keys(static::getAllStatusArray()), static::getSolvedStatusArray(), static::getClosedStatusArray()));
    }
}

class Ticket extends CommonITILObject
{
    public const INCIDENT_TYPE = 1;
    public const DEMAND_TYPE = 2;
    public const ASSIGN = 8192;

    public static $rightname = 'ticket';

    public static function getAllStatusArray($withmetaforsearch = false): array
    {
        return [self::INCOMING => 'New', self::APPROVAL => 'Approval', self::ASSIGNED => 'Processing (assigned)',
            self::PLANNED => 'Processing (planned)', self::WAITING => 'Pending', self::SOLVED => 'Solved', self::CLOSED => 'Closed'];
    }

    public static function getSolvedStatusArray(): array
    {
        return [self::SOLVED];
    }

    public static function getClosedStatusArray(): array
    {
        return [self::CLOSED];
    }

    /**
     * Defaults, priority from urgency x impact when not given, and status
     * Assigned when a technician is assigned to a New ticket (CommonITILObject::assign()).
     */
    public function prepareInputForAdd($input)
    {
        $input += ['status' => self::INCOMING, 'type' => self::INCIDENT_TYPE, 'urgency' => 3, 'impact' => 3, 'date' => Session::getCurrentTime()];
        if (!isset($input['priority'])) {
            $input['priority'] = (int) round(((int) $input['urgency'] + (int) $input['impact']) / 2);
        }
        $assign = $input['_actors']['assign'] ?? [];
        if ($assign !== [] && $this->canAssign() && (int) $input['status'] === self::INCOMING) {
            $input['status'] = self::ASSIGNED;
        }
        return $input;
    }

    public function canAssign(): bool
    {
        return Session::haveRight(self::$rightname, self::ASSIGN);
    }

    /**
     * Actor rows from `_actors` (assignees only when the caller may assign) and
     * Item_Ticket rows from `items_id` (handleItemsIdInput).
     */
    public function post_addItem()
    {
        foreach (['requester' => CommonITILActor::REQUESTER, 'assign' => CommonITILActor::ASSIGN, 'observer' => CommonITILActor::OBSERVER] as $key => $type) {
            if ($type === CommonITILActor::ASSIGN && !$this->canAssign()) {
                continue;
            }
            foreach ($this->input['_actors'][$key] ?? [] as $actor) {
                if (($actor['itemtype'] ?? '') === 'User' && ((int) $actor['items_id'] > 0 || ($actor['alternative_email'] ?? '') !== '')) {
                    (new Ticket_User())->add([
                        'tickets_id' => $this->getID(), 'users_id' => (int) $actor['items_id'], 'type' => $type,
                        'use_notification' => (int) ($actor['use_notification'] ?? 1), 'alternative_email' => $actor['alternative_email'] ?? '',
                    ]);
                }
            }
        }
        foreach ($this->input['items_id'] ?? [] as $itemtype => $ids) {
            foreach ((array) $ids as $id) {
                (new Item_Ticket())->add(['tickets_id' => $this->getID(), 'itemtype' => $itemtype, 'items_id' => (int) $id]);
            }
        }
    }

    /** @return list<int> users of the given actor type */
    public function getUsers(int $type): array
    {
        global $DB;
        $out = [];
        foreach ($DB->request(['FROM' => 'glpi_tickets_users', 'WHERE' => ['tickets_id' => $this->getID(), 'type' => $type]]) as $row) {
            $out[] = (int) $row['users_id'];
        }
        return $out;
    }
}

class Ticket_User extends CommonITILActor
{
    public static function getTable($classname = null): string
    {
        return 'glpi_tickets_users';
    }
}

class Item_Ticket extends CommonDBTM
{
    public static function getTable($classname = null): string
    {
        return 'glpi_items_tickets';
    }

    /** The itemtype must be one of $CFG_GLPI['ticket_types'] (Phone and NetworkEquipment are by default). */
    public function prepareInputForAdd($input)
    {
        return in_array($input['itemtype'] ?? '', ['Phone', 'NetworkEquipment', 'Computer', 'Printer', 'Peripheral'], true) ? $input : false;
    }
}

class ITILFollowup extends CommonDBTM
{
    public static $rightname = 'followup';

    public static function getTable($classname = null): string
    {
        return 'glpi_itilfollowups';
    }

    /** The parent must exist; the author defaults to the session user; the parent's date_mod moves. */
    public function prepareInputForAdd($input)
    {
        $parent = new Ticket();
        if (($input['itemtype'] ?? '') !== 'Ticket' || !$parent->getFromDB((int) ($input['items_id'] ?? 0))) {
            return false;
        }
        $input += ['users_id' => (int) Session::getLoginUserID(), 'date' => Session::getCurrentTime(), 'is_private' => 0];
        return $input;
    }

    public function post_addItem()
    {
        global $DB;
        $DB->update('glpi_tickets', ['date_mod' => Session::getCurrentTime()], ['id' => (int) $this->fields['items_id']]);
    }
}

class ITILSolution extends CommonDBTM
{
    public static function getTable($classname = null): string
    {
        return 'glpi_itilsolutions';
    }

    /** Refused when the parent is already solved; otherwise accepted and the parent becomes Solved (ITILSolution::prepareInputForAdd). */
    public function prepareInputForAdd($input)
    {
        $parent = new Ticket();
        if (($input['itemtype'] ?? '') !== 'Ticket' || !$parent->getFromDB((int) ($input['items_id'] ?? 0))) {
            return false;
        }
        if (in_array((int) $parent->fields['status'], $parent::getSolvedStatusArray(), true)) {
            Session::addMessageAfterRedirect('The item is already solved, did anyone pushed a solution before you?', false, ERROR);
            return false;
        }
        $input['status'] = CommonITILValidation::ACCEPTED;
        return $input;
    }

    public function post_addItem()
    {
        $ticket = new Ticket();
        $ticket->getFromDB((int) $this->fields['items_id']);
        $ticket->update(['id' => $ticket->getID(), 'status' => CommonITILObject::SOLVED, 'solvedate' => Session::getCurrentTime()]);
    }
}

/**
 * GLPI 11 src/TicketValidation.php + CommonITILValidation: a target (user or group) is
 * required (legacy `users_id_validate` converted to a User target), the submitter is the
 * session user outside cron, the status starts Waiting with a submission date; answering
 * sets `validation_date`, and a refusal needs a comment.
 */
class TicketValidation extends CommonITILValidation
{
    public static function getTable($classname = null): string
    {
        return 'glpi_ticketvalidations';
    }

    public function prepareInputForAdd($input)
    {
        $ticket = new Ticket();
        if (!$ticket->getFromDB((int) ($input['tickets_id'] ?? 0))) {
            return false;
        }
        $input['users_id'] = Session::isCron() ? 0 : (int) Session::getLoginUserID();
        $input['submission_date'] = Session::getCurrentTime();
        $input['status'] = self::WAITING;
        if (empty($input['itemtype_target']) && !empty($input['users_id_validate'])) {
            $input['itemtype_target'] = 'User';
            $input['items_id_target'] = $input['users_id_validate'];
            unset($input['users_id_validate']);
        }
        if (empty($input['itemtype_target']) || (int) ($input['items_id_target'] ?? 0) <= 0) {
            return false;
        }
        return $input;
    }

    public function prepareInputForUpdate($input)
    {
        if (isset($input['status'])) {
            if ((int) $input['status'] === self::REFUSED && trim((string) ($input['comment_validation'] ?? '')) === '') {
                return false;
            }
            $input['validation_date'] = (int) $input['status'] === self::WAITING ? null : Session::getCurrentTime();
        }
        return $input;
    }
}

class Phone extends CommonDBTM
{
    public static $rightname = 'phone';
}

class NetworkEquipment extends CommonDBTM
{
    public static $rightname = 'networking';

    public static function getTable($classname = null): string
    {
        return 'glpi_networkequipments';
    }
}

class PhoneModel extends CommonDBTM
{
}

class NetworkEquipmentModel extends CommonDBTM
{
}

class User extends CommonDBTM
{
    public static $rightname = 'user';

    /** A valid login that no user has yet (User::prepareInputForAdd, Auth::isValidLogin). */
    public function prepareInputForAdd($input)
    {
        global $DB;
        $login = (string) ($input['name'] ?? '');
        if ($login === '' || !(preg_match("/^[[:alnum:]'@.\-_ ]+$/iu", $login) || filter_var($login, FILTER_VALIDATE_EMAIL) !== false)) {
            return false;
        }
        if (count($DB->request(['FROM' => 'glpi_users', 'WHERE' => ['name' => $login], 'LIMIT' => 1])) > 0) {
            return false;
        }
        return $input;
    }

    /** `_useremails` (id => address; ids <= 0 are new) and `_default_email` (User::updateUserEmails). */
    public function post_addItem()
    {
        foreach ($this->input['_useremails'] ?? [] as $id => $email) {
            $email = trim((string) $email);
            if ($email !== '') {
                (new UserEmail())->add([
                    'users_id' => $this->getID(), 'email' => $email,
                    'is_default' => isset($this->input['_default_email']) && (string) $this->input['_default_email'] === (string) $id ? 1 : 0,
                ]);
            }
        }
    }
}

class UserEmail extends CommonDBTM
{
    public static function getTable($classname = null): string
    {
        return 'glpi_useremails';
    }

    /** The first address of a user becomes the default one (UserEmail::prepareInputForAdd). */
    public function prepareInputForAdd($input)
    {
        if (countElementsInTable('glpi_useremails', ['users_id' => (int) ($input['users_id'] ?? 0)]) === 0) {
            $input['is_default'] = 1;
        }
        return $input;
    }
}

/** GLPI's Contact (a supplier's or customer's person, not a user): `name` is the surname. */
class Contact extends CommonDBTM
{
    public static $rightname = 'contact_enterprise';
}

class ITILCategory extends CommonDBTM
{
    public static function getTable($classname = null): string
    {
        return 'glpi_itilcategories';
    }
}

class Location extends CommonDBTM
{
}

class Entity extends CommonDBTM
{
    public static function getTable($classname = null): string
    {
        return 'glpi_entities';
    }
}
