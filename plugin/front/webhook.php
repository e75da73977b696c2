<?php

/**
 * -------------------------------------------------------------------------
 * GDMS Integration plugin for GLPI
 * -------------------------------------------------------------------------
 * @license   GPL-3.0-or-later https://www.gnu.org/licenses/gpl-3.0.html
 * -------------------------------------------------------------------------
 */

declare(strict_types=1);

// Stateless (no session, no CSRF, no firewall): declared in plugin_gdmsintegration_boot().
// Callers are authenticated by the X-GDMS-Signature HMAC in PluginGdmsintegrationWebhook.

PluginGdmsintegrationMachineEndpoint::serve([PluginGdmsintegrationWebhook::class, 'handle'], PluginGdmsintegrationWebhook::MAX_BODY_BYTES);
