<?php

/**
 * GLPI 11 stand-in: the core classes the plugin calls (CommonGLPI,
 * CommonDBTM, Migration, CronTask, Config, ProfileRight, Profile, Session,
 * Html, Toolbox, GLPIKey, Plugin). Each reproduces only the behaviour listed
 * in tests/glpi/README.md, with GLPI's names and signatures.
 */

declare(strict_types=1);

class CommonGLPI
{
    public static $rightname = '';

    public static function getType(): string
    {
        return static::class;
    }

    public static function getTypeName($nb = 0): string
    {
        return static::class;
    }

    public static function createTabEntry(string $text, int $nb = 0, ?string $form_itemtype = null, string $icon = ''): string
    {
        return $text;
    }

    public static function canView(): bool
    {
        return Session::haveRight(static::$rightname, READ);
    }
}

class CommonDBTM extends CommonGLPI
{
    /** @var array<string, mixed> */
    public $fields = [];
    /** @var array<string, mixed>|false */
    public $input = [];
    /** @var list<string> */
    public $updates = [];
    /** @var array<string, mixed> */
    public $oldvalues = [];

    public static function getTable($classname = null): string
    {
        return getTableForItemType($classname ?? static::class);
    }

    public static function getForeignKeyField(): string
    {
        return preg_replace('/^glpi_/', '', static::getTable()) . '_id';
    }

    public function getID(): int
    {
        return (int) ($this->fields['id'] ?? -1);
    }

    public function getField(string $field): mixed
    {
        return $this->fields[$field] ?? NOT_AVAILABLE;
    }

    public function isNewItem(): bool
    {
        return !isset($this->fields['id']);
    }

    public function getFromDB($id): bool
    {
        return $this->getFromDBByCrit(['id' => (int) $id]);
    }

    /**
     * @param array<mixed> $crit
     */
    public function getFromDBByCrit(array $crit): bool
    {
        global $DB;
        $rows = $DB->request(['FROM' => static::getTable(), 'WHERE' => $crit, 'LIMIT' => 2]);
        if (count($rows) !== 1) {
            return false;
        }
        $this->fields = (array) $rows->current();
        return true;
    }

    /**
     * @param array<mixed> $condition
     * @return array<int, array<string, mixed>>
     */
    public function find(array $condition = [], array|string $order = [], ?int $limit = null): array
    {
        global $DB;
        $criteria = ['FROM' => static::getTable(), 'WHERE' => $condition];
        if ($order !== [] && $order !== '') {
            $criteria['ORDER'] = $order;
        }
        if ($limit !== null) {
            $criteria['LIMIT'] = $limit;
        }
        $out = [];
        foreach ($DB->request($criteria) as $row) {
            $out[(int) $row['id']] = $row;
        }
        return $out;
    }

    /**
     * @param array<string, mixed> $input
     * @return array<string, mixed>|false
     */
    public function prepareInputForAdd($input)
    {
        return $input;
    }

    /**
     * @param array<string, mixed> $input
     * @return array<string, mixed>|false
     */
    public function prepareInputForUpdate($input)
    {
        return $input;
    }

    public function post_addItem()
    {
    }

    public function post_updateItem($history = true)
    {
    }

    /**
     * Inserts the columns of $input that exist in the table; fires item_add hooks.
     *
     * @param array<string, mixed> $input
     * @return int|false the new id
     */
    public function add(array $input, $options = [], $history = true)
    {
        global $DB;
        $this->input = $input;
        Plugin::doHook('pre_item_add', $this);
        if ($this->input === false) {
            return false;
        }
        $this->input = $this->prepareInputForAdd($this->input);
        if ($this->input === false) {
            return false;
        }
        $columns = self::columns(static::getTable());
        $row = [];
        foreach ($this->input as $k => $v) {
            if (isset($columns[$k]) && $k !== 'id' && !is_array($v)) {
                $row[$k] = $v;
            }
        }
        if (isset($columns['date_creation']) && !isset($row['date_creation'])) {
            $row['date_creation'] = Session::getCurrentTime();
        }
        if (isset($columns['date_mod']) && !isset($row['date_mod'])) {
            $row['date_mod'] = Session::getCurrentTime();
        }
        if (!$DB->insert(static::getTable(), $row)) {
            return false;
        }
        $id = $DB->insertId();
        $this->getFromDB($id);
        $this->post_addItem();
        Plugin::doHook('item_add', $this);
        return $id;
    }

