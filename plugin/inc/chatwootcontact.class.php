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
 * Chatwoot contact -> GLPI User (sync type "user": an internal requester)
 * or GLPI Contact (sync type "contact": an external person), created or
 * updated from the contact's name (split into first name and surname),
 * e-mail and phone; the link is kept in glpi_plugin_gdmsintegration_chatwootcontacts.
 * A contact with none of name, e-mail and phone is skipped, with the reason logged.
 */
final class PluginGdmsintegrationChatwootcontact
{
    public const TABLE = 'glpi_plugin_gdmsintegration_chatwootcontacts';

    private const ER_DUP_ENTRY = 1062;

    /**
     * Creates or updates the GLPI side of a contact.
     *
     * @param array<string, mixed> $contact the extension's contact document
     * @return array{itemtype: string, items_id: int, email: string, created: bool}|null null when skipped
     */
    public static function sync(PluginGdmsintegrationChatwootconfig $config, array $contact): ?array
    {
        global $DB;

        $entities_id = (int) $config->fields['entities_id'];
        if (!$contact['identifiable']) {
            PluginGdmsintegrationLog::info(sprintf('chatwoot entity %d: contact %d skipped: Contact not identifiable (no name, e-mail or phone)', $entities_id, (int) $contact['id']));
            return null;
        }
        $itemtype = $config->fields['sync_type'] === 'contact' ? 'Contact' : 'User';
        $link = $DB->request(['FROM' => self::TABLE, 'WHERE' => [
            'entities_id' => $entities_id, 'contact_id' => (int) $contact['id'], 'itemtype' => $itemtype,
        ]])->current();

        $item = $itemtype === 'User' ? new User() : new Contact();
        $created = false;
        if ($link !== null && $item->getFromDB((int) $link['items_id'])) {
            $item->update(['id' => $item->getID()] + self::fields($itemtype, $contact));
            self::ensureUserEmail($item, (string) $contact['email']);
        } else {
            $id = self::find($itemtype, $entities_id, $contact);
            if ($id > 0 && $item->getFromDB($id)) {
                $item->update(['id' => $id] + self::fields($itemtype, $contact));
                self::ensureUserEmail($item, (string) $contact['email']);
            } else {
                $input = self::fields($itemtype, $contact) + ['entities_id' => $entities_id];
                if ($itemtype === 'User') {
                    $input['name'] = (string) $contact['login'];
                    if ($contact['email'] !== '') {
                        $input['_useremails'] = [-1 => (string) $contact['email']];
                        $input['_default_email'] = -1;
                    }
                }
                $id = (int) $item->add($input);
                if ($id <= 0) {
                    PluginGdmsintegrationLog::info(sprintf('chatwoot entity %d: contact %d: GLPI refused the %s', $entities_id, (int) $contact['id'], $itemtype));
                    return null;
                }
                $created = true;
            }
            if ($link === null) {
                try {
                    $DB->insert(self::TABLE, [
                        'entities_id' => $entities_id, 'contact_id' => (int) $contact['id'], 'itemtype' => $itemtype,
                        'items_id' => $item->getID(), 'date_creation' => Session::getCurrentTime(), 'date_mod' => Session::getCurrentTime(),
                    ]);
                } catch (RuntimeException $e) {
                    if ($DB->errno() !== self::ER_DUP_ENTRY) {
                        throw $e;
                    }
                }
            } else {
                $DB->update(self::TABLE, ['items_id' => $item->getID(), 'date_mod' => Session::getCurrentTime()], ['id' => (int) $link['id']]);
            }
        }
        return ['itemtype' => $itemtype, 'items_id' => $item->getID(), 'email' => (string) $contact['email'], 'created' => $created];
    }

    /**
     * The GLPI item linked to a Chatwoot contact, or null.
     *
     * @return array{itemtype: string, items_id: int}|null
     */
    public static function linked(int $entities_id, int $contact_id, string $itemtype): ?array
    {
        global $DB;
        $row = $DB->request(['FROM' => self::TABLE, 'WHERE' => ['entities_id' => $entities_id, 'contact_id' => $contact_id, 'itemtype' => $itemtype]])->current();
        return $row === null ? null : ['itemtype' => $itemtype, 'items_id' => (int) $row['items_id']];
    }

    /**
     * Name, surname and phone in the columns of the GLPI itemtype (e-mail: Contact only, users keep theirs in UserEmail).
     *
     * @param array<string, mixed> $contact
     * @return array<string, string>
     */
    private static function fields(string $itemtype, array $contact): array
    {
        $out = ['firstname' => (string) $contact['firstname'], 'phone' => (string) $contact['phone']];
        if ($itemtype === 'User') {
            $out['realname'] = (string) $contact['realname'];
        } else {
            // A Contact's `name` is its surname; a one-word name stays visible there.
            $out['name'] = $contact['realname'] !== '' ? (string) $contact['realname'] : (string) $contact['firstname'];
            $out['firstname'] = $contact['realname'] !== '' ? (string) $contact['firstname'] : '';
            $out['email'] = (string) $contact['email'];
        }
        if ($contact['name'] === '') {
            unset($out['firstname'], $out['realname'], $out['name']);
        }
        if ($contact['phone'] === '') {
            unset($out['phone']);
        }
        if ($itemtype === 'Contact' && $contact['email'] === '') {
            unset($out['email']);
        }
        return $out;
    }

    /**
     * An existing GLPI item for an unlinked contact: a user with this e-mail
     * or login, or a contact of the entity with this e-mail; 0 when none.
     *
     * @param array<string, mixed> $contact
     */
    private static function find(string $itemtype, int $entities_id, array $contact): int
    {
        global $DB;
        $email = (string) $contact['email'];
        if ($itemtype === 'User') {
            if ($email !== '') {
                $row = $DB->request(['SELECT' => ['users_id'], 'FROM' => 'glpi_useremails', 'WHERE' => ['email' => $email], 'LIMIT' => 1])->current();
                if ($row !== null) {
                    return (int) $row['users_id'];
                }
            }
            $row = $DB->request(['SELECT' => ['id'], 'FROM' => 'glpi_users', 'WHERE' => ['name' => (string) $contact['login']], 'LIMIT' => 1])->current();
            return $row === null ? 0 : (int) $row['id'];
        }
        if ($email === '') {
            return 0;
        }
        $row = $DB->request(['SELECT' => ['id'], 'FROM' => 'glpi_contacts', 'WHERE' => ['entities_id' => $entities_id, 'email' => $email, 'is_deleted' => 0], 'LIMIT' => 1])->current();
        return $row === null ? 0 : (int) $row['id'];
    }

    /** A user gains the contact's e-mail address when it does not have it yet. */
    private static function ensureUserEmail(CommonDBTM $item, string $email): void
    {
        if (!$item instanceof User || $email === '' || countElementsInTable('glpi_useremails', ['users_id' => $item->getID(), 'email' => $email]) > 0) {
            return;
        }
        (new UserEmail())->add(['users_id' => $item->getID(), 'email' => $email]);
    }
}
