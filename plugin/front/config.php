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
    PluginGdmsintegrationConfig::saveFromForm($entities_id, $_POST);
    Html::redirect(PluginGdmsintegrationConfig::getFormUrlForEntity($entities_id));
    return;
}

Html::header(PluginGdmsintegrationConfig::getTypeName(1), '', 'tools', PluginGdmsintegrationMenu::class, 'config');
PluginGdmsintegrationConfig::getForEntity($entities_id)->showConfigForm();
Html::footer();
