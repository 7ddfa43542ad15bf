package voice

import "database/sql"

// ShapeArabic is shapeArabic for the tests of the package's outside.
var ShapeArabic = shapeArabic

// BeforeCommit makes w call f at the end of each batch's transaction.
func BeforeCommit(w *Writer, f func(*sql.Tx)) { w.beforeCommit = f }
