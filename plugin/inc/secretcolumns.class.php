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
 * Reading the GLPIKey-encrypted columns of a settings row. The using class
 * lists them in a SECRET_COLUMNS constant. A secret read in clear is
 * registered with the logger, so it is redacted wherever it might appear.
 */
trait PluginGdmsintegrationSecretColumns
{
    /**
     * A stored secret in clear, for the extension; '' when unset. Never for the browser or a log.
     */
    public function getSecret(string $column): string
    {
        if (!in_array($column, self::SECRET_COLUMNS, true)) {
            throw new InvalidArgumentException("$column is not a secret column");
        }
        $cipher = (string) ($this->fields[$column] ?? '');
        $plain = $cipher === '' ? '' : (string) (new GLPIKey())->decrypt($cipher);
        PluginGdmsintegrationLog::addSecret($plain);
        return $plain;
    }

    public function hasSecret(string $column): bool
    {
        return (string) ($this->fields[$column] ?? '') !== '';
    }
}
