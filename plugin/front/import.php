<?php

/**
 * -------------------------------------------------------------------------
 * GDMS Integration plugin for GLPI
 * -------------------------------------------------------------------------
 * @license   GPL-3.0-or-later https://www.gnu.org/licenses/gpl-3.0.html
 * -------------------------------------------------------------------------
 */

declare(strict_types=1);

// History import (config right): merges the daily roll-ups of a workbook the
// export produced into the user's active entities; the file is parsed by the
// extension, days already stored are never duplicated.
Session::checkRight('config', UPDATE);

if (isset($_POST['import'])) {
    PluginGdmsintegrationExport::importUpload($_FILES['workbook'] ?? null, PluginGdmsintegrationDashboard::visibleEntities());
    Html::redirect(PluginGdmsintegrationExport::importPageUrl());
    return;
}

Html::header(__('History import', 'gdmsintegration'), '', 'tools', PluginGdmsintegrationMenu::class, 'dashboard');
PluginGdmsintegrationExport::showImportForm();
Html::footer();
