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
 * Per-entity configuration: one row per entity in glpi_plugin_gdmsintegration_configs.
 *
 * Secrets are stored encrypted with GLPIKey, declared in SECURED_FIELDS so
 * `bin/console security:change_key` re-encrypts them, and never sent back to
 * the browser: the form only says whether each one is set, and an empty
 * field on save keeps the stored value.
 */
class PluginGdmsintegrationConfig extends CommonDBTM
{
    use PluginGdmsintegrationSecretColumns;

    public static $rightname = 'config';

    /** Columns holding GLPIKey-encrypted values. */
    public const SECRET_COLUMNS = [
        'gdms_password',
        'gdms_client_secret',
        'gwn_secret',
        'webhook_secret',
        'gdms_token',
        'gwn_token',
    ];

    /** The same columns as table.column, for GLPI's secured_fields hook. */
    public const SECURED_FIELDS = [
        'glpi_plugin_gdmsintegration_configs.gdms_password',
        'glpi_plugin_gdmsintegration_configs.gdms_client_secret',
        'glpi_plugin_gdmsintegration_configs.gwn_secret',
        'glpi_plugin_gdmsintegration_configs.webhook_secret',
        'glpi_plugin_gdmsintegration_configs.gdms_token',
        'glpi_plugin_gdmsintegration_configs.gwn_token',
    ];

    /** Secrets an administrator types in the form (tokens are the plugin's own cache). */
    public const FORM_SECRETS = ['gdms_password', 'gdms_client_secret', 'gwn_secret', 'webhook_secret'];

    /** Plain fields of the form. */
    private const FORM_TEXT = ['gdms_username', 'gdms_client_id', 'gwn_app_id', 'gdms_base_url', 'gwn_base_url', 'firmware_base_url'];

    /** Host overrides (a proxy, a private relay, the simulator); empty = the cloud's own host. */
    public const BASE_URL_FIELDS = ['gdms_base_url', 'gwn_base_url', 'firmware_base_url'];

    private const FORM_FLAGS = [
        'is_active', 'debug_logging', 'show_topology', 'tickets_phone', 'tickets_router',
        'tickets_switch', 'tickets_ap', 'tickets_pbx', 'wan_tickets_enabled',
    ];

    private const FORM_INTEGERS = [
        'refresh_interval', 'availability_days', 'users_id_requester', 'wan_debounce_seconds', 'debounce_cycles',
        'itilcategories_id_network', 'itilcategories_id_telephony',
    ];

    public const REGIONS = ['us', 'eu'];

    /** Session key holding the last form's errors and input, shown next to the fields after the redirect. */
    private const SESSION_FORM = 'plugin_gdmsintegration_config_form';

    /** Session key holding the connection test run after the last save, per entity. */
    private const SESSION_PROBE = 'plugin_gdmsintegration_config_probe';

    public static function getTypeName($nb = 0): string
    {
        return _n('GDMS configuration', 'GDMS configurations', $nb, 'gdmsintegration');
    }

    public static function getTable($classname = null): string
    {
        return 'glpi_plugin_gdmsintegration_configs';
    }

    /**
     * The entity's configuration, or an unsaved one holding the defaults.
     */
    public static function getForEntity(int $entities_id): self
    {
        $config = new self();
        if (!$config->getFromDBByCrit(['entities_id' => $entities_id])) {
            $config->fields = self::defaults() + ['entities_id' => $entities_id];
        }
        return $config;
    }

    /**
     * Column defaults, read from the schema so they are written down once.
     *
     * @return array<string, mixed>
     */
    public static function defaults(): array
    {
        $out = [];
        foreach (PluginGdmsintegrationSchema::tables()[self::getTable()]['columns'] as $column => $type) {
            if (preg_match("/DEFAULT '([^']*)'/", $type, $m) || preg_match('/DEFAULT (\d+)/', $type, $m)) {
                $out[$column] = $m[1];
            } elseif ($column !== 'id') {
                $out[$column] = str_contains($type, 'text') ? '' : null;
            }
        }
        return $out;
    }

    /**
     * Whether credentials are complete for GDMS UC / GWN.
     *
     * @return array{uc: bool, gwn: bool}
     */
    public function configuredClouds(): array
    {
        return [
            'uc'  => ($this->fields['gdms_username'] ?? '') !== '' && ($this->fields['gdms_client_id'] ?? '') !== ''
                && $this->hasSecret('gdms_password') && $this->hasSecret('gdms_client_secret'),
            'gwn' => ($this->fields['gwn_app_id'] ?? '') !== '' && $this->hasSecret('gwn_secret'),
        ];
    }

