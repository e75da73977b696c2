<?php

declare(strict_types=1);

use Glpi\Http\Firewall;
use Glpi\Http\SessionManager;
use PHPUnit\Framework\TestCase;

/**
 * What the bootstrap did in GLPI's startup order (prerequisites, boot, then
 * load + init, with inc/ classes autoloadable only after the load).
 */
final class BootTest extends TestCase
{
    public function testPrerequisitesAndBootRunBeforeThePluginClassesAreAutoloadable(): void
    {
        $this->assertTrue($GLOBALS['GDMS_BOOT_PREREQUISITES'], (string) $GLOBALS['GDMS_BOOT_PREREQUISITES_OUTPUT']);
    }

    public function testTheWebhookIsStatelessAndExemptFromTheFirewallOnlyForItsOwnPath(): void
    {
        $this->assertTrue(SessionManager::isPluginPathStateless('gdmsintegration', '/front/webhook.php'));
        $this->assertFalse(SessionManager::isPluginPathStateless('gdmsintegration', '/front/config.php'));
        $this->assertFalse(SessionManager::isPluginPathStateless('gdmsintegration', '/front/webhook.php.bak'));
        $strategies = Firewall::$pluginStrategies['gdmsintegration'];
        $this->assertSame(Firewall::STRATEGY_NO_CHECK, $strategies['#^/front/webhook\.php$#'] ?? null);
        foreach (array_keys($strategies) as $pattern) {
            $this->assertTrue(SessionManager::isPluginPathStateless('gdmsintegration', stripslashes(trim($pattern, '#^$'))), "$pattern is exempt from the firewall only because it is stateless");
            $this->assertStringStartsWith('#^/front/', $pattern);
            $this->assertStringEndsWith('\.php$#', $pattern, 'one exact script per pattern, nothing broader');
        }
    }

    public function testInitRegistersTheProfileTabAndSecuredFields(): void
    {
        global $PLUGIN_HOOKS;
        $this->assertSame(['addtabon' => ['Profile']], Plugin::$registeredClasses['PluginGdmsintegrationProfile']);
        $this->assertContains('glpi_plugin_gdmsintegration_configs.gwn_secret', $PLUGIN_HOOKS['secured_fields']['gdmsintegration']);
    }
}
