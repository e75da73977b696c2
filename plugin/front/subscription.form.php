<?php

/**
 * -------------------------------------------------------------------------
 * GDMS Integration plugin for GLPI
 * -------------------------------------------------------------------------
 * @license   GPL-3.0-or-later https://www.gnu.org/licenses/gpl-3.0.html
 * -------------------------------------------------------------------------
 */

declare(strict_types=1);

// One outgoing webhook subscription: form, operator actions, delivery log.
Session::checkRight('config', UPDATE);

if ($_SERVER['REQUEST_METHOD'] === 'POST') {
    Html::redirect(PluginGdmsintegrationSubscriptionui::handlePost($_POST));
    return;
}

Html::header(PluginGdmsintegrationSubscription::getTypeName(1), '', 'tools', PluginGdmsintegrationMenu::class, 'webhooks');
PluginGdmsintegrationSubscriptionui::showForm((int) ($_GET['id'] ?? 0), $_GET);
Html::footer();
