package reports

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"
)

// Issue 14: several tables in JSON were concatenated documents, which
// json.load rejects ("Extra data").
func TestWriteJSONTablesIsOneDocument(t *testing.T) {
	r, err := Analyze(context.Background(), demoInput(), Options{Target: ptr(0.85)})
	if err != nil {
		t.Fatal(err)
	}
	tables, err := r.Tables()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteJSONTables(&buf, tables); err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(&buf)
	var doc map[string]jsonTable
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("not one JSON document: %v", err)
	}
	if dec.More() {
		t.Fatal("more than one JSON document")
	}
	if len(doc) != len(tables) {
		t.Fatalf("%d tables in the document, want %d", len(doc), len(tables))
	}
	for _, tab := range tables {
		got, ok := doc[tab.Name]
		if !ok || got.Name != tab.Name || len(got.Rows) != len(tab.Rows) {
			t.Errorf("table %s: got %+v", tab.Name, got)
		}
	}
	if err := WriteJSONTables(&buf, []*Table{tables[0], tables[0]}); err == nil {
		t.Error("two tables of one name: no error")
	}
}