    /**
     * The URL to paste into the cloud portal for this entity's webhook.
     */
    public function webhookUrl(): string
    {
        global $CFG_GLPI;
        return rtrim((string) ($CFG_GLPI['url_base'] ?? ''), '/')
            . '/plugins/gdmsintegration/front/webhook.php?entities_id=' . (int) $this->fields['entities_id'];
    }

    /**
     * Checks a submitted form. Errors are keyed by field so the form shows
     * each one next to its input.
     *
     * @param array<string, mixed> $input
     * @return array<string, string> field => message
     */
    public static function validate(array $input): array
    {
        $errors = [];
        $region = (string) ($input['gdms_region'] ?? 'us');
        if (!in_array($region, self::REGIONS, true)) {
            $errors['gdms_region'] = __('Choose the US or the EU region.', 'gdmsintegration');
        }
        $ranges = [
            'refresh_interval'     => [30, 86400, __('The refresh interval must be between 30 and 86400 seconds.', 'gdmsintegration')],
            'availability_days'    => [7, 365, __('The availability window must be between 7 and 365 days.', 'gdmsintegration')],
            'wan_debounce_seconds' => [0, 3600, __('The WAN debounce must be between 0 and 3600 seconds.', 'gdmsintegration')],
            'debounce_cycles'      => [1, 100, __('The number of cycles must be between 1 and 100.', 'gdmsintegration')],
        ];
        foreach ($ranges as $field => [$min, $max, $message]) {
            if (!array_key_exists($field, $input)) {
                continue;
            }
            $value = filter_var($input[$field], FILTER_VALIDATE_INT);
            if ($value === false || $value < $min || $value > $max) {
                $errors[$field] = $message;
            }
        }
        foreach (['users_id_requester', 'itilcategories_id_network', 'itilcategories_id_telephony'] as $field) {
            if (array_key_exists($field, $input) && (filter_var($input[$field], FILTER_VALIDATE_INT) === false || (int) $input[$field] < 0)) {
                $errors[$field] = __('Choose a value from the list.', 'gdmsintegration');
            }
        }
        foreach (self::BASE_URL_FIELDS as $field) {
            $url = trim((string) ($input[$field] ?? ''));
            if ($url !== '' && (!preg_match('#^https?://[^\s/$.?\#][^\s]*$#i', $url) || parse_url($url, PHP_URL_HOST) === null)) {
                $errors[$field] = __('Enter a full http:// or https:// address, or leave empty for the cloud\'s own host.', 'gdmsintegration');
            }
        }
        if (($input['gwn_app_id'] ?? '') !== '' && !preg_match('/^[A-Za-z0-9_-]{1,64}$/', (string) $input['gwn_app_id'])) {
            $errors['gwn_app_id'] = __('The GWN App ID is the short identifier shown on the Development API page (letters and digits).', 'gdmsintegration');
        }
        if (($input['gdms_client_id'] ?? '') !== '' && !preg_match('/^[A-Za-z0-9_-]{1,64}$/', (string) $input['gdms_client_id'])) {
            $errors['gdms_client_id'] = __('The GDMS API ID is the identifier shown on the API Developer page (letters and digits).', 'gdmsintegration');
        }
        return $errors;
    }

    /**
     * Turns a form submission into row values: plain fields as typed, flags
     * as 0/1, secrets encrypted when typed, kept when left empty, cleared
     * when their "clear" box is ticked.
     *
     * @param array<string, mixed> $input
     * @return array<string, mixed>
     */
    public static function rowFromForm(array $input): array
    {
        $row = [];
        foreach (self::FORM_TEXT as $field) {
            if (array_key_exists($field, $input)) {
                $row[$field] = trim((string) $input[$field]);
            }
        }
        if (array_key_exists('gdms_region', $input)) {
            $row['gdms_region'] = (string) $input['gdms_region'];
        }
        foreach (self::FORM_FLAGS as $field) {
            if (array_key_exists($field, $input)) {
                $row[$field] = (int) (bool) $input[$field];
            }
        }
        foreach (self::FORM_INTEGERS as $field) {
            if (array_key_exists($field, $input)) {
                $row[$field] = (int) $input[$field];
            }
        }
        $key = new GLPIKey();
        foreach (self::FORM_SECRETS as $field) {
            if (!empty($input["_clear_$field"])) {
                $row[$field] = '';
            } elseif (($input[$field] ?? '') !== '') {
                $row[$field] = $key->encrypt((string) $input[$field]);
            }
        }
        // New credentials invalidate the tokens obtained with the old ones.
        if (array_intersect(array_keys($row), ['gdms_username', 'gdms_password', 'gdms_client_id', 'gdms_client_secret', 'gdms_region', 'gdms_base_url'])) {
            $row['gdms_token'] = '';
        }
        if (array_intersect(array_keys($row), ['gwn_app_id', 'gwn_secret', 'gwn_base_url'])) {
            $row['gwn_token'] = '';
        }
        return $row;
    }

