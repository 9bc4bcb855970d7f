package entadmin

import (
	"testing"
	"time"
)

// TestRowTextsScanAsJSONDecodes checks that a cached row's values come
// back as they were: counts, optional counts, probes (NULL when not run)
// and the values of other types, which JSON decodes.
func TestRowTextsScanAsJSONDecodes(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	yes, n := true, int64(-42)
	var (
		count  = int64(1204331)
		exact  = &n
		none   *int64
		probe  = true
		run    = &yes
		notRun *bool
		lo     any = at
		name       = "oak \"chair\""
	)
	texts, err := rowTexts([]any{&count, &exact, &none, &probe, &run, &notRun, &lo, &name})
	if err != nil {
		t.Fatal(err)
	}
	var (
		count2  int64
		exact2  *int64
		none2   = new(int64)
		probe2  bool
		run2    *bool
		notRun2 = new(bool)
		lo2     any
		name2   string
	)
	if err := scanTexts(texts, []any{&count2, &exact2, &none2, &probe2, &run2, &notRun2, &lo2, &name2}); err != nil {
		t.Fatal(err)
	}
	if count2 != count || exact2 == nil || *exact2 != n || none2 != nil || !probe2 || run2 == nil || !*run2 || notRun2 != nil ||
		lo2 != at.Format(time.RFC3339Nano) || name2 != name {
		t.Errorf("scanned %d %v %v %t %v %v %v %q", count2, exact2, none2, probe2, run2, notRun2, lo2, name2)
	}
	if err := scanTexts(texts[:2], []any{&count2}); err == nil {
		t.Error("a row of another length scanned")
	}
}
