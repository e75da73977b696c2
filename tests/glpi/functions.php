<?php

/**
 * GLPI 11 stand-in: global constants and functions the plugin calls.
 * Test fixture only; never shipped. See tests/glpi/README.md.
 */

declare(strict_types=1);

// Right bits (glpi11-plugin-facts.md §6).
define('READ', 1);
define('UPDATE', 2);
define('CREATE', 4);
define('DELETE', 8);
define('PURGE', 16);
define('ALLSTANDARDRIGHT', 31);
define('READNOTE', 32);
define('UPDATENOTE', 64);
define('UNLOCK', 128);

// Time constants (§8).
define('MINUTE_TIMESTAMP', 60);
define('HOUR_TIMESTAMP', 3600);
define('DAY_TIMESTAMP', 86400);

define('GLPI_SYSTEM_CRON', false);

/**
 * gettext lookup: the stand-in loads the plugin's compiled .mo for the session
 * language, so tests can check that translations exist and are used.
 */
function __(string $str, string $domain = 'glpi'): string
{
    return GlpiStandIn\Translations::translate($str, $domain);
}

function __s(string $str, string $domain = 'glpi'): string
{
    return htmlescape(__($str, $domain));
}

function _n(string $singular, string $plural, int $nb, string $domain = 'glpi'): string
{
    return GlpiStandIn\Translations::translatePlural($singular, $plural, $nb, $domain);
}

function _x(string $ctx, string $str, string $domain = 'glpi'): string
{
    return GlpiStandIn\Translations::translate($ctx . "\004" . $str, $domain, $str);
}

function _sx(string $ctx, string $str, string $domain = 'glpi'): string
{
    return htmlescape(_x($ctx, $str, $domain));
}

function htmlescape(mixed $str): string
{
    return htmlspecialchars((string) $str, ENT_QUOTES | ENT_SUBSTITUTE, 'UTF-8');
}

/**
 * @param array<mixed> $condition
 */
function countElementsInTable(string|array $table, array $condition = []): int
{
    global $DB;
    $row = $DB->request(['COUNT' => 'cpt', 'FROM' => $table, 'WHERE' => $condition])->current();
    return (int) ($row['cpt'] ?? 0);
}

function isPluginItemType(string $classname): array|false
{
    if (preg_match('/^Plugin([A-Z][a-z0-9]+)([A-Z]\w+)$/', $classname, $m)) {
        return ['plugin' => strtolower($m[1]), 'class' => $m[2]];
    }
    if (preg_match('/^GlpiPlugin\\\\([A-Z][a-z0-9]+)\\\\(.+)$/', $classname, $m)) {
        return ['plugin' => strtolower($m[1]), 'class' => $m[2]];
    }
    return false;
}

/**
 * GLPI's table name for an itemtype: `PluginGdmsintegrationConfig` -> `glpi_plugin_gdmsintegration_configs`.
 */
function getTableForItemType(string $itemtype): string
{
    if ($plug = isPluginItemType($itemtype)) {
        return 'glpi_plugin_' . $plug['plugin'] . '_' . GlpiStandIn\Inflector::plural(strtolower($plug['class']));
    }
    return 'glpi_' . GlpiStandIn\Inflector::plural(strtolower($itemtype));
}
