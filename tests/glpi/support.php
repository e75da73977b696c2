<?php

/**
 * GLPI 11 stand-in: helpers with no GLPI counterpart (translations, plurals).
 */

declare(strict_types=1);

namespace GlpiStandIn;

final class Inflector
{
    /** GLPI's getPlural() rules that matter for the table names used here. */
    public static function plural(string $word): string
    {
        return match (true) {
            str_ends_with($word, 'y') && !str_ends_with($word, 'ey') => substr($word, 0, -1) . 'ies',
            str_ends_with($word, 's'), str_ends_with($word, 'x'), str_ends_with($word, 'ch') => $word . 'es',
            default => $word . 's',
        };
    }
}

/**
 * Reads the plugin's compiled .mo files (plugin/locales/<lang>.mo), as GLPI's
 * Plugin::loadLang() does, so tests see the real translations.
 */
final class Translations
{
    public static string $language = 'en_GB';

    /** @var array<string, array<string, array<int, string>>> domain => msgid => forms */
    private static array $catalogs = [];

    /** @var array<string, string> domain => locales dir */
    private static array $dirs = [];

    public static function registerDomain(string $domain, string $dir): void
    {
        self::$dirs[$domain] = $dir;
        unset(self::$catalogs[$domain]);
    }

    public static function setLanguage(string $language): void
    {
        self::$language = $language;
        self::$catalogs = [];
    }

    public static function translate(string $msgid, string $domain, ?string $fallback = null): string
    {
        $forms = self::catalog($domain)[$msgid] ?? null;
        return ($forms[0] ?? '') !== '' ? $forms[0] : ($fallback ?? $msgid);
    }

    public static function translatePlural(string $singular, string $plural, int $nb, string $domain): string
    {
        $forms = self::catalog($domain)[$singular] ?? null;
        $index = $nb === 1 ? 0 : 1;
        if (self::$language === 'fr_FR') {
            $index = $nb > 1 ? 1 : 0;
        }
        $text = $forms[$index] ?? '';
        return $text !== '' ? $text : ($nb === 1 ? $singular : $plural);
    }

    /**
     * @return array<string, array<int, string>>
     */
    private static function catalog(string $domain): array
    {
        if (isset(self::$catalogs[$domain])) {
            return self::$catalogs[$domain];
        }
        $file = isset(self::$dirs[$domain]) ? self::$dirs[$domain] . '/' . self::$language . '.mo' : '';
        return self::$catalogs[$domain] = ($file !== '' && is_file($file)) ? self::parseMo($file) : [];
    }

    /**
     * @return array<string, array<int, string>>
     */
    public static function parseMo(string $file): array
    {
        $data = (string) file_get_contents($file);
        if (strlen($data) < 28) {
            return [];
        }
        $magic = unpack('V', substr($data, 0, 4))[1];
        $fmt = $magic === 0x950412de ? 'V' : 'N';
        [, $count, $orig, $trans] = array_values(unpack($fmt . '4', substr($data, 4, 16)));
        $out = [];
        for ($i = 0; $i < $count; $i++) {
            [$olen, $ooff] = array_values(unpack($fmt . '2', substr($data, $orig + $i * 8, 8)));
            [$tlen, $toff] = array_values(unpack($fmt . '2', substr($data, $trans + $i * 8, 8)));
            $msgid = explode("\0", substr($data, $ooff, $olen))[0];
            $out[$msgid] = explode("\0", substr($data, $toff, $tlen));
        }
        return $out;
    }
}
