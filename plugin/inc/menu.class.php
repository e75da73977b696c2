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
 * Tools > GDMS Integration, and the plugin's right.
 *
 * READ shows the plugin's pages; UPDATE allows actions that reach the clouds
 * (sync now, firmware upgrades). Configuration needs GLPI's own config UPDATE.
 */
class PluginGdmsintegrationMenu extends CommonGLPI
{
    public static $rightname = 'plugin_gdmsintegration';

    /** Scripts called by machines (cloud webhooks): no session, no CSRF; they authenticate callers themselves. */
    public const STATELESS_SCRIPTS = [
        '#^/front/webhook\.php$#',
        '#^/front/chatwoot\.php$#',
    ];

    public static function getTypeName($nb = 0): string
    {
        return __('GDMS Integration', 'gdmsintegration');
    }

    public static function getMenuName(): string
    {
        return self::getTypeName();
    }

    public static function getIcon(): string
    {
        return 'ti ti-router';
    }

    /**
     * @return array<string, mixed>|false
     */
    public static function getMenuContent()
    {
        if (!Session::haveRight(self::$rightname, READ) && !Session::haveRight('config', UPDATE)) {
            return false;
        }
        $base = '/plugins/gdmsintegration/front';
        $menu = [
            'title' => self::getMenuName(),
            'page'  => "$base/dashboard.php",
            'icon'  => self::getIcon(),
            'options' => [
                'dashboard' => [
                    'title' => __('Dashboard', 'gdmsintegration'),
                    'page'  => "$base/dashboard.php",
                    'icon'  => 'ti ti-layout-dashboard',
                ],
                'status' => [
                    'title' => __('Status', 'gdmsintegration'),
                    'page'  => "$base/status.php",
                    'icon'  => 'ti ti-heartbeat',
                ],
            ],
        ];
        if (Session::haveRight('config', UPDATE)) {
            $menu['options']['config'] = [
                'title' => __('Configuration', 'gdmsintegration'),
                'page'  => "$base/config.php",
                'icon'  => 'ti ti-settings',
            ];
            $menu['options']['chatwoot'] = [
                'title' => __('Chatwoot', 'gdmsintegration'),
                'page'  => "$base/chatwootconfig.php",
                'icon'  => 'ti ti-messages',
            ];
            $menu['options']['webhooks'] = [
                'title' => __('Webhooks', 'gdmsintegration'),
                'page'  => "$base/subscription.php",
                'icon'  => 'ti ti-webhook',
                'links' => ['add' => "$base/subscription.form.php", 'search' => "$base/subscription.php"],
            ];
        }
        return $menu;
    }

    /**
     * Rights offered in the profile matrix.
     *
     * @return array<int, string>
     */
    public function getRights($interface = 'central'): array
    {
        return [
            READ   => __('Read'),
            UPDATE => __('Update'),
        ];
    }
}