    /**
     * Saves a form submission for its entity. On invalid input nothing is
     * stored and the errors and typed values (secrets excepted) are kept in
     * the session for the form to show.
     *
     * @param array<string, mixed> $input
     * @return bool true when saved
     */
    public static function saveFromForm(int $entities_id, array $input): bool
    {
        $errors = self::validate($input);
        if ($errors !== []) {
            $_SESSION[self::SESSION_FORM] = [
                'errors' => $errors,
                'input'  => array_diff_key($input, array_flip(self::FORM_SECRETS)),
            ];
            Session::addMessageAfterRedirect(__('The configuration was not saved: correct the highlighted fields.', 'gdmsintegration'), false, ERROR);
            return false;
        }
        unset($_SESSION[self::SESSION_FORM]);

        $row = self::rowFromForm($input);
        $config = self::getForEntity($entities_id);
        if ($config->isNewItem()) {
            $ok = (bool) $config->add(['entities_id' => $entities_id] + $row);
        } else {
            $ok = $config->update(['id' => $config->getID()] + $row);
        }
        if ($ok) {
            PluginGdmsintegrationLog::info(sprintf('configuration saved for entity %d (%s)', $entities_id, implode(', ', array_keys($row))));
            Session::addMessageAfterRedirect(__('Configuration saved.', 'gdmsintegration'));
            $saved = self::getForEntity($entities_id);
            $clouds = $saved->configuredClouds();
            if ($clouds['uc'] || $clouds['gwn']) {
                $_SESSION[self::SESSION_PROBE][$entities_id] = PluginGdmsintegrationNative::testConnection(PluginGdmsintegrationSync::fetchRequest($saved));
            }
        }
        return $ok;
    }

    /**
     * Data for the form: plain values, "set" flags for secrets (never the
     * secrets), the webhook URL, and the last submission's errors.
     *
     * @return array<string, mixed>
     */
    public function formData(): array
    {
        $form = $_SESSION[self::SESSION_FORM] ?? ['errors' => [], 'input' => []];
        $values = array_diff_key($this->fields, array_flip(self::SECRET_COLUMNS));
        $values = array_merge($values, array_intersect_key($form['input'], $values));
        $secrets = [];
        foreach (self::FORM_SECRETS as $column) {
            $secrets[$column] = $this->hasSecret($column);
        }
        return [
            'values'      => $values,
            'secrets_set' => $secrets,
            'errors'      => $form['errors'],
            'webhook_url' => $this->webhookUrl(),
            'regions'     => ['us' => __('United States / Americas (www.gdms.cloud)', 'gdmsintegration'), 'eu' => __('Europe (eu.gdms.cloud)', 'gdmsintegration')],
            'clouds'      => $this->configuredClouds(),
            'probe'       => $_SESSION[self::SESSION_PROBE][(int) $this->fields['entities_id']] ?? null,
        ];
    }

    public static function getFormUrlForEntity(int $entities_id): string
    {
        global $CFG_GLPI;
        return ($CFG_GLPI['root_doc'] ?? '') . '/plugins/gdmsintegration/front/config.php?entities_id=' . $entities_id;
    }

    /**
     * The configuration form of one entity.
     */
    public function showConfigForm(): void
    {
        TemplateRenderer::getInstance()->display('@gdmsintegration/config.html.twig', [
            'item'   => $this,
            'form'   => $this->formData(),
            'action' => '/plugins/gdmsintegration/front/config.php',
        ]);
        unset($_SESSION[self::SESSION_FORM], $_SESSION[self::SESSION_PROBE][(int) $this->fields['entities_id']]);
    }
}
