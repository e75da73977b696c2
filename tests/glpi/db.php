<?php

/**
 * GLPI 11 stand-in: the database layer (DBmysql, its iterator, query
 * expressions, DBConnection defaults), over a real MariaDB through mysqli.
 * Reproduces the criteria-array mini-language of glpi11-plugin-facts.md §10.
 */

declare(strict_types=1);

namespace Glpi\DBAL {
    /** A raw SQL fragment, inserted as is. */
    class QueryExpression
    {
        public function __construct(private string $expression, private ?string $alias = null)
        {
        }

        public function getValue(): string
        {
            return $this->expression . ($this->alias !== null ? ' AS ' . \DBmysql::quoteName($this->alias) : '');
        }

        public function __toString(): string
        {
            return $this->getValue();
        }
    }

    /** A `?` placeholder of a prepared statement. */
    class QueryParam
    {
        public function getValue(): string
        {
            return '?';
        }

        public function __toString(): string
        {
            return '?';
        }
    }

    /** SQL functions (subset). */
    class QueryFunction
    {
        public static function now(): QueryExpression
        {
            return new QueryExpression('NOW()');
        }
    }
}

namespace {

use Glpi\DBAL\QueryExpression;

class DBConnection
{
    public static function getDefaultCharset(): string
    {
        return 'utf8mb4';
    }

    public static function getDefaultCollation(): string
    {
        return 'utf8mb4_unicode_ci';
    }

    public static function getDefaultPrimaryKeySignOption(): string
    {
        return 'unsigned';
    }
}

/**
 * Rows of a request(): countable and iterable, like GLPI's DBmysqlIterator.
 *
 * @implements IteratorAggregate<int, array<string, mixed>>
 */
class DBmysqlIterator implements Countable, IteratorAggregate
{
    /** @param list<array<string, mixed>> $rows */
    public function __construct(private array $rows, private string $sql)
    {
    }

    public function count(): int
    {
        return count($this->rows);
    }

    public function getIterator(): ArrayIterator
    {
        return new ArrayIterator($this->rows);
    }

    /** @return array<string, mixed>|null */
    public function current(): ?array
    {
        return $this->rows[0] ?? null;
    }

    public function getSql(): string
    {
        return $this->sql;
    }
}

class DBmysql
{
    public mysqli $dbh;
    public string $dbdefault;
    private int $lastInsertId = 0;
    private int $affected = 0;
    /** @var list<string> every statement run, for tests that count queries */
    public array $log = [];

    public function __construct(string $socket, string $database, string $user = 'root', string $password = '')
    {
        // GLPI's DBmysql::connect(): no PHP-level mysqli errors; doQuery() throws RuntimeException instead.
        mysqli_report(MYSQLI_REPORT_OFF);
        $this->dbh = new mysqli('localhost', $user, $password, '', 0, $socket);
        $this->dbh->set_charset('utf8mb4');
        $this->dbh->query('CREATE DATABASE IF NOT EXISTS `' . $database . '` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci');
        $this->dbh->select_db($database);
        $this->dbdefault = $database;
    }

    public static function quoteName(string|QueryExpression $name): string
    {
        if ($name instanceof QueryExpression) {
            return $name->getValue();
        }
        if ($name === '*') {
            return '*';
        }
        if (preg_match('/^(.+)\s+AS\s+(.+)$/i', $name, $m)) {
            return self::quoteName($m[1]) . ' AS ' . self::quoteName($m[2]);
        }
        return implode('.', array_map(
            static fn(string $p): string => $p === '*' ? '*' : '`' . str_replace('`', '``', $p) . '`',
            explode('.', $name)
        ));
    }

    public function quoteValue(mixed $value): string
    {
        if ($value instanceof \Glpi\DBAL\QueryParam) {
            return '?';
        }
        if ($value instanceof QueryExpression) {
            return $value->getValue();
        }
        if ($value === null) {
            return 'NULL';
        }
        if (is_bool($value)) {
            return $value ? '1' : '0';
        }
        if (is_int($value) || is_float($value)) {
            return (string) $value;
        }
        return "'" . $this->dbh->real_escape_string((string) $value) . "'";
    }

    /** Number of the last MySQL error, 0 when none (DBmysql::errno()). */
    public function errno(): int
    {
        return $this->dbh->errno;
    }

