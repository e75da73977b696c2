<?php

/**
 * GLPI 11 stand-in: Session, Html, Toolbox, GLPIKey, Plugin, routing classes.
 */

declare(strict_types=1);

namespace Glpi\Http {
    /** Records what plugins declare at boot (glpi11-plugin-facts.md §4). */
    final class Firewall
    {
        public const STRATEGY_NO_CHECK = 'no_check';
        public const STRATEGY_AUTHENTICATED = 'authenticated';
        public const STRATEGY_ADMIN_ACCESS = 'admin_access';
        public const STRATEGY_CENTRAL_ACCESS = 'central_access';

        /** @var array<string, array<string, string>> plugin => pattern => strategy */
        public static array $pluginStrategies = [];

        public static function addPluginStrategyForLegacyScripts(string $plugin_key, string $pattern, string $strategy): void
        {
            self::$pluginStrategies[$plugin_key][$pattern] = $strategy;
        }
    }

    final class SessionManager
    {
        /** @var array<string, list<string>> */
        public static array $statelessPaths = [];

        public static function registerPluginStatelessPath(string $plugin_key, string $pattern): void
        {
            self::$statelessPaths[$plugin_key][] = $pattern;
        }

        /** Whether /plugins/<key><path> is stateless. */
        public static function isPluginPathStateless(string $plugin_key, string $path): bool
        {
            foreach (self::$statelessPaths[$plugin_key] ?? [] as $pattern) {
                if (preg_match($pattern, $path)) {
                    return true;
                }
            }
            return false;
        }
    }
}

namespace Glpi\Plugin {
    final class Hooks
    {
        public const CONFIG_PAGE = 'config_page';
        public const MENU_TOADD = 'menu_toadd';
        public const SECURED_FIELDS = 'secured_fields';
        public const SECURED_CONFIGS = 'secured_configs';
        public const ITEM_ADD = 'item_add';
        public const ITEM_UPDATE = 'item_update';
        public const ITEM_PURGE = 'item_purge';
        public const PRE_ITEM_ADD = 'pre_item_add';
        public const PRE_ITEM_UPDATE = 'pre_item_update';
        public const ADD_JAVASCRIPT = 'add_javascript';
        public const ADD_CSS = 'add_css';
    }
}

namespace {

class Session
{
    public const NORMAL_MODE = 0;
    public const DEBUG_MODE = 2;

    private static bool $bypassRightChecks = false;

    /** Every right is granted in cron, and inside callAsSystem() (Session::haveRight). */
    public static function haveRight(string $module, int $right): bool
    {
        if (self::$bypassRightChecks || self::isCron()) {
            return true;
        }
        $rights = $_SESSION['glpiactiveprofile'][$module] ?? 0;
        return ((int) $rights & $right) === $right;
    }

    public static function isCron(): bool
    {
        return isset($_SESSION['glpicronuserrunning']) && PHP_SAPI === 'cli';
    }

    public static function isRightChecksDisabled(): bool
    {
        return self::$bypassRightChecks;
    }

    /**
     * Runs $fn with right checks disabled (GLPI 11 Session::callAsSystem).
     */
    public static function callAsSystem(callable $fn): mixed
    {
        $previous = self::$bypassRightChecks;
        self::$bypassRightChecks = true;
        try {
            return $fn();
        } finally {
            self::$bypassRightChecks = $previous;
        }
    }

    public static function checkRight(string $module, int $right): void
    {
        if (!self::haveRight($module, $right)) {
            throw new \Glpi\Exception\Http\AccessDeniedHttpException();
        }
    }

    public static function getLoginUserID(bool $force_human = true): int|string|false
    {
        if (isset($_SESSION['glpiID'])) {
            return (int) $_SESSION['glpiID'];
        }
        if (!$force_human && isset($_SESSION['glpicronuserrunning'])) {
            return $_SESSION['glpicronuserrunning'];
        }
        return false;
    }

    public static function getActiveEntity(): int
    {
        return (int) ($_SESSION['glpiactive_entity'] ?? 0);
    }

