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
 * Chatwoot settings of one entity (glpi_plugin_gdmsintegration_chatwootconfigs):
 * where Chatwoot is, which account, the API access token and webhook secret
 * (GLPIKey-encrypted, never sent back to the browser), and how conversations
 * become tickets in this entity (requester as GLPI User or Contact, ticket
 * type, category, followup author).
 */
class PluginGdmsintegrationChatwootconfig extends CommonDBTM
{
    use PluginGdmsintegrationSecretColumns;

    public static $rightname = 'config';

    public const SECRET_COLUMNS = ['api_token', 'webhook_secret'];

    /** For GLPI's secured_fields hook (bin/console security:change_key re-encrypts them). */
    public const SECURED_FIELDS = [
        'glpi_plugin_gdmsintegration_chatwootconfigs.api_token',
        'glpi_plugin_gdmsintegration_chatwootconfigs.webhook_secret',
    ];

    public const SYNC_TYPES = ['user', 'contact'];

    private const SESSION_FORM = 'plugin_gdmsintegration_chatwoot_form';

    public static function getTypeName($nb = 0): string
    {
        return __('Chatwoot', 'gdmsintegration');
    }

    public static function getTable($classname = null): string
    {
        return 'glpi_plugin_gdmsintegration_chatwootconfigs';
    }

    /**
     * The entity's settings, or an unsaved row holding the defaults.
     */
    public static function getForEntity(int $entities_id): self
    {
        $config = new self();
        if (!$config->getFromDBByCrit(['entities_id' => $entities_id])) {
            $config->fields = [
                'entities_id' => $entities_id, 'is_active' => 0, 'base_url' => '', 'account_id' => 0,
                'api_token' => '', 'webhook_secret' => '', 'sync_type' => 'user', 'ticket_type' => Ticket::INCIDENT_TYPE, 'tickets_entity' => -1,
                'itilcategories_id' => 0, 'users_id_followup' => 0, 'last_test_status' => '', 'last_test_message' => '',
                'last_test_at' => null,
            ];
        }
        return $config;
    }

    /**
     * The account document the extension's API calls take.
     *
     * @return array{base_url: string, account_id: int, token: string}
     */
    public function apiAccount(): array
    {
        return [
            'base_url'   => (string) $this->fields['base_url'],
            'account_id' => (int) $this->fields['account_id'],
            'token'      => $this->getSecret('api_token'),
        ];
    }

    /**
     * Entity of the tickets: the chosen one, or this configuration's entity (-1).
     */
    public function ticketEntity(): int
    {
        $chosen = (int) ($this->fields['tickets_entity'] ?? -1);
        return $chosen >= 0 ? $chosen : (int) $this->fields['entities_id'];
    }

    /**
     * The URL to paste into Chatwoot (Settings > Integrations > Webhooks).
     */
    public function webhookUrl(): string
    {
        global $CFG_GLPI;
        return rtrim((string) ($CFG_GLPI['url_base'] ?? ''), '/')
            . '/plugins/gdmsintegration/front/chatwoot.php?entities_id=' . (int) $this->fields['entities_id'];
    }

