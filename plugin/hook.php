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
 * Install or upgrade: GLPI runs this again whenever the code version changes,
 * so the installer migrates in place from whatever schema it finds.
 */
function plugin_gdmsintegration_install(): bool
{
    $migration = new Migration(PLUGIN_GDMSINTEGRATION_VERSION);
    return (new PluginGdmsintegrationInstall())->install($migration);
}

/**
 * Removes every table, right, setting and automatic action the plugin created.
 * GLPI assets and tickets the plugin created or touched stay: they are GLPI's.
 */
function plugin_gdmsintegration_uninstall(): bool
{
    return (new PluginGdmsintegrationInstall())->uninstall();
}
