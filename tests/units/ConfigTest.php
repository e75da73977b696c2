<?php

declare(strict_types=1);

use PHPUnit\Framework\TestCase;

/**
 * The per-entity configuration as an administrator uses it: the form, what is
 * stored, what is shown back.
 */
final class ConfigTest extends TestCase
{
    private const FORM = [
        'gdms_region' => 'eu', 'gdms_username' => 'noc.admin', 'gdms_password' => 'S3cret!Pass',
        'gdms_client_id' => '10245', 'gdms_client_secret' => 'a1B2c3D4e5F6g7H8',
        'gwn_app_id' => '100200', 'gwn_secret' => 'Zx9Yw8Vu7Ts6Rq5P', 'webhook_secret' => 'whsec-demo-123',
        'refresh_interval' => '120', 'availability_days' => '90', 'is_active' => '1', 'show_topology' => '0',
        'tickets_phone' => '0', 'users_id_requester' => '7', 'wan_debounce_seconds' => '0', 'update' => '1',
    ];

    protected function setUp(): void
    {
        global $DB;
        $DB = gdms_test_reset_database();
        plugin_gdmsintegration_install();
        $_SESSION = ['glpiactiveprofile' => ['config' => READ | UPDATE], 'glpiactiveentities' => [0, 1]];
        $GLOBALS['CFG_GLPI']['url_base'] = 'https://glpi.example.com';
    }

    public function testANewEntityShowsTheDefaults(): void
    {
        $config = PluginGdmsintegrationConfig::getForEntity(3);
        $this->assertTrue($config->isNewItem());
        $this->assertSame('300', (string) $config->fields['refresh_interval']);
        $this->assertSame('60', (string) $config->fields['availability_days']);
        $this->assertSame('us', $config->fields['gdms_region']);
        $this->assertSame('1', (string) $config->fields['tickets_router']);
    }

    public function testSecretsAreStoredEncryptedAndNeverRenderedBack(): void
    {
        $this->assertTrue(PluginGdmsintegrationConfig::saveFromForm(1, self::FORM));

        global $DB;
        $row = $DB->request(['FROM' => 'glpi_plugin_gdmsintegration_configs', 'WHERE' => ['entities_id' => 1]])->current();
        foreach (['gdms_password' => 'S3cret!Pass', 'gdms_client_secret' => 'a1B2c3D4e5F6g7H8', 'gwn_secret' => 'Zx9Yw8Vu7Ts6Rq5P', 'webhook_secret' => 'whsec-demo-123'] as $col => $plain) {
            $this->assertNotSame('', $row[$col]);
            $this->assertStringNotContainsString($plain, $row[$col], "$col stored in clear");
            $this->assertSame($plain, (new GLPIKey())->decrypt($row[$col]));
        }
        $this->assertSame('eu', $row['gdms_region']);
        $this->assertSame('120', (string) $row['refresh_interval']);
        $this->assertSame('0', (string) $row['tickets_phone']);

        $html = $this->render(1);
        foreach (['S3cret!Pass', 'a1B2c3D4e5F6g7H8', 'Zx9Yw8Vu7Ts6Rq5P', 'whsec-demo-123', $row['gwn_secret']] as $secret) {
            $this->assertStringNotContainsString($secret, $html);
        }
        $this->assertSame(4, substr_count($html, 'gdms-secret-set'), 'each typed secret shows as set');
        $this->assertStringContainsString('value="noc.admin"', $html);
        $this->assertStringContainsString('https://glpi.example.com/plugins/gdmsintegration/front/webhook.php?entities_id=1', $html);
        $this->assertStringNotContainsString('gdms-webhook-warning', $html);
        $this->assertStringContainsString('name="_glpi_csrf_token"', $html);
    }

    public function testAnEmptySecretKeepsTheStoredOneAndClearRemovesIt(): void
    {
        PluginGdmsintegrationConfig::saveFromForm(0, self::FORM);
        $this->assertTrue(PluginGdmsintegrationConfig::saveFromForm(0, ['gdms_password' => '', 'gwn_secret' => '', '_clear_webhook_secret' => '1', 'gwn_app_id' => '100200']));

        $config = PluginGdmsintegrationConfig::getForEntity(0);
        $this->assertSame('S3cret!Pass', $config->getSecret('gdms_password'));
        $this->assertSame('Zx9Yw8Vu7Ts6Rq5P', $config->getSecret('gwn_secret'));
        $this->assertSame('', $config->getSecret('webhook_secret'));
        $this->assertStringContainsString('gdms-webhook-warning', $this->render(0), 'warning while the webhook secret is empty');
    }

