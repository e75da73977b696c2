<?php

/**
 * -------------------------------------------------------------------------
 * GDMS Integration plugin for GLPI
 * -------------------------------------------------------------------------
 * @license   GPL-3.0-or-later https://www.gnu.org/licenses/gpl-3.0.html
 * -------------------------------------------------------------------------
 */

declare(strict_types=1);

use Glpi\Http\Firewall;
use Glpi\Http\SessionManager;
use Glpi\Plugin\Hooks;

/** Code version of the plugin (also in Cargo.toml and CHANGELOG.md). */
define('PLUGIN_GDMSINTEGRATION_VERSION', '0.1.0');
/** Database schema version; separate from the code version so a release without schema change migrates nothing. */
define('PLUGIN_GDMSINTEGRATION_SCHEMA_VERSION', 1);
/** Contract version of the `gdms` extension this plugin was written for (gdms_core::contract::CONTRACT_VERSION). */
define('PLUGIN_GDMSINTEGRATION_NATIVE_CONTRACT', 1);
/** Minimal GLPI version, inclusive. */
define('PLUGIN_GDMSINTEGRATION_MIN_GLPI', '11.0.0');
/** Maximum GLPI version, exclusive. */
define('PLUGIN_GDMSINTEGRATION_MAX_GLPI', '11.0.99');

/**
 * Identity and requirements of the plugin, read by GLPI's plugin list.
 *
 * @return array<string, mixed>
 */
function plugin_version_gdmsintegration(): array
{
    return [
        'name'         => 'GDMS Integration',
        'version'      => PLUGIN_GDMSINTEGRATION_VERSION,
        'author'       => 'GDMS Integration contributors',
        'license'      => 'GPL-3.0-or-later',
        'homepage'     => '',
        'requirements' => [
            'glpi' => [
                'min' => PLUGIN_GDMSINTEGRATION_MIN_GLPI,
                'max' => PLUGIN_GDMSINTEGRATION_MAX_GLPI,
            ],
            // The `gdms` extension is checked by plugin_gdmsintegration_check_prerequisites(),
            // which says which version was found and what to install.
            'php' => ['min' => '8.2'],
        ],
    ];
}

/**
 * Runs at kernel boot, before the session starts: the only moment where a
 * path can be declared stateless (no session, no CSRF) for machine callers.
 */
function plugin_gdmsintegration_boot(): void
{
    // Real GLPI autoloads inc/*.class.php only once the plugin is loaded (glpi_autoload()
    // checks Plugin::isPluginLoaded()), which happens after boot: load the class ourselves.
    require_once __DIR__ . '/inc/menu.class.php';
    foreach (PluginGdmsintegrationMenu::STATELESS_SCRIPTS as $pattern) {
        SessionManager::registerPluginStatelessPath('gdmsintegration', $pattern);
        Firewall::addPluginStrategyForLegacyScripts('gdmsintegration', $pattern, Firewall::STRATEGY_NO_CHECK);
    }
}

/**
 * Registers hooks, classes and the menu. Nothing here may throw: GLPI
 * deactivates a plugin whose init throws.
 */
function plugin_init_gdmsintegration(): void
{
    global $PLUGIN_HOOKS;

    Plugin::registerClass(PluginGdmsintegrationProfile::class, ['addtabon' => ['Profile']]);

    if (Session::haveRight('config', UPDATE)) {
        $PLUGIN_HOOKS[Hooks::CONFIG_PAGE]['gdmsintegration'] = 'front/config.php';
    }
    if (Session::haveRight(PluginGdmsintegrationMenu::$rightname, READ) || Session::haveRight('config', UPDATE)) {
        $PLUGIN_HOOKS[Hooks::MENU_TOADD]['gdmsintegration'] = ['tools' => PluginGdmsintegrationMenu::class];
    }
    // Encrypted columns, re-encrypted by `bin/console security:change_key`.
    $PLUGIN_HOOKS[Hooks::SECURED_FIELDS]['gdmsintegration'] = array_merge(
        PluginGdmsintegrationConfig::SECURED_FIELDS,
        PluginGdmsintegrationChatwootconfig::SECURED_FIELDS,
        PluginGdmsintegrationSubscription::SECURED_FIELDS
    );
    // GLPI -> Chatwoot: public followups, solutions and solved/closed tickets of linked tickets.
    PluginGdmsintegrationChatwootqueue::registerHooks($PLUGIN_HOOKS);
    // Outgoing webhooks: ticket, followup, solution and approval events, queued in the same request.
    PluginGdmsintegrationOutgoing::registerHooks($PLUGIN_HOOKS);
}

/**
 * Blocks install and activation, with a message an administrator can act on,
 * when the `gdms` extension is missing or speaks another contract version.
 */
function plugin_gdmsintegration_check_prerequisites(): bool
{
    // Called for an active plugin at every kernel boot (Plugin::checkStates()), before the
    // plugin is loaded and its inc/ classes autoloadable: load the class ourselves.
    require_once __DIR__ . '/inc/native.class.php';
    $problem = PluginGdmsintegrationNative::prerequisiteProblem();
    if ($problem !== null) {
        echo $problem;
        return false;
    }
    return true;
}

/**
 * The plugin needs no configuration before activation: each entity is
 * configured afterwards in Tools > GDMS Integration > Configuration.
 */
function plugin_gdmsintegration_check_config(bool $verbose = false): bool
{
    return true;
}
