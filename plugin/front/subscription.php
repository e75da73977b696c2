<?php

/**
 * -------------------------------------------------------------------------
 * GDMS Integration plugin for GLPI
 * -------------------------------------------------------------------------
 * @license   GPL-3.0-or-later https://www.gnu.org/licenses/gpl-3.0.html
 * -------------------------------------------------------------------------
 */

declare(strict_types=1);

// Outgoing webhook subscriptions: list, search, settings. GLPI's kernel checks the CSRF token of a POST.
Session::checkRight('config', UPDATE);

if ($_SERVER['REQUEST_METHOD'] === 'POST') {
    Html::redirect(PluginGdmsintegrationSubscriptionui::handlePost($_POST));
    return;
}

Html::header(PluginGdmsintegrationSubscription::getTypeName(2), '', 'tools', PluginGdmsintegrationMenu::class, 'webhooks');
PluginGdmsintegrationSubscriptionui::showList($_GET);
Html::footer();