    /** @return list<int> */
    public static function getActiveEntities(): array
    {
        return array_map('intval', $_SESSION['glpiactiveentities'] ?? [0]);
    }

    public static function haveAccessToEntity(int $entities_id): bool
    {
        return in_array($entities_id, self::getActiveEntities(), true);
    }

    public static function getCurrentTime(): string
    {
        return $_SESSION['glpi_currenttime'] ?? gmdate('Y-m-d H:i:s');
    }

    public static function getNewCSRFToken(): string
    {
        $token = bin2hex(random_bytes(32));
        $_SESSION['glpicsrftokens'][$token] = time() + 7200;
        return $token;
    }

    /**
     * @param array<string, mixed> $data
     */
    public static function validateCSRF(array $data, bool $preserve_token = false): bool
    {
        $token = (string) ($data['_glpi_csrf_token'] ?? '');
        $ok = $token !== '' && isset($_SESSION['glpicsrftokens'][$token]);
        if ($ok && !$preserve_token) {
            unset($_SESSION['glpicsrftokens'][$token]);
        }
        return $ok;
    }

    /**
     * @param array<string, mixed> $data
     */
    public static function checkCSRF(array $data, bool $preserve_token = false): void
    {
        if (!self::validateCSRF($data, $preserve_token)) {
            throw new \Glpi\Exception\Http\AccessDeniedHttpException('CSRF');
        }
    }

    public static function addMessageAfterRedirect(string $msg, bool $check_once = false, int $message_type = INFO): void
    {
        $_SESSION['MESSAGE_AFTER_REDIRECT'][$message_type][] = $msg;
    }
}

define('INFO', 0);
define('ERROR', 1);
define('WARNING', 2);

class Html
{
    public static function header(string $title, string $url = '', string $sector = 'none', string $item = 'none', string $option = ''): void
    {
        // Like GLPI's head (templates/layout/parts/head.html.twig): the CSRF token AJAX calls send back.
        echo '<!DOCTYPE html><html><head><meta charset="utf-8"><title>' . htmlescape($title) . '</title>'
            . '<meta property="glpi:csrf_token" content="' . htmlescape(self::csrfToken()) . '"></head><body>';
    }

    /** One token per page, kept while the page's AJAX calls use it (GLPI: csrf_token(true)). */
    private static function csrfToken(): string
    {
        return Session::getNewCSRFToken();
    }

    public static function footer(): void
    {
        // Like GLPI's footer: the libraries asked with requireJs(), from /lib/<name>.js.
        foreach (array_keys($_SESSION['glpi_js_toload'] ?? []) as $name) {
            echo '<script src="/lib/' . htmlescape((string) $name) . '.js"></script>';
        }
        unset($_SESSION['glpi_js_toload']);
        echo '</body></html>';
    }

    /**
     * @param array<string, mixed> $options
     */
    public static function hidden(string $name, array $options = []): string
    {
        return '<input type="hidden" name="' . htmlescape($name) . '" value="' . htmlescape($options['value'] ?? '') . '">';
    }

    /**
     * @param array<string, mixed> $options
     */
    public static function submit(string $caption, array $options = []): string
    {
        return '<button type="submit" name="' . htmlescape($options['name'] ?? 'submit') . '">' . $caption . '</button>';
    }

    public static function closeForm(bool $display = true): string
    {
        $out = self::hidden('_glpi_csrf_token', ['value' => Session::getNewCSRFToken()]) . '</form>';
        if ($display) {
            echo $out;
        }
        return $out;
    }

    /** Records the target instead of sending a Location header. */
    public static function redirect(string $dest): void
    {
        $GLOBALS['GDMS_TEST_REDIRECT'] = $dest;
    }

