package backup

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"time"
	"unicode/utf8"
)

// timeLayout is RFC 3339 in UTC with all nine fraction digits, so every
// time in an archive has one width and keeps its nanoseconds.
const timeLayout = "2006-01-02T15:04:05.000000000Z07:00"

// sqliteTimes are the forms SQLite may hold in a TIMESTAMP column that
// the driver did not turn into a time.Time (CURRENT_TIMESTAMP writes the
// first).
var sqliteTimes = []string{
	"2006-01-02 15:04:05",
	"2006-01-02 15:04:05.999999999-07:00",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02T15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02",
}

// encode turns a value as the driver scanned it into its archive form.
func encode(kind string, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch kind {
	case kindTime:
		switch x := v.(type) {
		case time.Time:
			return x.UTC().Format(timeLayout), nil
		case string:
			for _, l := range sqliteTimes {
				if t, err := time.Parse(l, x); err == nil {
					return t.UTC().Format(timeLayout), nil
				}
			}
			return nil, fmt.Errorf("%q is not a time", x)
		}
	case kindBool:
		switch x := v.(type) {
		case bool:
			return x, nil
		case int64:
			return x != 0, nil
		}
	case kindInt:
		switch x := v.(type) {
		case int64:
			return x, nil
		case int32:
			return int64(x), nil
		case float64:
			if x == float64(int64(x)) {
				return int64(x), nil
			}
		}
	case kindFloat:
		switch x := v.(type) {
		case float64:
			return x, nil
		case float32:
			return float64(x), nil
		case int64:
			return float64(x), nil
		}
	case kindBytes:
		switch x := v.(type) {
		case []byte:
			return base64.StdEncoding.EncodeToString(x), nil
		case string:
			return base64.StdEncoding.EncodeToString([]byte(x)), nil
		}
	case kindText:
		switch x := v.(type) {
		case string:
			if !utf8.ValidString(x) {
				return nil, fmt.Errorf("text that is not valid UTF-8")
			}
			return x, nil
		case []byte:
			if !utf8.Valid(x) {
				return nil, fmt.Errorf("text that is not valid UTF-8")
			}
			return string(x), nil
		case int64:
			return strconv.FormatInt(x, 10), nil
		case float64:
			return strconv.FormatFloat(x, 'g', -1, 64), nil
		}
	}
	return nil, fmt.Errorf("a %T where a %s was expected", v, kind)
}

// decode turns an archive value (decoded with UseNumber) into what the
// target column takes: times as time.Time so each driver stores them its
// own way, booleans as bool (SQLite keeps 1 and 0).
func decode(kind string, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch kind {
	case kindTime:
		if s, ok := v.(string); ok {
			t, err := time.Parse(time.RFC3339Nano, s)
			if err != nil {
				return nil, fmt.Errorf("%q is not an RFC 3339 time", s)
			}
			return t.UTC(), nil
		}
	case kindBool:
		switch x := v.(type) {
		case bool:
			return x, nil
		case json.Number:
			return x.String() != "0", nil
		}
	case kindInt:
		if n, ok := v.(json.Number); ok {
			i, err := n.Int64()
			if err != nil {
				return nil, fmt.Errorf("%s is not an integer", n)
			}
			return i, nil
		}
	case kindFloat:
		if n, ok := v.(json.Number); ok {
			f, err := n.Float64()
			if err != nil {
				return nil, fmt.Errorf("%s is not a number", n)
			}
			return f, nil
		}
	case kindBytes:
		if s, ok := v.(string); ok {
			b, err := base64.StdEncoding.DecodeString(s)
			if err != nil {
				return nil, fmt.Errorf("bytes that are not base64")
			}
			return b, nil
		}
	case kindText:
		if s, ok := v.(string); ok {
			return s, nil
		}
	}
	return nil, fmt.Errorf("%s where a %s was expected", describeJSON(v), kind)
}

func describeJSON(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "a boolean"
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}