    public function testNewCredentialsDropTheTokensObtainedWithTheOldOnes(): void
    {
        PluginGdmsintegrationConfig::saveFromForm(0, self::FORM);
        $config = PluginGdmsintegrationConfig::getForEntity(0);
        $key = new GLPIKey();
        $config->update(['id' => $config->getID(), 'gdms_token' => $key->encrypt('{"t":1}'), 'gwn_token' => $key->encrypt('{"t":2}')]);

        PluginGdmsintegrationConfig::saveFromForm(0, ['gwn_secret' => 'NewSecret1234', 'refresh_interval' => '300']);

        $config = PluginGdmsintegrationConfig::getForEntity(0);
        $this->assertSame('', $config->getSecret('gwn_token'));
        $this->assertSame('{"t":1}', $config->getSecret('gdms_token'), 'the GDMS token stays valid');
    }

    public function testInvalidInputIsRefusedWithTheErrorNextToItsField(): void
    {
        PluginGdmsintegrationConfig::saveFromForm(0, self::FORM);
        $bad = ['refresh_interval' => '10', 'availability_days' => '400', 'gdms_region' => 'mars', 'gdms_username' => 'typed.again', 'gdms_password' => 'NotStored!'] + self::FORM;

        $this->assertFalse(PluginGdmsintegrationConfig::saveFromForm(0, $bad));

        $config = PluginGdmsintegrationConfig::getForEntity(0);
        $this->assertSame('120', (string) $config->fields['refresh_interval'], 'nothing saved');
        $this->assertSame('S3cret!Pass', $config->getSecret('gdms_password'));
        $html = $this->render(0);
        $this->assertMatchesRegularExpression('/data-field="refresh_interval".*?between 30 and 86400 seconds/s', $html);
        $this->assertMatchesRegularExpression('/data-field="availability_days".*?between 7 and 365 days/s', $html);
        $this->assertMatchesRegularExpression('/data-field="gdms_region".*?US or the EU region/s', $html);
        $this->assertStringContainsString('value="typed.again"', $html, 'what the admin typed is kept');
        $this->assertStringNotContainsString('NotStored!', $html, 'but never a secret');
        $this->assertStringNotContainsString('gdms-field-error', $this->render(0), 'errors are shown once');
    }

    public function testEntitiesAreConfiguredSeparately(): void
    {
        PluginGdmsintegrationConfig::saveFromForm(0, self::FORM);
        PluginGdmsintegrationConfig::saveFromForm(1, ['gwn_app_id' => '42', 'gwn_secret' => 'OtherSecret99'] + array_diff_key(self::FORM, ['gwn_app_id' => 1, 'gwn_secret' => 1]));
        $this->assertSame('100200', PluginGdmsintegrationConfig::getForEntity(0)->fields['gwn_app_id']);
        $this->assertSame('42', PluginGdmsintegrationConfig::getForEntity(1)->fields['gwn_app_id']);
        $this->assertSame(['uc' => true, 'gwn' => true], PluginGdmsintegrationConfig::getForEntity(1)->configuredClouds());
        $this->assertSame(['uc' => false, 'gwn' => false], PluginGdmsintegrationConfig::getForEntity(2)->configuredClouds());
    }

    private function render(int $entity): string
    {
        ob_start();
        PluginGdmsintegrationConfig::getForEntity($entity)->showConfigForm();
        return (string) ob_get_clean();
    }

    public function testSavingTestsBothCloudsAndShowsTheExactReason(): void
    {
        $sim = new Simulator(['--networks', '1', '--devices', '4']);
        $form = $sim->configForm();
        $form['gwn_secret'] = 'NotTheSecret';
        $this->assertTrue(PluginGdmsintegrationConfig::saveFromForm(0, $form));
        $html = $this->render(0);
        $this->assertMatchesRegularExpression('/gdms-probe" data-status="ok"/', $html, 'GDMS UC answered');
        $this->assertMatchesRegularExpression('/gdms-probe" data-status="token_rejected"/', $html, 'GWN refused the secret');
        $this->assertStringContainsString('gdms-probe-reason', $html);
        $this->assertStringNotContainsString('NotTheSecret', $html);
        $this->assertStringNotContainsString('gdms-probe', $this->render(0), 'the result is shown once, after the save');
    }
}