    /**
     * @param array<string, mixed> $input
     * @return array<string, string> field => message
     */
    public static function validate(array $input): array
    {
        $errors = [];
        $url = trim((string) ($input['base_url'] ?? ''));
        if ($url !== '' && (!preg_match('#^https?://[^\s/$.?\#][^\s]*$#i', $url) || parse_url($url, PHP_URL_HOST) === null)) {
            $errors['base_url'] = __('Enter the full http:// or https:// address of Chatwoot.', 'gdmsintegration');
        }
        if (array_key_exists('account_id', $input) && (filter_var($input['account_id'], FILTER_VALIDATE_INT) === false || (int) $input['account_id'] < 0)) {
            $errors['account_id'] = __('The account id is the number in Chatwoot\'s address after /accounts/.', 'gdmsintegration');
        }
        if (array_key_exists('sync_type', $input) && !in_array($input['sync_type'], self::SYNC_TYPES, true)) {
            $errors['sync_type'] = __('Choose a value from the list.', 'gdmsintegration');
        }
        if (array_key_exists('ticket_type', $input) && !in_array((int) $input['ticket_type'], [Ticket::INCIDENT_TYPE, Ticket::DEMAND_TYPE], true)) {
            $errors['ticket_type'] = __('Choose a value from the list.', 'gdmsintegration');
        }
        if (array_key_exists('tickets_entity', $input)) {
            $entity = filter_var($input['tickets_entity'], FILTER_VALIDATE_INT);
            if ($entity === false || $entity < -1 || ($entity >= 0 && !Session::haveAccessToEntity($entity))) {
                $errors['tickets_entity'] = __('Choose an entity you have access to.', 'gdmsintegration');
            }
        }
        foreach (['itilcategories_id', 'users_id_followup'] as $field) {
            if (array_key_exists($field, $input) && (filter_var($input[$field], FILTER_VALIDATE_INT) === false || (int) $input[$field] < 0)) {
                $errors[$field] = __('Choose a value from the list.', 'gdmsintegration');
            }
        }
        if (!empty($input['is_active']) && ($url === '' || (int) ($input['account_id'] ?? 0) <= 0)) {
            $errors['is_active'] = __('Set the Chatwoot address and account id before enabling.', 'gdmsintegration');
        }
        return $errors;
    }

    /**
     * @param array<string, mixed> $input
     * @return array<string, mixed>
     */
    public static function rowFromForm(array $input): array
    {
        $row = [];
        if (array_key_exists('base_url', $input)) {
            $row['base_url'] = rtrim(trim((string) $input['base_url']), '/');
        }
        foreach (['account_id', 'ticket_type', 'tickets_entity', 'itilcategories_id', 'users_id_followup'] as $field) {
            if (array_key_exists($field, $input)) {
                $row[$field] = (int) $input[$field];
            }
        }
        if (array_key_exists('sync_type', $input)) {
            $row['sync_type'] = (string) $input['sync_type'];
        }
        if (array_key_exists('is_active', $input)) {
            $row['is_active'] = (int) (bool) $input['is_active'];
        }
        $key = new GLPIKey();
        foreach (self::SECRET_COLUMNS as $field) {
            if (!empty($input["_clear_$field"])) {
                $row[$field] = '';
            } elseif (($input[$field] ?? '') !== '') {
                $row[$field] = $key->encrypt((string) $input[$field]);
            }
        }
        return $row;
    }

    /**
     * Saves a form submission; on invalid input nothing is stored and the
     * errors and typed values (secrets excepted) wait in the session for the form.
     *
     * @param array<string, mixed> $input
     */
    public static function saveFromForm(int $entities_id, array $input): bool
    {
        $errors = self::validate($input);
        if ($errors !== []) {
            $_SESSION[self::SESSION_FORM] = ['errors' => $errors, 'input' => array_diff_key($input, array_flip(self::SECRET_COLUMNS))];
            Session::addMessageAfterRedirect(__('The configuration was not saved: correct the highlighted fields.', 'gdmsintegration'), false, ERROR);
            return false;
        }
        unset($_SESSION[self::SESSION_FORM]);
        $row = self::rowFromForm($input);
        $config = self::getForEntity($entities_id);
        $ok = $config->isNewItem()
            ? (bool) $config->add(['entities_id' => $entities_id] + $row)
            : $config->update(['id' => $config->getID()] + $row);
        if ($ok) {
            PluginGdmsintegrationLog::info(sprintf('chatwoot configuration saved for entity %d (%s)', $entities_id, implode(', ', array_keys($row))));
            Session::addMessageAfterRedirect(__('Configuration saved.', 'gdmsintegration'));
        }
        return $ok;
    }