    /**
     * @param array<string, mixed> $input must hold `id`
     */
    public function update(array $input, $history = true, $options = []): bool
    {
        global $DB;
        if (!isset($input['id']) || !$this->getFromDB($input['id'])) {
            return false;
        }
        $this->input = $input;
        Plugin::doHook('pre_item_update', $this);
        if ($this->input === false) {
            return false;
        }
        $this->input = $this->prepareInputForUpdate($this->input);
        if ($this->input === false) {
            return false;
        }
        $columns = self::columns(static::getTable());
        $changes = [];
        $this->updates = [];
        $this->oldvalues = [];
        foreach ($this->input as $k => $v) {
            if ($k === 'id' || !isset($columns[$k]) || is_array($v)) {
                continue;
            }
            if ((string) ($this->fields[$k] ?? '') !== (string) $v || (($this->fields[$k] ?? null) === null) !== ($v === null)) {
                $changes[$k] = $v;
                $this->updates[] = $k;
                $this->oldvalues[$k] = $this->fields[$k] ?? null;
            }
        }
        if ($changes !== []) {
            if (isset($columns['date_mod'])) {
                $changes['date_mod'] = Session::getCurrentTime();
            }
            $DB->update(static::getTable(), $changes, ['id' => (int) $input['id']]);
        }
        $this->fields = array_merge($this->fields, $changes);
        $this->post_updateItem($history);
        Plugin::doHook('item_update', $this);
        return true;
    }

    /**
     * @param array<string, mixed> $input must hold `id`
     */
    public function delete(array $input, $force = false, $history = true): bool
    {
        global $DB;
        if (!isset($input['id']) || !$this->getFromDB($input['id'])) {
            return false;
        }
        $columns = self::columns(static::getTable());
        if (!$force && isset($columns['is_deleted'])) {
            return $DB->update(static::getTable(), ['is_deleted' => 1], ['id' => (int) $input['id']]);
        }
        $ok = $DB->delete(static::getTable(), ['id' => (int) $input['id']]);
        Plugin::doHook('item_purge', $this);
        return $ok;
    }

    public static function getFormURL(bool $full = true): string
    {
        return '/front/' . strtolower(static::class) . '.form.php';
    }

    /** @var array<string, array<string, true>> */
    private static array $columnCache = [];

    /**
     * @return array<string, true>
     */
    public static function columns(string $table): array
    {
        global $DB;
        if (!isset(self::$columnCache[$table])) {
            $cols = [];
            $res = $DB->doQuery('SHOW COLUMNS FROM ' . DBmysql::quoteName($table));
            while ($res instanceof mysqli_result && ($r = $res->fetch_assoc())) {
                $cols[$r['Field']] = true;
            }
            self::$columnCache[$table] = $cols;
        }
        return self::$columnCache[$table];
    }

    public static function forgetColumns(): void
    {
        self::$columnCache = [];
    }
}

define('NOT_AVAILABLE', 'N/A');

class Migration
{
    /** @var array<string, list<string>> */
    private array $change = [];
    /** @var list<string> */
    public array $messages = [];

    public function __construct(public string $version)
    {
    }

    public function displayMessage($msg): void
    {
        $this->messages[] = (string) $msg;
    }

    public function displayWarning($msg, $red = false): void
    {
        $this->messages[] = (string) $msg;
    }

    public function addWarningMessage(string $message): void
    {
        $this->messages[] = $message;
    }

