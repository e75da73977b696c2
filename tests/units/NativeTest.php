<?php

declare(strict_types=1);

use PHPUnit\Framework\TestCase;

/**
 * The extension as PHP sees it, and the plugin's prerequisite check with and
 * without it (the latter in a PHP process started without the extension).
 */
final class NativeTest extends TestCase
{
    public function testTheExtensionIsLoadedAndSpeaksThePluginsContract(): void
    {
        $this->assertTrue(extension_loaded('gdms'), 'run the tests with -d extension=.../libgdms.so (make test does)');
        $info = PluginGdmsintegrationNative::info();
        $this->assertSame(PLUGIN_GDMSINTEGRATION_NATIVE_CONTRACT, $info['contract']);
        $this->assertSame(gdms_version(), $info['version']);
        $this->assertMatchesRegularExpression('/^\d+\.\d+\.\d+/', $info['version']);
    }

    public function testPrerequisitesPassWithTheExtension(): void
    {
        ob_start();
        $ok = plugin_gdmsintegration_check_prerequisites();
        $out = ob_get_clean();
        $this->assertTrue($ok);
        $this->assertSame('', $out);
    }

    public function testAContractMismatchSaysWhichVersionWasFoundAndWhatToInstall(): void
    {
        $problem = PluginGdmsintegrationNative::prerequisiteProblem(PLUGIN_GDMSINTEGRATION_NATIVE_CONTRACT + 1);
        $this->assertNotNull($problem);
        $this->assertStringContainsString('version ' . gdms_version(), $problem);
        $this->assertStringContainsString('contract version ' . gdms_contract_version(), $problem);
        $this->assertStringContainsString('needs contract version ' . (PLUGIN_GDMSINTEGRATION_NATIVE_CONTRACT + 1), $problem);
        $this->assertStringContainsString('gdms.so', $problem);
    }

    public function testPrerequisitesFailWithAnActionableMessageWithoutTheExtension(): void
    {
        $script = sprintf(
            'require %s; ob_start(); $ok = plugin_gdmsintegration_check_prerequisites(); $msg = ob_get_clean(); echo json_encode(["ok" => $ok, "msg" => $msg]);',
            var_export(dirname(__DIR__) . '/bootstrap.php', true)
        );
        // -n: no php.ini, so no extension=gdms from a system-wide install either.
        $cmd = sprintf('%s -n -d extension=mysqlnd -d extension=mysqli %s 2>&1', escapeshellarg(PHP_BINARY), '-r ' . escapeshellarg($script));
        exec($cmd, $output, $code);
        $result = json_decode(implode("\n", $output), true);
        $this->assertIsArray($result, 'child PHP output: ' . implode("\n", $output));
        $this->assertFalse($result['ok']);
        $this->assertStringContainsString('"gdms" is not loaded', $result['msg']);
        $this->assertStringContainsString('extension=gdms.so', $result['msg']);
        $this->assertStringContainsString('contract version ' . PLUGIN_GDMSINTEGRATION_NATIVE_CONTRACT, $result['msg']);
    }

    public function testWebhookSignatureIsCheckedByTheExtension(): void
    {
        // Spec test vector W-H1.
        $body = '{"mac":"c0:74:ad:12:34:56","status":"offline"}';
        $header = 'sha256=a24131fdacbfbcc4259ed7851ca330e13b276d394601191eafb0fd05100f066a';
        $this->assertTrue(PluginGdmsintegrationNative::verifyWebhookSignature('whsec-demo-123', $body, $header));
        $this->assertFalse(PluginGdmsintegrationNative::verifyWebhookSignature('whsec-demo-123', $body . ' ', $header));
        $this->assertFalse(PluginGdmsintegrationNative::verifyWebhookSignature('other', $body, $header));
    }
}
