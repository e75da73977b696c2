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
 * files/_log/gdmsintegration.log, in two tiers.
 *
 * The minimal tier is always written; the verbose tier only when GLPI runs in
 * debug mode or the entity's debug toggle is on. Both tiers go through
 * redact(): every secret value registered with addSecret() and every
 * credential-looking key=value pair is replaced before the line is written.
 */
final class PluginGdmsintegrationLog
{
    public const FILE = 'gdmsintegration';

    /** Query/body keys whose values are never written. */
    private const SECRET_KEYS = [
        'access_token', 'refresh_token', 'token', 'authorization', 'client_secret',
        'secretkey', 'secret', 'password', 'signature', 'api_access_token',
    ];

    /** @var array<string, true> */
    private static array $secrets = [];

    private static bool $verbose = false;

    /**
     * Registers a value that must never appear in the log (a password, a token...).
     */
    public static function addSecret(?string $value): void
    {
        if ($value !== null && strlen($value) >= 4) {
            self::$secrets[$value] = true;
        }
    }

    public static function setVerbose(bool $verbose): void
    {
        self::$verbose = $verbose;
    }

    public static function isVerbose(): bool
    {
        return self::$verbose
            || (isset($_SESSION['glpi_use_mode']) && (int) $_SESSION['glpi_use_mode'] === Session::DEBUG_MODE);
    }

    /** A minimal-tier line: always written. */
    public static function info(string $message): void
    {
        Toolbox::logInFile(self::FILE, self::redact($message) . "\n", true);
    }

    /** A verbose-tier line: URLs, bodies, responses. */
    public static function debug(string $message): void
    {
        if (self::isVerbose()) {
            Toolbox::logInFile(self::FILE, '[verbose] ' . self::redact($message) . "\n", true);
        }
    }

    /**
     * The text with every registered secret and every credential-looking
     * `key=value` / `"key":"value"` pair replaced by [REDACTED].
     */
    public static function redact(string $text): string
    {
        if (self::$secrets !== []) {
            $values = array_keys(self::$secrets);
            // Longest first, so a secret containing another is replaced whole.
            usort($values, static fn(string $a, string $b): int => strlen($b) <=> strlen($a));
            $text = str_replace($values, '[REDACTED]', $text);
        }
        $keys = implode('|', array_map(static fn(string $k): string => preg_quote($k, '/'), self::SECRET_KEYS));
        $text = preg_replace('/\b(' . $keys . ')=([^&\s"]+)/i', '$1=[REDACTED]', $text) ?? $text;
        $text = preg_replace('/"(' . $keys . ')"\s*:\s*"[^"]*"/i', '"$1":"[REDACTED]"', $text) ?? $text;
        return $text;
    }
}
