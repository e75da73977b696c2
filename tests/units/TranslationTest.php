<?php

declare(strict_types=1);

use PHPUnit\Framework\TestCase;

require_once dirname(__DIR__, 2) . '/tools/i18n.php';

/**
 * Every user-visible string of the plugin is in the template and translated
 * in es_MX, fr_FR and de_DE, and the compiled .mo files are what __() reads.
 */
final class TranslationTest extends TestCase
{
    protected function tearDown(): void
    {
        GlpiStandIn\Translations::setLanguage('en_GB');
    }

    public function testTheTemplateListsEveryStringOfTheSources(): void
    {
        $pot = (string) file_get_contents(dirname(__DIR__, 2) . '/locales/gdmsintegration.pot');
        preg_match_all('/^(?:msgctxt "((?:[^"\\\\]|\\\\.)*)"\n)?msgid "((?:[^"\\\\]|\\\\.)*)"$/m', $pot, $m, PREG_SET_ORDER);
        $in_pot = [];
        foreach ($m as $entry) {
            $id = stripcslashes($entry[2]);
            if ($id !== '') {
                $in_pot[] = ($entry[1] !== '' ? stripcslashes($entry[1]) . "\004" : '') . $id;
            }
        }
        sort($in_pot);
        $in_sources = array_keys(gdms_extract_strings(GDMS_PLUGIN_DIR));
        sort($in_sources);
        $this->assertSame($in_sources, $in_pot, 'run `make pot` and translate the new strings');
    }

    /**
     * @return iterable<string, array{string}>
     */
    public static function locales(): iterable
    {
        foreach (GDMS_LOCALES as $locale) {
            yield $locale => [$locale];
        }
    }

    /**
     * @dataProvider locales
     */
    public function testEveryStringIsTranslated(string $locale): void
    {
        $mo = GDMS_PLUGIN_DIR . "/locales/$locale.mo";
        $this->assertFileExists($mo, 'make locales builds the .mo files');
        $catalog = GlpiStandIn\Translations::parseMo($mo);
        $missing = [];
        foreach (gdms_extract_strings(GDMS_PLUGIN_DIR) as $key => $s) {
            $forms = $catalog[$key] ?? [];
            if (($forms[0] ?? '') === '' || ($s['plural'] !== null && ($forms[1] ?? '') === '')) {
                $missing[] = $key;
            }
        }
        $this->assertSame([], $missing, "untranslated in $locale");
    }

    /**
     * @dataProvider locales
     */
    public function testPlaceholdersSurviveTranslation(string $locale): void
    {
        $catalog = GlpiStandIn\Translations::parseMo(GDMS_PLUGIN_DIR . "/locales/$locale.mo");
        foreach ($catalog as $msgid => $forms) {
            if ($msgid === '') {
                continue;
            }
            preg_match_all('/%(\d+\$)?[sd]/', explode("\004", $msgid)[1] ?? $msgid, $want);
            foreach ($forms as $form) {
                preg_match_all('/%(\d+\$)?[sd]/', $form, $got);
                $a = $want[0];
                $b = $got[0];
                sort($a);
                sort($b);
                $this->assertSame($a, $b, "placeholders of '$msgid' in $locale");
            }
        }
    }

    public function testGettextReturnsTheSessionLanguage(): void
    {
        GlpiStandIn\Translations::setLanguage('de_DE');
        $this->assertSame('GDMS-Integration', __('GDMS Integration', 'gdmsintegration'));
        GlpiStandIn\Translations::setLanguage('es_MX');
        $this->assertSame('Integración GDMS', PluginGdmsintegrationMenu::getTypeName());
    }
}