    /** Text of the last MySQL error (DBmysql::error()). */
    public function error(): string
    {
        return $this->dbh->error;
    }

    public function doQuery(string $sql): mysqli_result|bool
    {
        $this->log[] = $sql;
        $res = $this->dbh->query($sql);
        if ($res === false) {
            // GLPI's DBmysql::doQuery(): the error and its number in the message; errno() keeps the number.
            throw new RuntimeException(sprintf('MySQL query error: %s (%d) in SQL query "%s".', $this->dbh->error, $this->dbh->errno, $sql));
        }
        $this->affected = $this->dbh->affected_rows;
        if ($this->dbh->insert_id) {
            $this->lastInsertId = (int) $this->dbh->insert_id;
        }
        return $res;
    }

    /**
     * @param array<string, mixed>|string $criteria
     */
    public function request(array|string $criteria): DBmysqlIterator
    {
        if (is_string($criteria)) {
            throw new LogicException('Raw SQL in request() is prohibited in GLPI 11 (use doQuery)');
        }
        $sql = $this->buildSelect($criteria);
        $res = $this->doQuery($sql);
        $rows = [];
        if ($res instanceof mysqli_result) {
            while ($row = $res->fetch_assoc()) {
                $rows[] = $row;
            }
        }
        return new DBmysqlIterator($rows, $sql);
    }

    /**
     * @param array<string, mixed> $params
     */
    public function buildInsert(string $table, array $params): string
    {
        $cols = implode(', ', array_map([self::class, 'quoteName'], array_keys($params)));
        $vals = implode(', ', array_map([$this, 'quoteValue'], array_values($params)));
        return sprintf('INSERT INTO %s (%s) VALUES (%s)', self::quoteName($table), $cols, $vals);
    }

    /**
     * @param array<string, mixed> $params
     */
    public function insert(string $table, array $params): bool
    {
        return (bool) $this->doQuery($this->buildInsert($table, $params));
    }

    /**
     * @param array<string, mixed> $params
     * @param array<mixed> $where
     */
    public function buildUpdate(string $table, array $params, array $where, array $joins = []): string
    {
        $sets = [];
        foreach ($params as $k => $v) {
            $sets[] = self::quoteName($k) . ' = ' . $this->quoteValue($v);
        }
        return sprintf('UPDATE %s SET %s WHERE %s', self::quoteName($table), implode(', ', $sets), $this->where($where));
    }

    public function prepare(string $query): mysqli_stmt
    {
        $this->log[] = $query;
        $stmt = $this->dbh->prepare($query);
        if ($stmt === false) {
            throw new RuntimeException(sprintf('MySQL prepare error: %s (%d) in SQL query "%s".', $this->dbh->error, $this->dbh->errno, $query));
        }
        return $stmt;
    }

    /**
     * Executes a prepared statement with positional parameters (all bound as strings, null as NULL).
     *
     * @param list<mixed>|null $params
     */
    public function executeStatement(mysqli_stmt $stmt, ?array $params = null, ?array $types = null): void
    {
        if ($params !== null && $params !== []) {
            $values = array_map(static fn($v) => $v === null ? null : (is_bool($v) ? (int) $v : (string) $v), array_values($params));
            $stmt->bind_param(str_repeat('s', count($values)), ...$values);
        }
        if (!$stmt->execute()) {
            // GLPI throws Glpi\DBAL\StatementException (a RuntimeException) with the statement's errno as code.
            throw new RuntimeException(sprintf('MySQL statement error: %s (%d).', $stmt->error, $stmt->errno), $stmt->errno);
        }
        $this->affected = $stmt->affected_rows;
        if ($stmt->insert_id) {
            $this->lastInsertId = (int) $stmt->insert_id;
        }
    }

    /**
     * @param array<string, mixed> $params
     * @param array<mixed> $where
     */
    public function update(string $table, array $params, array $where, array $joins = []): bool
    {
        return (bool) $this->doQuery($this->buildUpdate($table, $params, $where));
    }

    /**
     * @param array<mixed> $where
     */
    public function delete(string $table, array $where, array $joins = []): bool
    {
        return (bool) $this->doQuery(sprintf('DELETE FROM %s WHERE %s', self::quoteName($table), $this->where($where)));
    }

