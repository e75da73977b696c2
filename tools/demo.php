<?php

/**
 * make demo: what the plugin needs to run, read from the freshly built
 * extension loaded into this PHP.
 */

declare(strict_types=1);

if (!extension_loaded('gdms')) {
    fwrite(STDERR, "the gdms extension is not loaded: run through `make demo`\n");
    exit(1);
}
$info = json_decode(gdms_info(), true, 512, JSON_THROW_ON_ERROR);
$setup = (string) file_get_contents(dirname(__DIR__) . '/plugin/setup.php');
preg_match("/PLUGIN_GDMSINTEGRATION_NATIVE_CONTRACT', (\\d+)/", $setup, $m);
$wanted = (int) ($m[1] ?? 0);

printf("GDMS Integration demo\n");
printf("  PHP                 %s (%s)\n", PHP_VERSION, PHP_SAPI);
printf("  extension gdms      %s\n", $info['version']);
printf("  contract version    %d (plugin needs %d): %s\n", $info['contract'], $wanted, $info['contract'] === $wanted ? 'OK' : 'MISMATCH');
printf("  mysqli / sodium     %s / %s\n", extension_loaded('mysqli') ? 'yes' : 'no', extension_loaded('sodium') ? 'yes' : 'no');
exit($info['contract'] === $wanted ? 0 : 1);
