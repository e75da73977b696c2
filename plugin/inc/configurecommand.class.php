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
 * `php bin/console plugins:gdmsintegration:configure --entity=0 < settings.json`
 *
 * Sets an entity's configuration from a JSON object of configuration form
 * fields (the same validation as the form; secrets read from standard input,
 * never from the command line where `ps` would show them). For automated
 * deployments and the acceptance tests.
 */
class PluginGdmsintegrationConfigureCommand extends AbstractCommand
{
    protected function configure(): void
    {
        parent::configure();
        $this->setName('plugins:gdmsintegration:configure');
        $this->setDescription('Set the GDMS Integration configuration of an entity from a JSON object read on standard input');
        $this->addOption('entity', null, InputOption::VALUE_REQUIRED, 'Entity id', '0');
    }

    protected function execute(InputInterface $input, OutputInterface $output): int
    {
        $form = json_decode((string) stream_get_contents(STDIN), true);
        if (!is_array($form)) {
            $output->writeln('<error>Standard input must be a JSON object of configuration fields.</error>');
            return 2;
        }
        $entities_id = (int) $input->getOption('entity');
        if (!PluginGdmsintegrationConfig::saveFromForm($entities_id, $form)) {
            foreach ($_SESSION['plugin_gdmsintegration_config_form']['errors'] ?? [] as $field => $message) {
                $output->writeln(sprintf('<error>%s: %s</error>', $field, $message));
            }
            return 1;
        }
        $output->writeln(sprintf('Configuration of entity %d saved.', $entities_id));
        return 0;
    }
}
