package jsonlines

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"observatory/internal/i18n"
	"observatory/internal/web"
)

// LineError is what is wrong with one line of an import.
type LineError struct {
	Line     int
	Problems []string
}

func (e LineError) Error() string {
	return fmt.Sprintf("line %d: %s", e.Line, strings.Join(e.Problems, "; "))
}

// Check parses every line with parse, which returns the record, its key
// (such as its uid; "" when it has none) and its problems as sentences.
// It returns the good records in file order and the bad lines with their
// problems; a key that an earlier line has too is a problem, named by
// keyName. An import goes on only when no line is bad.
func Check[T any](lines []Line, keyName string, parse func(l Line) (T, string, []string)) ([]T, []LineError) {
	seen := map[string]int{}
	var ok []T
	var bad []LineError
	for _, l := range lines {
		rec, key, problems := parse(l)
		if key != "" {
			if first, dup := seen[key]; dup {
				problems = append(problems, fmt.Sprintf("%s %s is also on line %d", keyName, key, first))
			}
			seen[key] = l.N
		}
		if len(problems) > 0 {
			bad = append(bad, LineError{Line: l.N, Problems: problems})
			continue
		}
		ok = append(ok, rec)
	}
	return ok, bad
}

// Decode reads one record into v strictly: a field v does not have is a
// problem, and so is a NUL character anywhere (PostgreSQL cannot store
// it), named by its field. It returns the problem as a sentence that
// calls the record what ("a practice"), or "" when there is none.
func Decode(text []byte, v any, what string) string {
	if nul, where := web.JSONNUL(text); nul {
		if where == "" {
			return "a NUL character is not allowed"
		}
		return where + ": a NUL character (\\u0000) is not allowed"
	}
	dec := json.NewDecoder(bytes.NewReader(text))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return "not " + what + ": " + strings.TrimPrefix(err.Error(), "json: ")
	}
	return ""
}

// Text reads a translatable text given either as a string, meaning the
// text in lang, or as an object of language → text.
func Text(raw json.RawMessage, lang string) (i18n.Text, error) {
	s := strings.TrimSpace(string(raw))
	if s == "" || s == "null" {
		return i18n.Text{}, nil
	}
	if s[0] == '"' {
		var v string
		if err := json.Unmarshal(raw, &v); err != nil {
			return nil, err
		}
		return i18n.Text{lang: v}, nil
	}
	var t map[string]string
	if err := json.Unmarshal(raw, &t); err != nil {
		return nil, errors.New("must be a text or an object of language → text")
	}
	return i18n.Text(t), nil
}

// Writer writes records as one JSON array with one record per line, the
// form Read takes back: an export that can be imported as it is.
type Writer struct {
	w     *bufio.Writer
	count int
}

// NewWriter starts the array on w.
func NewWriter(w io.Writer) *Writer {
	bw := bufio.NewWriter(w)
	bw.WriteString("[")
	return &Writer{w: bw}
}

// Write adds one record.
func (w *Writer) Write(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if w.count > 0 {
		w.w.WriteString(",")
	}
	w.count++
	w.w.WriteString("\n")
	_, err = w.w.Write(b)
	return err
}

// Close ends the array, also after a failed Write, so what was written
// stays a complete list.
func (w *Writer) Close() error {
	w.w.WriteString("\n]\n")
	return w.w.Flush()
}
