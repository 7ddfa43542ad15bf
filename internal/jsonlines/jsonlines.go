// Package jsonlines reads the records of an import: JSON Lines, or one
// JSON array, each record with the line it starts on for error messages.
package jsonlines

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// Line is one record with the number of the line it starts on.
type Line struct {
	N    int
	Text []byte
}

// Read splits the input into records with their line numbers: JSON
// Lines, or a JSON array (as exports write it).
func Read(r io.Reader) ([]Line, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	data, err := io.ReadAll(br)
	if err != nil {
		return nil, err
	}
	trimmed := bytes.TrimLeft(data, " \t\r\n\ufeff")
	if len(trimmed) > 0 && trimmed[0] == '[' {
		return arrayLines(data)
	}
	var out []Line
	for i, l := range bytes.Split(data, []byte("\n")) {
		l = bytes.TrimSpace(l)
		if i == 0 {
			l = bytes.TrimPrefix(l, []byte("\ufeff"))
		}
		if len(l) == 0 {
			continue
		}
		out = append(out, Line{N: i + 1, Text: l})
	}
	return out, nil
}

func arrayLines(data []byte) ([]Line, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	if _, err := dec.Token(); err != nil {
		return nil, fmt.Errorf("line 1: %v", err)
	}
	var out []Line
	for dec.More() {
		start := dec.InputOffset()
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, fmt.Errorf("line %d: not valid JSON: %v", lineAt(data, start), err)
		}
		// The element starts after the separator and white space.
		off := int(start)
		for off < len(data) && strings.ContainsRune(" \t\r\n,", rune(data[off])) {
			off++
		}
		out = append(out, Line{N: lineAt(data, int64(off)), Text: raw})
	}
	if tok, err := dec.Token(); err != nil || tok != json.Delim(']') {
		return nil, fmt.Errorf("line %d: the list does not end with ]", lineAt(data, dec.InputOffset()))
	}
	// Whatever follows the list would otherwise be dropped without a word.
	if tok, err := dec.Token(); err != io.EOF {
		at := dec.InputOffset()
		if tok == nil && err != nil {
			at = int64(len(bytes.TrimRight(data, " \t\r\n")))
		}
		return nil, fmt.Errorf("line %d: there is more after the list; a file holds one list", lineAt(data, at))
	}
	return out, nil
}

func lineAt(data []byte, off int64) int {
	return bytes.Count(data[:min(int(off), len(data))], []byte("\n")) + 1
}
