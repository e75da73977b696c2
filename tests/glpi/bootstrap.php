<?php

/**
 * Loads the GLPI 11 stand-in over a fresh database and the plugin, the way
 * GLPI loads a plugin: legacy autoloader for inc/*.class.php, setup.php,
 * hook.php. Test fixture only.
 */

declare(strict_types=1);

require_once __DIR__ . '/functions.php';
require_once __DIR__ . '/support.php';
require_once __DIR__ . '/db.php';
require_once __DIR__ . '/core.php';
require_once __DIR__ . '/session.php';
require_once __DIR__ . '/twig.php';
require_once __DIR__ . '/itil.php';

define('GDMS_PLUGIN_DIR', dirname(__DIR__, 2) . '/plugin');
define('GDMS_ARTIFACTS', dirname(__DIR__) . '/artifacts');

if (!defined('GLPI_LOG_DIR')) {
    @mkdir(GDMS_ARTIFACTS . '/log', 0777, true);
    define('GLPI_LOG_DIR', GDMS_ARTIFACTS . '/log');
}

/**
 * GLPI's legacy plugin autoloader: PluginGdmsintegrationFoo -> plugins/gdmsintegration/inc/foo.class.php,
 * active only once the plugin is loaded (Plugin::isPluginLoaded(), set by Plugin::load() after
 * the prerequisite check and boot; src/autoload/legacy-autoloader.php).
 */
final class GdmsStandInPluginState
{
    public static bool $loaded = false;
}

spl_autoload_register(static function (string $class): void {
    if (GdmsStandInPluginState::$loaded && preg_match('/^PluginGdmsintegration(\w+)$/', $class, $m)) {
        $file = GDMS_PLUGIN_DIR . '/inc/' . strtolower($m[1]) . '.class.php';
        if (is_file($file)) {
            require_once $file;
        }
    }
});

/**
 * A fresh database with GLPI's core tables, from the MariaDB started by the Makefile.
 */
function gdms_test_reset_database(): DBmysql
{
    $socket = getenv('GDMS_TEST_DB_SOCKET') ?: dirname(__DIR__, 2) . '/build/mariadb/mysqld.sock';
    $name = getenv('GDMS_TEST_DB_NAME') ?: 'gdms_test';
    $db = new DBmysql($socket, $name);
    if (getenv('GDMS_TEST_KEEP_DATABASE') === '1') {
        // A child process of a test, or the browser tests' web server: work on the database as it is.
        return $db;
    }
    $db->doQuery("DROP DATABASE IF EXISTS `$name`");
    $db->doQuery("CREATE DATABASE `$name` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
    $db->dbh->select_db($name);
    $db->dbh->multi_query((string) file_get_contents(__DIR__ . '/schema.sql'));
    while ($db->dbh->more_results() && $db->dbh->next_result()) {
        // drain every statement's result
    }
    CommonDBTM::forgetColumns();
    return $db;
}

$GLOBALS['DB'] = gdms_test_reset_database();
$GLOBALS['PLUGIN_HOOKS'] = [];
$GLOBALS['CFG_GLPI'] = ['root_doc' => '', 'url_base' => 'http://localhost'];

$keyFile = GDMS_ARTIFACTS . '/glpicrypt.key';
if (!is_file($keyFile)) {
    @mkdir(GDMS_ARTIFACTS, 0777, true);
    file_put_contents($keyFile, sodium_crypto_aead_xchacha20poly1305_ietf_keygen());
}
GLPIKey::$keyFile = $keyFile;

GlpiStandIn\Translations::registerDomain('gdmsintegration', GDMS_PLUGIN_DIR . '/locales');

// GLPI's startup order (src/Glpi/Kernel/ListenersPriority.php): plugin states are checked
// (check_prerequisites of an active plugin), plugins boot, then Plugin::load() makes the
// classes autoloadable and calls plugin_init_<key>.
require_once GDMS_PLUGIN_DIR . '/setup.php';
ob_start();
$GLOBALS['GDMS_BOOT_PREREQUISITES'] = plugin_gdmsintegration_check_prerequisites();
$GLOBALS['GDMS_BOOT_PREREQUISITES_OUTPUT'] = ob_get_clean();
plugin_gdmsintegration_boot();
GdmsStandInPluginState::$loaded = true;
plugin_init_gdmsintegration();
require_once GDMS_PLUGIN_DIR . '/hook.php';
