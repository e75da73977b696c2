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
 * A "GDMS Integration" tab on profiles, to grant the plugin's right.
 */
class PluginGdmsintegrationProfile extends Profile
{
    public static $rightname = 'profile';

    public function getTabNameForItem(CommonGLPI $item, $withtemplate = 0): string
    {
        if ($item instanceof Profile && $item->getField('interface') === 'central') {
            return self::createTabEntry(PluginGdmsintegrationMenu::getTypeName(), 0, $item::getType(), PluginGdmsintegrationMenu::getIcon());
        }
        return '';
    }

    public static function displayTabContentForItem(CommonGLPI $item, $tabnum = 1, $withtemplate = 0): bool
    {
        if (!$item instanceof Profile) {
            return false;
        }
        // A Profile, not self: GLPI derives the table from the class (CommonDBTM::getTable()),
        // and there is no glpi_plugin_gdmsintegration_profiles table.
        $profile = new Profile();
        $profile->getFromDB($item->getID());
        $can_edit = Session::haveRight(self::$rightname, UPDATE);
        if ($can_edit) {
            echo '<form method="post" action="' . htmlescape(Profile::getFormURL()) . '">';
        }
        $profile->displayRightsChoiceMatrix(
            [[
                'itemtype' => PluginGdmsintegrationMenu::class,
                'label'    => PluginGdmsintegrationMenu::getTypeName(),
                'field'    => PluginGdmsintegrationMenu::$rightname,
            ]],
            ['canedit' => $can_edit, 'default_class' => 'tab_bg_2', 'title' => PluginGdmsintegrationMenu::getTypeName()]
        );
        if ($can_edit) {
            echo Html::hidden('id', ['value' => $item->getID()]);
            echo Html::submit(_sx('button', 'Save'), ['name' => 'update', 'class' => 'btn btn-primary']);
            Html::closeForm();
        }
        return true;
    }
}
