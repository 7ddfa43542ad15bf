package db

import (
	"context"
	"database/sql"
	"database/sql/driver"
)

// sqlOpen is sql.Open, with every connection made through wrap when it
// is not nil.
func sqlOpen(driverName, dsn string, wrap func(driver.Connector) driver.Connector) (*sql.DB, error) {
	pool, err := sql.Open(driverName, dsn)
	if err != nil || wrap == nil {
		return pool, err
	}
	drv := pool.Driver()
	pool.Close() // sql.Open connects lazily: nothing was opened yet
	var conn driver.Connector = dsnConnector{drv, dsn}
	if dc, ok := drv.(driver.DriverContext); ok {
		if conn, err = dc.OpenConnector(dsn); err != nil {
			return nil, err
		}
	}
	return sql.OpenDB(wrap(conn)), nil
}

type dsnConnector struct {
	drv driver.Driver
	dsn string
}

func (d dsnConnector) Connect(context.Context) (driver.Conn, error) { return d.drv.Open(d.dsn) }
func (d dsnConnector) Driver() driver.Driver                        { return d.drv }
