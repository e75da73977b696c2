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
 * Per-entity configuration: one row per entity in glpi_plugin_gdmsintegration_configs.
 *
 * Secrets are stored encrypted with GLPIKey and declared in SECURED_FIELDS so
 * `bin/console security:change_key` re-encrypts them.
 */
class PluginGdmsintegrationConfig extends CommonDBTM
{
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

    public static function getTypeName($nb = 0): string
    {
        return _n('GDMS configuration', 'GDMS configurations', $nb, 'gdmsintegration');
    }

    public static function getTable($classname = null): string
    {
        return 'glpi_plugin_gdmsintegration_configs';
    }
}
