<?php

/**
 * -------------------------------------------------------------------------
 * GDMS Integration plugin for GLPI
 * -------------------------------------------------------------------------
 * @license   GPL-3.0-or-later https://www.gnu.org/licenses/gpl-3.0.html
 * -------------------------------------------------------------------------
 */

declare(strict_types=1);

use Glpi\Application\View\TemplateRenderer;

/**
 * Pages of Tools > GDMS Integration > Webhooks: the list (with search and
 * the delivery settings), the form of one subscription (secret shown once,
 * operator buttons, delivery log with filters and replay), and the POST
 * actions of both. The front scripts check the right and call one method.
 */
final class PluginGdmsintegrationSubscriptionui
{
    public const LIST_URL = '/plugins/gdmsintegration/front/subscription.php';
    public const FORM_URL = '/plugins/gdmsintegration/front/subscription.form.php';

    /**
     * The list, filtered by `q` (name or URL contains) and `event_type`.
     *
     * @param array<string, mixed> $get
     */
    public static function showList(array $get): void
    {
        global $DB;
        $q = trim((string) ($get['q'] ?? ''));
        $type = (string) ($get['event_type'] ?? '');
        $where = [];
        if ($q !== '') {
            $where[] = ['OR' => [['name' => ['LIKE', '%' . $q . '%']], ['url' => ['LIKE', '%' . $q . '%']]]];
        }
        if (isset(PluginGdmsintegrationSubscription::eventTypes()[$type])) {
            $where['event_type'] = $type;
        }
        $rows = [];
        foreach ($DB->request(['FROM' => PluginGdmsintegrationSubscription::TABLE, 'WHERE' => $where, 'ORDER' => 'name']) as $r) {
            $rows[] = [
                'id'         => (int) $r['id'],
                'name'       => (string) $r['name'],
                'url'        => (string) $r['url'],
                'event_type' => PluginGdmsintegrationSubscription::eventTypes()[$r['event_type']] ?? $r['event_type'],
                'is_active'  => (int) $r['is_active'] === 1,
                'reason'     => PluginGdmsintegrationSubscription::reasons()[$r['deactivation_reason']] ?? '',
                'failures'   => (int) $r['failures'],
                'pending'    => countElementsInTable(PluginGdmsintegrationOutgoing::QUEUE, ['subscriptions_id' => (int) $r['id'], 'state' => PluginGdmsintegrationOutgoing::STATE_PENDING]),
            ];
        }
        TemplateRenderer::getInstance()->display('@gdmsintegration/subscription.list.html.twig', [
            'rows'        => $rows,
            'q'           => $q,
            'event_type'  => $type,
            'event_types' => PluginGdmsintegrationSubscription::eventTypes(),
            'settings'    => PluginGdmsintegrationSubscription::settings(),
            'list_url'    => self::LIST_URL,
            'form_url'    => self::FORM_URL,
        ]);
    }

