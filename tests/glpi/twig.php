<?php

/**
 * GLPI 11 stand-in: TemplateRenderer over real Twig (Debian's php-twig),
 * with the `@<plugin>` namespace, GLPI's gettext functions, csrf_token(),
 * and a reduced copy of GLPI's form macros (tests/glpi/templates).
 */

declare(strict_types=1);

namespace Glpi\Application\View;

require_once '/usr/share/php/Twig/autoload.php';

use Twig\Environment;
use Twig\Loader\FilesystemLoader;
use Twig\TwigFunction;

final class TemplateRenderer
{
    private static ?self $instance = null;
    private Environment $env;

    private function __construct()
    {
        $loader = new FilesystemLoader(__DIR__ . '/templates');
        $loader->addPath(GDMS_PLUGIN_DIR . '/templates', 'gdmsintegration');
        $this->env = new Environment($loader, ['strict_variables' => false, 'autoescape' => 'html']);
        $this->env->addFunction(new TwigFunction('__', '__'));
        $this->env->addFunction(new TwigFunction('_n', '_n'));
        $this->env->addFunction(new TwigFunction('_x', '_x'));
        $this->env->addFunction(new TwigFunction('csrf_token', [\Session::class, 'getNewCSRFToken']));
        $this->env->addFunction(new TwigFunction('path', static fn(string $p): string => $p));
    }

    public static function getInstance(): self
    {
        return self::$instance ??= new self();
    }

    /**
     * @param array<string, mixed> $variables
     */
    public function render(string $template, array $variables = []): string
    {
        return $this->env->render($template, $variables);
    }

    /**
     * @param array<string, mixed> $variables
     */
    public function display(string $template, array $variables = []): void
    {
        echo $this->render($template, $variables);
    }
}