    /**
     * Calls Chatwoot once with the stored settings and keeps the outcome for the badge.
     *
     * @return array{ok: bool, message: string}
     */
    public function testConnection(): array
    {
        if ($this->isNewItem() || !$this->hasSecret('api_token') || (int) $this->fields['account_id'] <= 0 || $this->fields['base_url'] === '') {
            $result = ['ok' => false, 'message' => __('Set the address, account id and access token first.', 'gdmsintegration')];
        } else {
            $r = PluginGdmsintegrationNative::chatwootTest($this->apiAccount());
            $result = [
                'ok'      => (bool) $r['ok'],
                'message' => $r['ok']
                    ? __('Connected', 'gdmsintegration')
                    : sprintf(__('Failed: %s', 'gdmsintegration'), trim(((int) $r['http_status'] > 0 ? 'HTTP ' . (int) $r['http_status'] . ' ' : '') . (string) ($r['error'] ?? ''))),
            ];
        }
        if (!$this->isNewItem()) {
            $this->update([
                'id'                => $this->getID(),
                'last_test_status'  => $result['ok'] ? 'ok' : 'failed',
                'last_test_message' => mb_substr($result['message'], 0, 255),
                'last_test_at'      => Session::getCurrentTime(),
            ]);
        }
        PluginGdmsintegrationLog::info(sprintf('chatwoot connection test for entity %d: %s', (int) $this->fields['entities_id'], $result['message']));
        return $result;
    }

    /**
     * Data for the form: plain values, "set" flags for secrets (never the secrets).
     *
     * @return array<string, mixed>
     */
    public function formData(): array
    {
        $form = $_SESSION[self::SESSION_FORM] ?? ['errors' => [], 'input' => []];
        $values = array_diff_key($this->fields, array_flip(self::SECRET_COLUMNS));
        $values = array_merge($values, array_intersect_key($form['input'], $values));
        return [
            'values'      => $values,
            'secrets_set' => ['api_token' => $this->hasSecret('api_token'), 'webhook_secret' => $this->hasSecret('webhook_secret')],
            'errors'      => $form['errors'],
            'webhook_url' => $this->webhookUrl(),
            'sync_types'  => [
                'user'    => __('GLPI user (internal requester)', 'gdmsintegration'),
                'contact' => __('GLPI contact (external)', 'gdmsintegration'),
            ],
            'ticket_types' => [Ticket::INCIDENT_TYPE => __('Incident', 'gdmsintegration'), Ticket::DEMAND_TYPE => __('Request', 'gdmsintegration')],
            'outbox'       => $this->outbox(),
        ];
    }

    /**
     * What waits to be sent to Chatwoot, and the last failure.
     *
     * @return array{pending: int, failed: int, last_error: string}
     */
    public function outbox(): array
    {
        global $DB;
        $entity = ['entities_id' => (int) $this->fields['entities_id']];
        $failed = $DB->request([
            'SELECT' => ['last_error'], 'FROM' => PluginGdmsintegrationChatwootqueue::TABLE,
            'WHERE' => $entity + ['state' => 'failed'], 'ORDER' => 'date_mod DESC', 'LIMIT' => 1,
        ])->current();
        return [
            'pending'    => countElementsInTable(PluginGdmsintegrationChatwootqueue::TABLE, $entity + ['state' => 'pending']),
            'failed'     => countElementsInTable(PluginGdmsintegrationChatwootqueue::TABLE, $entity + ['state' => 'failed']),
            'last_error' => (string) ($failed['last_error'] ?? ''),
        ];
    }

    public static function getFormUrlForEntity(int $entities_id): string
    {
        global $CFG_GLPI;
        return ($CFG_GLPI['root_doc'] ?? '') . '/plugins/gdmsintegration/front/chatwootconfig.php?entities_id=' . $entities_id;
    }

    public function showConfigForm(): void
    {
        TemplateRenderer::getInstance()->display('@gdmsintegration/chatwootconfig.html.twig', [
            'item'   => $this,
            'form'   => $this->formData(),
            'action' => '/plugins/gdmsintegration/front/chatwootconfig.php',
        ]);
        unset($_SESSION[self::SESSION_FORM]);
    }
}