    /**
     * The form of one subscription (id 0 = new), with its log filtered by `outcome`.
     *
     * @param array<string, mixed> $get
     */
    public static function showForm(int $id, array $get): void
    {
        $row = $id > 0 ? PluginGdmsintegrationSubscription::row($id) : [];
        if ($id > 0 && $row === []) {
            echo '<div class="alert alert-danger">' . htmlescape(__('This subscription does not exist.', 'gdmsintegration')) . '</div>';
            return;
        }
        $outcome = (string) ($get['outcome'] ?? '');
        $categories = [0 => __('Any category', 'gdmsintegration')];
        global $DB;
        foreach ($DB->request(['SELECT' => ['id', 'completename'], 'FROM' => 'glpi_itilcategories', 'ORDER' => 'completename']) as $c) {
            $categories[(int) $c['id']] = (string) $c['completename'];
        }
        TemplateRenderer::getInstance()->display('@gdmsintegration/subscription.form.html.twig', [
            'id'          => $id,
            'v'           => $row + ['name' => '', 'url' => '', 'event_type' => '', 'itilcategories_id' => 0, 'title_regex' => '', 'comment' => '', 'is_active' => 1, 'failures' => 0, 'deactivation_reason' => ''],
            'reason'      => PluginGdmsintegrationSubscription::reasons()[$row['deactivation_reason'] ?? ''] ?? '',
            'secret'      => $id > 0 ? PluginGdmsintegrationSubscription::takeSecretToShow($id) : null,
            'event_types' => PluginGdmsintegrationSubscription::eventTypes(),
            'categories'  => $categories,
            'outcome'     => $outcome,
            'outcomes'    => ['delivered' => __('Delivered', 'gdmsintegration'), 'retry' => __('To retry', 'gdmsintegration'), 'dead' => __('Dead-lettered', 'gdmsintegration'), 'gone' => __('Gone (410)', 'gdmsintegration')],
            'attempts'    => $id > 0 ? PluginGdmsintegrationOutgoingdelivery::log($id, ['outcome' => $outcome], 100) : [],
            'queue'       => $id > 0 ? PluginGdmsintegrationOutgoingdelivery::queue($id, '', 50) : [],
            'list_url'    => self::LIST_URL,
            'form_url'    => self::FORM_URL,
        ]);
    }

    /**
     * One POST action; returns where to redirect. Bad input changes nothing and says why.
     *
     * @param array<string, mixed> $post
     */
    public static function handlePost(array $post): string
    {
        $id = (int) ($post['id'] ?? 0);
        $item = new PluginGdmsintegrationSubscription();
        $back = $id > 0 ? self::FORM_URL . '?id=' . $id : self::LIST_URL;
        if (isset($post['save_settings'])) {
            PluginGdmsintegrationSubscription::saveSettings($post + ['outgoing_allow_private' => 0]);
            Session::addMessageAfterRedirect(htmlescape(__('Settings saved.', 'gdmsintegration')));
            return self::LIST_URL;
        }
        if (isset($post['add'])) {
            $new = (int) $item->add($post);
            return $new > 0 ? self::FORM_URL . '?id=' . $new : self::FORM_URL;
        }
        if ($id <= 0 || PluginGdmsintegrationSubscription::row($id) === []) {
            Session::addMessageAfterRedirect(htmlescape(__('This subscription does not exist.', 'gdmsintegration')), false, ERROR);
            return self::LIST_URL;
        }
        if (isset($post['update'])) {
            $item->getFromDB($id);
            $item->update($post);
        } elseif (isset($post['purge'])) {
            PluginGdmsintegrationSubscription::purge($id);
            return self::LIST_URL;
        } elseif (isset($post['pause'])) {
            PluginGdmsintegrationSubscription::pause($id);
        } elseif (isset($post['resume'])) {
            PluginGdmsintegrationSubscription::resume($id);
        } elseif (isset($post['rotate'])) {
            PluginGdmsintegrationSubscription::rotateSecret($id);
        } elseif (isset($post['test'])) {
            self::reportAttempt(PluginGdmsintegrationOutgoingdelivery::sendTest($id));
        } elseif (isset($post['replay'])) {
            $attempt = PluginGdmsintegrationOutgoingdelivery::replay((int) $post['replay']);
            self::reportAttempt($attempt);
        }
        return $back;
    }

    /**
     * @param array<string, mixed>|null $attempt
     */
    private static function reportAttempt(?array $attempt): void
    {
        if ($attempt === null) {
            Session::addMessageAfterRedirect(htmlescape(__('Nothing was sent.', 'gdmsintegration')), false, ERROR);
            return;
        }
        $ok = $attempt['outcome'] === 'delivered';
        $detail = $attempt['error'] !== '' ? $attempt['error'] : (string) $attempt['status'];
        Session::addMessageAfterRedirect(
            htmlescape(sprintf($ok ? __('Delivered: HTTP %s', 'gdmsintegration') : __('Not delivered: %s', 'gdmsintegration'), $detail)),
            false,
            $ok ? INFO : ERROR
        );
    }
}
