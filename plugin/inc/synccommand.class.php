<?php

/**
 * -------------------------------------------------------------------------
 * GDMS Integration plugin for GLPI
 * -------------------------------------------------------------------------
 * @license   GPL-3.0-or-later https://www.gnu.org/licenses/gpl-3.0.html
 * -------------------------------------------------------------------------
 */

declare(strict_types=1);

use Glpi\Console\AbstractCommand;
use Symfony\Component\Console\Input\InputInterface;
use Symfony\Component\Console\Input\InputOption;
use Symfony\Component\Console\Output\OutputInterface;

/**
 * `php bin/console plugins:gdmsintegration:sync --entity=0 [--dry-run]`
 *
 * One sync cycle of an entity now, or with --dry-run the plan it would
 * apply (assets to create and fill with match reasons, incidents to open and
 * resolve, purges), changing nothing.
 */
class PluginGdmsintegrationSyncCommand extends AbstractCommand
{
    protected function configure(): void
    {
        parent::configure();
        $this->setName('plugins:gdmsintegration:sync');
        $this->setDescription('Synchronise one entity with the Grandstream clouds now, or preview the changes with --dry-run');
        $this->addOption('entity', null, InputOption::VALUE_REQUIRED, 'Entity id', '0');
        $this->addOption('dry-run', null, InputOption::VALUE_NONE, 'Fetch and plan, print the plan, apply nothing');
    }

    protected function execute(InputInterface $input, OutputInterface $output): int
    {
        $config = PluginGdmsintegrationConfig::getForEntity((int) $input->getOption('entity'));
        if ($config->isNewItem()) {
            $output->writeln('<error>This entity has no GDMS Integration configuration.</error>');
            return 1;
        }
        if ($input->getOption('dry-run')) {
            $output->writeln(PluginGdmsintegrationSync::preview($config));
            return 0;
        }
        // Like the automatic action: tickets are assigned whatever the console user's rights.
        $result = Session::callAsSystem(static fn() => PluginGdmsintegrationSync::syncEntity($config, 'console'));
        if ($result === null) {
            $output->writeln('Nothing done (no credentials, or another sync of this entity is running): see files/_log/gdmsintegration.log.');
            return 1;
        }
        $output->writeln(PluginGdmsintegrationNative::planSummary($result['plan']));
        return 0;
    }
}
