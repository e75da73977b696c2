<?php

declare(strict_types=1);

require_once __DIR__ . '/glpi/bootstrap.php';
require_once __DIR__ . '/support/SnapshotBuilder.php';
require_once __DIR__ . '/support/Simulator.php';