    /**
     * Queues ADD COLUMN when the column is missing (GLPI passes unknown type strings through as SQL).
     */
    public function addField($table, $field, $type, $options = []): bool
    {
        global $DB;
        if ($DB->fieldExists($table, $field, false)) {
            return false;
        }
        $this->change[$table][] = sprintf('ADD `%s` %s', $field, $type);
        return true;
    }

    public function addKey($table, $fields, $indexname = '', $type = 'INDEX', $len = 0): void
    {
        global $DB;
        $fields = (array) $fields;
        $indexname = $indexname !== '' ? $indexname : $fields[0];
        $res = $DB->doQuery(sprintf("SHOW INDEX FROM `%s` WHERE Key_name = %s", $table, $DB->quoteValue($indexname)));
        if ($res instanceof mysqli_result && $res->num_rows > 0) {
            return;
        }
        $cols = implode(', ', array_map(static fn($c) => "`$c`", $fields));
        $this->change[$table][] = sprintf('ADD %s `%s` (%s)', $type === 'UNIQUE' ? 'UNIQUE' : 'INDEX', $indexname, $cols);
    }

    public function dropTable($table): void
    {
        global $DB;
        if ($DB->tableExists($table)) {
            $DB->doQuery("DROP TABLE `$table`");
        }
    }

    public function executeMigration(): bool
    {
        global $DB;
        foreach ($this->change as $table => $changes) {
            $DB->doQuery(sprintf('ALTER TABLE `%s` %s', $table, implode(', ', $changes)));
        }
        $this->change = [];
        CommonDBTM::forgetColumns();
        return true;
    }

    /**
     * Adds the right to every profile that lacks it: $rights where the profile
     * meets $requiredrights, 0 elsewhere (GLPI Migration::addRight).
     *
     * @param array<string, int> $requiredrights
     */
    public function addRight($name, $rights = ALLSTANDARDRIGHT, $requiredrights = ['config' => READ | UPDATE]): void
    {
        global $DB;
        foreach ($DB->request(['SELECT' => 'id', 'FROM' => 'glpi_profiles']) as $profile) {
            $pid = (int) $profile['id'];
            if (count($DB->request(['FROM' => 'glpi_profilerights', 'WHERE' => ['profiles_id' => $pid, 'name' => $name]])) > 0) {
                continue;
            }
            $met = true;
            foreach ($requiredrights as $req => $value) {
                $row = $DB->request(['FROM' => 'glpi_profilerights', 'WHERE' => ['profiles_id' => $pid, 'name' => $req]])->current();
                if ($row === null || (((int) $row['rights']) & $value) !== $value) {
                    $met = false;
                }
            }
            $DB->insert('glpi_profilerights', ['profiles_id' => $pid, 'name' => $name, 'rights' => $met ? $rights : 0]);
        }
    }
}

class CronTask extends CommonDBTM
{
    public const STATE_DISABLE = 0;
    public const STATE_WAITING = 1;
    public const STATE_RUNNING = 2;
    public const MODE_INTERNAL = 1;
    public const MODE_EXTERNAL = 2;

    public static $rightname = 'config';

    /** @var list<string> */
    public array $logs = [];
    public int $volume = 0;

    public static function getTable($classname = null): string
    {
        return 'glpi_crontasks';
    }

    public function getFromDBbyName(string $itemtype, string $name): bool
    {
        return $this->getFromDBByCrit(['itemtype' => $itemtype, 'name' => $name]);
    }

    /**
     * @param array<string, mixed> $options
     * @return int|false false when the task already exists
     */
    public static function register($itemtype, $name, $frequency, $options = [])
    {
        if (!isPluginItemType($itemtype) && !class_exists($itemtype)) {
            return false;
        }
        $temp = new self();
        if ($temp->getFromDBbyName($itemtype, $name)) {
            return false;
        }
        $input = ['itemtype' => $itemtype, 'name' => $name, 'allowmode' => self::MODE_INTERNAL | self::MODE_EXTERNAL, 'frequency' => $frequency];
        foreach (['allowmode', 'comment', 'hourmax', 'hourmin', 'logs_lifetime', 'mode', 'param', 'state'] as $key) {
            if (isset($options[$key])) {
                $input[$key] = $options[$key];
            }
        }
        return $temp->add($input);
    }

