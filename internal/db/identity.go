package db

import "strconv"

// SyncIdentity is the statement that lets a table's generated ids continue
// after rows inserted with explicit ids (bulk loads assign them in Go).
// SQLite's INTEGER PRIMARY KEY continues after the largest id by itself.
func (d Dialect) SyncIdentity(table string) string {
	if d.Engine == Postgres {
		return `SELECT setval(pg_get_serial_sequence('` + table + `', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM ` + table + `), false)`
	}
	return `SELECT 1`
}

// Placeholder is the i-th (1-based) parameter of a statement built in
// code, such as a multi-row INSERT. SQLite binds "$N" by name, which costs
// a search through every parameter of the statement per parameter; its
// positional "?" does not, which matters for statements with hundreds.
func (d Dialect) Placeholder(i int) string {
	if d.Engine == Postgres {
		return "$" + strconv.Itoa(i)
	}
	return "?"
}
