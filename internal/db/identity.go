package db

// SyncIdentity is the statement that lets a table's generated ids continue
// after rows inserted with explicit ids (bulk loads assign them in Go).
// SQLite's INTEGER PRIMARY KEY continues after the largest id by itself.
func (d Dialect) SyncIdentity(table string) string {
	if d.Engine == Postgres {
		return `SELECT setval(pg_get_serial_sequence('` + table + `', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM ` + table + `), false)`
	}
	return `SELECT 1`
}