    public static function unregister($plugin): bool
    {
        global $DB;
        if (empty($plugin)) {
            return false;
        }
        return $DB->delete('glpi_crontasks', ['OR' => [
            ['itemtype' => ['LIKE', sprintf('Plugin%s', $plugin) . '%']],
            ['itemtype' => ['LIKE', sprintf('GlpiPlugin\\\\%s\\\\', $plugin) . '%']],
        ]]);
    }

    public function log($content): void
    {
        $this->logs[] = mb_substr((string) $content, 0, 200);
    }

    public function addVolume($value): void
    {
        $this->volume += (int) $value;
    }

    public function setVolume($value): void
    {
        $this->volume = (int) $value;
    }

    /**
     * Runs one task the way CronTask::launch() does: a cron session, the
     * method `cron<Name>` of the itemtype, lastrun updated.
     */
    public static function runByName(string $itemtype, string $name): int
    {
        $task = new self();
        if (!$task->getFromDBbyName($itemtype, $name)) {
            throw new RuntimeException("No automatic action $itemtype::$name");
        }
        $_SESSION['glpicronuserrunning'] = 'cron_' . $name;
        $_SESSION['glpiname'] = 'cron';
        $ret = $itemtype::{'cron' . $name}($task);
        $task->update(['id' => $task->getID(), 'lastrun' => Session::getCurrentTime(), 'lastcode' => $ret]);
        return $ret;
    }
}

class Config extends CommonDBTM
{
    public static $rightname = 'config';

    public static function getTable($classname = null): string
    {
        return 'glpi_configs';
    }

    /**
     * @param list<string> $names
     * @return array<string, string>
     */
    public static function getConfigurationValues($context, array $names = []): array
    {
        global $DB;
        $where = ['context' => $context];
        if ($names !== []) {
            $where['name'] = $names;
        }
        $out = [];
        foreach ($DB->request(['FROM' => 'glpi_configs', 'WHERE' => $where]) as $row) {
            $out[$row['name']] = $row['value'];
        }
        return $out;
    }

    /**
     * @param array<string, string> $values
     */
    public static function setConfigurationValues($context, array $values = []): void
    {
        global $DB;
        foreach ($values as $name => $value) {
            $DB->updateOrInsert('glpi_configs', ['value' => (string) $value], ['context' => $context, 'name' => $name]);
        }
    }

    /**
     * @param list<string> $values
     */
    public static function deleteConfigurationValues($context, array $values = []): bool
    {
        global $DB;
        return $DB->delete('glpi_configs', ['context' => $context, 'name' => $values]);
    }
}

class Profile extends CommonDBTM
{
    public static $rightname = 'profile';

    public function displayRightsChoiceMatrix(array $rights, array $options = []): void
    {
        foreach ($rights as $r) {
            echo '<div class="rights-matrix" data-field="' . htmlescape($r['field']) . '">' . htmlescape($r['label']) . '</div>';
        }
    }
}

class ProfileRight extends CommonDBTM
{
    public static function getTable($classname = null): string
    {
        return 'glpi_profilerights';
    }

    /** @param list<string> $rights */
    public static function addProfileRights(array $rights): bool
    {
        global $DB;
        foreach ($DB->request(['SELECT' => ['id'], 'FROM' => 'glpi_profiles']) as $profile) {
            foreach ($rights as $name) {
                $DB->insert('glpi_profilerights', ['profiles_id' => $profile['id'], 'name' => $name]);
            }
        }
        return true;
    }

    /** @param list<string> $rights */
    public static function deleteProfileRights(array $rights): bool
    {
        global $DB;
        foreach ($rights as $name) {
            $DB->delete('glpi_profilerights', ['name' => $name]);
        }
        return true;
    }
}
