<?php

declare(strict_types=1);

use PHPUnit\Framework\TestCase;

final class LogTest extends TestCase
{
    private string $file;

    protected function setUp(): void
    {
        $this->file = GLPI_LOG_DIR . '/gdmsintegration.log';
        @unlink($this->file);
        PluginGdmsintegrationLog::setVerbose(false);
    }

    public function testSecretsNeverReachTheFileInEitherTier(): void
    {
        PluginGdmsintegrationLog::addSecret('S3cret!Pass');
        PluginGdmsintegrationLog::setVerbose(true);
        PluginGdmsintegrationLog::info('GDMS token obtained OK for noc.admin using S3cret!Pass');
        PluginGdmsintegrationLog::debug('GET https://www.gwn.cloud/oauth/token?grant_type=client_credentials&client_id=100200&client_secret=Zx9Yw8Vu7Ts6Rq5P');
        PluginGdmsintegrationLog::debug('{"access_token":"5f0c9a2e-1b7d","refresh_token":"0b7e4c1a","expires_in":3599}');
        PluginGdmsintegrationLog::debug('/oapi/v1.0.0/ap/list?access_token=8c3e51f2&appID=100200&timestamp=1&signature=5aa3279d');

        $log = (string) file_get_contents($this->file);
        foreach (['S3cret!Pass', 'Zx9Yw8Vu7Ts6Rq5P', '5f0c9a2e-1b7d', '0b7e4c1a', '8c3e51f2', '5aa3279d'] as $secret) {
            $this->assertStringNotContainsString($secret, $log);
        }
        $this->assertStringContainsString('client_id=100200', $log, 'non-secret values stay readable');
        $this->assertStringContainsString('"expires_in":3599', $log);
        $this->assertSame(3, substr_count($log, '[verbose]'), 'the three verbose lines were written, redacted');
    }

    public function testVerboseLinesAreOnlyWrittenInVerboseMode(): void
    {
        PluginGdmsintegrationLog::debug('request body {"pageNum":1}');
        PluginGdmsintegrationLog::info('GWN API returned 3 device(s)');
        $log = (string) file_get_contents($this->file);
        $this->assertStringNotContainsString('pageNum', $log);
        $this->assertStringContainsString('GWN API returned 3 device(s)', $log);
    }
}