    public static function requireJs(string $name): void
    {
        $_SESSION['glpi_js_toload'][$name] = true;
    }
}

class Toolbox
{
    /**
     * Appends "<date> [user@host]\n<text>" to GLPI_LOG_DIR/<name>.log (always when $force).
     */
    public static function logInFile($name, $text, $force = false, bool $output = true): bool
    {
        $user = ' [' . Session::getLoginUserID(false) . '@' . php_uname('n') . ']';
        return error_log(date('Y-m-d H:i:s') . "$user\n" . $text, 3, GLPI_LOG_DIR . '/' . $name . '.log');
    }
}

/**
 * GLPIKey: base64(nonce(24) || XChaCha20-Poly1305-IETF ciphertext), nonce as
 * associated data, 32-byte key file (glpi11-plugin-facts.md §9).
 */
class GLPIKey
{
    public static string $keyFile = '';

    public function encrypt(string $string, ?string $key = null): string
    {
        $key ??= $this->get();
        if ($key === null) {
            return '';
        }
        $nonce = random_bytes(SODIUM_CRYPTO_AEAD_XCHACHA20POLY1305_IETF_NPUBBYTES);
        $cipher = sodium_crypto_aead_xchacha20poly1305_ietf_encrypt($string, $nonce, $nonce, $key);
        return base64_encode($nonce . $cipher);
    }

    public function decrypt(?string $string, ?string $key = null): ?string
    {
        if (empty($string)) {
            return $string;
        }
        $key ??= $this->get();
        if ($key === null) {
            return $string;
        }
        $raw = base64_decode($string, true);
        $n = SODIUM_CRYPTO_AEAD_XCHACHA20POLY1305_IETF_NPUBBYTES;
        if ($raw === false || strlen($raw) <= $n) {
            trigger_error('Unable to extract nonce from string. It may not have been crypted with sodium functions.', E_USER_WARNING);
            return '';
        }
        $nonce = substr($raw, 0, $n);
        $plain = sodium_crypto_aead_xchacha20poly1305_ietf_decrypt(substr($raw, $n), $nonce, $nonce, $key);
        if ($plain === false) {
            trigger_error('Unable to decrypt string. It may have been crypted with another key.', E_USER_WARNING);
            return '';
        }
        return $plain;
    }

    public function get(): ?string
    {
        if (self::$keyFile === '' || !is_file(self::$keyFile)) {
            return null;
        }
        $key = (string) file_get_contents(self::$keyFile);
        return strlen($key) === SODIUM_CRYPTO_AEAD_XCHACHA20POLY1305_IETF_KEYBYTES ? $key : null;
    }
}

class Plugin extends CommonDBTM
{
    /** @var array<string, array<string, mixed>> */
    public static array $registeredClasses = [];

    public static function getTable($classname = null): string
    {
        return 'glpi_plugins';
    }

    /**
     * @param array<string, mixed> $attrib
     */
    public static function registerClass(string $itemtype, array $attrib = []): bool
    {
        if (!isPluginItemType($itemtype)) {
            return false;
        }
        self::$registeredClasses[$itemtype] = $attrib;
        return true;
    }

    /**
     * Calls $PLUGIN_HOOKS[$hook][plugin][get_class($item)] for every plugin (exact class match).
     */
    public static function doHook(string $hook, mixed $param = null): mixed
    {
        global $PLUGIN_HOOKS;
        if (!is_object($param)) {
            return $param;
        }
        foreach ($PLUGIN_HOOKS[$hook] ?? [] as $callbacks) {
            $cb = is_array($callbacks) ? ($callbacks[get_class($param)] ?? null) : null;
            if (is_callable($cb)) {
                $cb($param);
            }
        }
        return $param;
    }

    public static function messageIncompatible(string $type = 'core', ?string $min = null, ?string $max = null): string
    {
        return sprintf('This plugin requires %s %s - %s', $type, $min ?? '', $max ?? '');
    }
}

}

namespace Glpi\Exception\Http {
    class AccessDeniedHttpException extends \RuntimeException
    {
    }

    class BadRequestHttpException extends \RuntimeException
    {
    }

    class NotFoundHttpException extends \RuntimeException
    {
    }
}
