package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"strconv"
)

// JSONNUL reports whether a JSON document holds a NUL character in any
// key or string (JSON may write it "\u0000"; PostgreSQL cannot store it)
// and where: the path of the first one, such as "contact.name" or
// "themes[2]" ("" for the document itself). A document that does not
// parse holds none: its decoder will say what is wrong with it.
func JSONNUL(data []byte) (found bool, where string) {
	if bytes.IndexByte(data, 0) >= 0 {
		return true, ""
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if dec.Decode(&v) != nil {
		return false, ""
	}
	return nulIn(v, "")
}

func nulIn(v any, path string) (bool, string) {
	switch v := v.(type) {
	case string:
		return HasNUL(v), path
	case []any:
		for i, e := range v {
			if ok, p := nulIn(e, path+"["+strconv.Itoa(i)+"]"); ok {
				return true, p
			}
		}
	case map[string]any:
		for _, k := range slices.Sorted(maps.Keys(v)) {
			p := k
			if path != "" {
				p = path + "." + k
			}
			if HasNUL(k) {
				return true, p
			}
			if ok, p := nulIn(v[k], p); ok {
				return true, p
			}
		}
	}
	return false, ""
}

// BadText reports whether err is PostgreSQL refusing a character in a
// text value (SQLSTATE 22021, a NUL byte; 22P05, a character without a
// form in the database's encoding): bad input, not a failure.
func BadText(err error) bool {
	var se interface{ SQLState() string }
	if errors.As(err, &se) {
		c := se.SQLState()
		return c == "22021" || c == "22P05"
	}
	return false
}