    /**
     * @param array<string, mixed> $params
     * @param array<mixed> $where
     */
    public function updateOrInsert(string $table, array $params, array $where, bool $onlyone = true): bool
    {
        $found = $this->request(['FROM' => $table, 'WHERE' => $where]);
        if (count($found) === 0) {
            return $this->insert($table, $params + $where);
        }
        return $this->update($table, $params, $where);
    }

    public function insertId(): int
    {
        return $this->lastInsertId;
    }

    public function affectedRows(): int
    {
        return $this->affected;
    }

    public function tableExists(string $table, bool $usecache = true): bool
    {
        $res = $this->doQuery(sprintf("SHOW TABLES LIKE %s", $this->quoteValue($table)));
        return $res instanceof mysqli_result && $res->num_rows > 0;
    }

    public function fieldExists(string $table, string $field, bool $usecache = true): bool
    {
        if (!$this->tableExists($table)) {
            return false;
        }
        $res = $this->doQuery(sprintf('SHOW COLUMNS FROM %s LIKE %s', self::quoteName($table), $this->quoteValue($field)));
        return $res instanceof mysqli_result && $res->num_rows > 0;
    }

    /** Depth of beginTransaction() calls not yet committed or rolled back (GLPI 11 DBmysql::$transaction_level). */
    private int $transaction_level = 0;

    /**
     * As GLPI 11: a call inside a transaction opens a savepoint instead of a new
     * transaction (which MariaDB would start by committing the current one).
     */
    public function beginTransaction(): void
    {
        $ok = $this->transaction_level === 0
            ? $this->dbh->begin_transaction()
            : $this->dbh->savepoint('glpi_savepoint_' . ($this->transaction_level + 1));
        if (!$ok) {
            throw new RuntimeException('Failed to start transaction.');
        }
        $this->transaction_level++;
    }

    /** Commits the transaction, or releases the innermost savepoint. */
    public function commit(): void
    {
        if ($this->transaction_level === 0) {
            throw new RuntimeException('Not in a transaction.');
        }
        $ok = $this->transaction_level === 1
            ? $this->dbh->commit()
            : $this->dbh->release_savepoint('glpi_savepoint_' . $this->transaction_level);
        if (!$ok) {
            throw new RuntimeException('Failed to commit transaction.');
        }
        $this->transaction_level--;
    }

    /** Rolls the transaction back, or back to the innermost savepoint. */
    public function rollBack(): void
    {
        if ($this->transaction_level === 0) {
            throw new RuntimeException('Not in a transaction.');
        }
        $ok = $this->transaction_level === 1
            ? $this->dbh->rollback()
            : (bool) $this->dbh->query('ROLLBACK TO `glpi_savepoint_' . $this->transaction_level . '`');
        if (!$ok) {
            throw new RuntimeException('Failed to rollback transaction.');
        }
        $this->transaction_level--;
    }

    public function getLock(string $name): bool
    {
        $row = $this->doQuery(sprintf('SELECT GET_LOCK(%s, 0) AS l', $this->quoteValue($this->dbdefault . '.' . $name)));
        return $row instanceof mysqli_result && (int) ($row->fetch_assoc()['l'] ?? 0) === 1;
    }

    public function releaseLock(string $name): bool
    {
        $row = $this->doQuery(sprintf('SELECT RELEASE_LOCK(%s) AS l', $this->quoteValue($this->dbdefault . '.' . $name)));
        return $row instanceof mysqli_result && (int) ($row->fetch_assoc()['l'] ?? 0) === 1;
    }

