<?php

/**
 * -------------------------------------------------------------------------
 * GDMS Integration plugin for GLPI
 * -------------------------------------------------------------------------
 * @license   GPL-3.0-or-later https://www.gnu.org/licenses/gpl-3.0.html
 * -------------------------------------------------------------------------
 */

declare(strict_types=1);

use Glpi\Exception\Http\AccessDeniedHttpException;

// GLPI's kernel has already checked the CSRF token of a POST (CheckCsrfListener).
Session::checkRight('config', UPDATE);

$entities_id = (int) ($_POST['entities_id'] ?? $_GET['entities_id'] ?? Session::getActiveEntity());
if (!Session::haveAccessToEntity($entities_id)) {
    throw new AccessDeniedHttpException();
}

if (isset($_POST['update'])) {
    PluginGdmsintegrationChatwootconfig::saveFromForm($entities_id, $_POST);
    Html::redirect(PluginGdmsintegrationChatwootconfig::getFormUrlForEntity($entities_id));
    return;
}
if (isset($_POST['test_connection'])) {
    $result = PluginGdmsintegrationChatwootconfig::getForEntity($entities_id)->testConnection();
    Session::addMessageAfterRedirect(htmlescape($result['message']), false, $result['ok'] ? INFO : ERROR);
    Html::redirect(PluginGdmsintegrationChatwootconfig::getFormUrlForEntity($entities_id));
    return;
}

Html::header(PluginGdmsintegrationChatwootconfig::getTypeName(1), '', 'tools', PluginGdmsintegrationMenu::class, 'chatwoot');
PluginGdmsintegrationChatwootconfig::getForEntity($entities_id)->showConfigForm();
Html::footer();
