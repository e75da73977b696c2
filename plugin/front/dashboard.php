<?php

/**
 * -------------------------------------------------------------------------
 * GDMS Integration plugin for GLPI
 * -------------------------------------------------------------------------
 * @license   GPL-3.0-or-later https://www.gnu.org/licenses/gpl-3.0.html
 * -------------------------------------------------------------------------
 */

declare(strict_types=1);

Session::checkRight(PluginGdmsintegrationMenu::$rightname, READ);

Html::header(PluginGdmsintegrationMenu::getTypeName(), '', 'tools', PluginGdmsintegrationMenu::class, 'dashboard');
PluginGdmsintegrationDashboard::show();
Html::footer();