    /**
     * @param array<string, mixed> $c
     */
    private function buildSelect(array $c): string
    {
        $from = $c['FROM'] ?? throw new LogicException('request() needs FROM');
        $tables = is_array($from) ? $from : [$from];
        $sql = 'SELECT ' . (!empty($c['DISTINCT']) ? 'DISTINCT ' : '');
        if (isset($c['COUNT'])) {
            $sql .= 'COUNT(*) AS ' . self::quoteName($c['COUNT']);
        } elseif (isset($c['SELECT'])) {
            $sql .= $this->selectList($c['SELECT']);
        } else {
            $sql .= '*';
        }
        $sql .= ' FROM ' . implode(', ', array_map([self::class, 'quoteName'], $tables));
        foreach (['LEFT JOIN', 'INNER JOIN', 'RIGHT JOIN'] as $join) {
            foreach ($c[$join] ?? [] as $table => $spec) {
                $on = $spec['ON'] ?? $spec['FKEY'];
                $sql .= " $join " . self::quoteName($table) . ' ON ' . $this->joinCondition($on);
            }
        }
        if (!empty($c['WHERE'])) {
            $sql .= ' WHERE ' . $this->where($c['WHERE']);
        }
        if (!empty($c['GROUPBY'])) {
            $sql .= ' GROUP BY ' . implode(', ', array_map([self::class, 'quoteName'], (array) $c['GROUPBY']));
        }
        if (!empty($c['ORDER'])) {
            $parts = [];
            foreach ((array) $c['ORDER'] as $o) {
                if ($o instanceof QueryExpression) {
                    $parts[] = $o->getValue();
                    continue;
                }
                $bits = preg_split('/\s+/', trim($o));
                $parts[] = self::quoteName($bits[0]) . (isset($bits[1]) ? ' ' . strtoupper($bits[1]) : '');
            }
            $sql .= ' ORDER BY ' . implode(', ', $parts);
        }
        if (isset($c['LIMIT'])) {
            $sql .= ' LIMIT ' . (int) $c['LIMIT'];
            if (isset($c['START'])) {
                $sql .= ' OFFSET ' . (int) $c['START'];
            }
        }
        return $sql;
    }

    private function selectList(mixed $select): string
    {
        $out = [];
        foreach ((array) $select as $key => $value) {
            if (in_array($key, ['SUM', 'MAX', 'MIN', 'AVG', 'COUNT'], true)) {
                // Aggregates: 'SUM' => 'col AS alias' or a list of them (DBmysqlIterator::handleFields).
                foreach ((array) $value as $col) {
                    $parts = preg_split('/\s+AS\s+/i', (string) $col);
                    $out[] = $key . '(' . self::quoteName($parts[0]) . ')' . (isset($parts[1]) ? ' AS ' . self::quoteName($parts[1]) : '');
                }
            } elseif (is_string($key) && is_array($value)) {
                foreach ($value as $col) {
                    $out[] = self::quoteName("$key.$col");
                }
            } elseif ($value instanceof QueryExpression) {
                $out[] = $value->getValue();
            } else {
                $out[] = self::quoteName((string) $value);
            }
        }
        return implode(', ', $out);
    }

    /**
     * @param array<mixed> $on
     */
    private function joinCondition(array $on): string
    {
        $parts = [];
        $pair = [];
        foreach ($on as $key => $value) {
            if (is_string($key)) {
                $pair[] = self::quoteName("$key.$value");
            } elseif (is_array($value)) {
                $parts[] = $this->where($value);
            }
        }
        array_unshift($parts, implode(' = ', $pair));
        return implode(' AND ', $parts);
    }

    /**
     * The WHERE mini-language: equality, IN, IS NULL, [op, value], OR/AND/NOT, expressions.
     *
     * @param array<mixed> $where
     */
    public function where(array $where, string $glue = 'AND'): string
    {
        $parts = [];
        foreach ($where as $key => $value) {
            if ($value instanceof QueryExpression) {
                $parts[] = $value->getValue();
            } elseif ($key === 'OR' || $key === 'AND') {
                $parts[] = '(' . $this->where($value, $key) . ')';
            } elseif ($key === 'NOT') {
                $parts[] = 'NOT (' . $this->where($value) . ')';
            } elseif (is_int($key)) {
                $parts[] = '(' . $this->where($value) . ')';
            } elseif ($value === null) {
                $parts[] = self::quoteName($key) . ' IS NULL';
            } elseif (is_array($value) && count($value) === 2 && is_string($value[0] ?? null) && preg_match('/^(=|!=|<>|<|<=|>|>=|LIKE|NOT LIKE|REGEXP)$/i', $value[0])) {
                $parts[] = self::quoteName($key) . ' ' . strtoupper($value[0]) . ' ' . $this->quoteValue($value[1]);
            } elseif (is_array($value)) {
                $parts[] = $value === []
                    ? '0 = 1'
                    : self::quoteName($key) . ' IN (' . implode(', ', array_map([$this, 'quoteValue'], $value)) . ')';
            } else {
                $parts[] = self::quoteName($key) . ' = ' . $this->quoteValue($value);
            }
        }
        return $parts === [] ? '1' : implode(" $glue ", $parts);
    }
}

}
