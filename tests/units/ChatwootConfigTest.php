<?php

declare(strict_types=1);

require_once __DIR__ . '/../support/ChatwootSim.php';

use PHPUnit\Framework\TestCase;

/**
 * The Chatwoot settings page as an administrator uses it.
 */
final class ChatwootConfigTest extends TestCase
{
    protected function setUp(): void
    {
        global $DB;
        $DB = gdms_test_reset_database();
        plugin_gdmsintegration_install();
        $_SESSION = ['glpiactiveprofile' => ['config' => READ | UPDATE], 'glpiactiveentities' => [0, 1]];
        $GLOBALS['CFG_GLPI']['url_base'] = 'https://glpi.example.com';
    }

    private function render(int $entity): string
    {
        ob_start();
        PluginGdmsintegrationChatwootconfig::getForEntity($entity)->showConfigForm();
        return (string) ob_get_clean();
    }

    public function testSecretsAreEncryptedNeverRenderedAndKeptWhenLeftEmpty(): void
    {
        $this->assertTrue(PluginGdmsintegrationChatwootconfig::saveFromForm(1, [
            'base_url' => 'https://chat.example.com/', 'account_id' => '3', 'api_token' => 'tok-SECRET-1',
            'webhook_secret' => 'wh-SECRET-2', 'sync_type' => 'contact', 'ticket_type' => '2', 'is_active' => '1',
        ]));
        global $DB;
        $row = $DB->request(['FROM' => 'glpi_plugin_gdmsintegration_chatwootconfigs', 'WHERE' => ['entities_id' => 1]])->current();
        $this->assertSame('https://chat.example.com', $row['base_url']);
        $this->assertStringNotContainsString('SECRET', $row['api_token'] . $row['webhook_secret']);
        $config = PluginGdmsintegrationChatwootconfig::getForEntity(1);
        $this->assertSame(['tok-SECRET-1', 'wh-SECRET-2'], [$config->getSecret('api_token'), $config->getSecret('webhook_secret')]);

        $html = $this->render(1);
        $this->assertStringNotContainsString('SECRET', $html);
        $this->assertStringContainsString('https://glpi.example.com/plugins/gdmsintegration/front/chatwoot.php?entities_id=1', $html);
        $this->assertStringContainsString('data-secret="api_token"', $html);
        $this->assertStringNotContainsString('gdms-webhook-warning', $html);

        PluginGdmsintegrationChatwootconfig::saveFromForm(1, ['api_token' => '', 'webhook_secret' => '', '_clear_webhook_secret' => '1']);
        $config = PluginGdmsintegrationChatwootconfig::getForEntity(1);
        $this->assertSame(['tok-SECRET-1', ''], [$config->getSecret('api_token'), $config->getSecret('webhook_secret')]);
        $this->assertStringContainsString('gdms-webhook-warning', $this->render(1), 'warning while unsigned deliveries are accepted');
        $this->assertContains('glpi_plugin_gdmsintegration_chatwootconfigs.api_token', $GLOBALS['PLUGIN_HOOKS']['secured_fields']['gdmsintegration']);
    }

    public function testInvalidInputIsRefusedWithAMessagePerFieldAndStoresNothing(): void
    {
        $this->assertFalse(PluginGdmsintegrationChatwootconfig::saveFromForm(0, [
            'base_url' => 'chat.example.com', 'account_id' => '-2', 'sync_type' => 'robot', 'ticket_type' => '9', 'is_active' => '1',
        ]));
        $this->assertTrue(PluginGdmsintegrationChatwootconfig::getForEntity(0)->isNewItem());
        $html = $this->render(0);
        $this->assertSame(5, substr_count($html, 'gdms-field-error'), 'base_url, account_id, sync_type, ticket_type, is_active');
        $this->assertStringContainsString('Enter the full http:// or https:// address of Chatwoot.', $html);
    }

    public function testTheConnectionTestGoesThroughTheExtensionAndLeavesABadge(): void
    {
        $cw = new ChatwootSim();
        PluginGdmsintegrationChatwootconfig::saveFromForm(0, ['base_url' => $cw->uri(), 'account_id' => (string) ChatwootSim::ACCOUNT, 'api_token' => ChatwootSim::TOKEN]);
        $this->assertSame(['ok' => true, 'message' => 'Connected'], PluginGdmsintegrationChatwootconfig::getForEntity(0)->testConnection());
        $this->assertStringContainsString('bg-success ms-2 gdms-chatwoot-test', $this->render(0));

        PluginGdmsintegrationChatwootconfig::saveFromForm(0, ['api_token' => 'revoked-token']);
        $r = PluginGdmsintegrationChatwootconfig::getForEntity(0)->testConnection();
        $this->assertFalse($r['ok']);
        $this->assertStringStartsWith('Failed: HTTP 401', $r['message']);
        $this->assertStringContainsString('bg-danger ms-2 gdms-chatwoot-test', $this->render(0));
        $this->assertSame([401], array_slice(array_column($cw->received(), 'status'), -1));
        $this->assertStringNotContainsString('revoked-token', (string) file_get_contents(GLPI_LOG_DIR . '/gdmsintegration.log'));
    }

    public function testThePageShowsWhatWaitsForChatwoot(): void
    {
        global $DB;
        PluginGdmsintegrationChatwootconfig::saveFromForm(0, ['base_url' => 'https://chat.example.com', 'account_id' => '3']);
        foreach ([['pending', ''], ['pending', ''], ['failed', 'HTTP 404 account or conversation not found']] as $i => [$state, $error]) {
            $DB->insert(PluginGdmsintegrationChatwootqueue::TABLE, ['entities_id' => 0, 'kind' => 'message', 'itemtype' => 'ITILFollowup', 'items_id' => $i + 1, 'state' => $state, 'last_error' => $error]);
        }
        $html = $this->render(0);
        $this->assertStringContainsString('Waiting: 2', $html);
        $this->assertStringContainsString('Given up: 1', $html);
        $this->assertStringContainsString('Last error: HTTP 404 account or conversation not found', $html);
    }

    public function testTheMenuAndTheStatelessEndpoint(): void
    {
        $menu = PluginGdmsintegrationMenu::getMenuContent();
        $this->assertSame('/plugins/gdmsintegration/front/chatwootconfig.php', $menu['options']['chatwoot']['page']);
        $this->assertContains('#^/front/chatwoot\.php$#', PluginGdmsintegrationMenu::STATELESS_SCRIPTS);
        $r = PluginGdmsintegrationChatwoot::handle('GET', [], [], '');
        $this->assertSame([200, 'chatwoot'], [$r['status'], $r['body']['endpoint']]);
    }
}
