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
 * Registering a class's item hooks, listed in its HOOKS constant
 * (hook => itemtype => static method). GLPI keeps one callable per plugin,
 * hook and itemtype: when another area of the plugin already listens there,
 * both are called (the earlier one first).
 */
trait PluginGdmsintegrationChainedHooks
{
    /**
     * @param array<string, mixed> $hooks $PLUGIN_HOOKS
     */
    public static function registerHooks(array &$hooks): void
    {
        foreach (self::HOOKS as $hook => $types) {
            foreach ($types as $itemtype => $method) {
                $mine = [self::class, $method];
                $previous = $hooks[$hook]['gdmsintegration'][$itemtype] ?? null;
                $hooks[$hook]['gdmsintegration'][$itemtype] = $previous === null
                    ? $mine
                    : static function (CommonDBTM $item) use ($previous, $mine): void {
                        $previous($item);
                        $mine($item);
                    };
            }
        }
    }
}
