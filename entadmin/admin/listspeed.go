package admin

// CountMode is how a list counts its rows; see ListCount.
type CountMode string

// The ways of counting a list's rows.
const (
	// CountExact runs COUNT(*) on every page.
	CountExact CountMode = "exact"
	// CountEstimated shows the database's estimate ("about 1.2 million"):
	// PostgreSQL's planner statistics, which cost no scan. Other databases
	// count exactly.
	CountEstimated CountMode = "estimated"
	// CountNone shows no total; the list still pages with Next.
	CountNone CountMode = "none"
)

// ListCount sets how the list counts its rows. The default estimates first
// and counts exactly when the estimate is small (under 10,000 rows), so that
// small tables show exact totals and big ones stay fast.
func ListCount(mode CountMode) *Annotation {
	switch mode {
	case CountExact, CountEstimated, CountNone:
		return &Annotation{Count: mode}
	}
	return &Annotation{Errors: errorf("admin.ListCount: unknown mode %q (want admin.CountExact, admin.CountEstimated or admin.CountNone)", mode)}
}

// ShowFullResultCount sets whether a filtered list shows the unfiltered
// total beside its count ("12 products (1,204 total)"), Django's
// show_full_result_count; the default is true. It costs one count (an
// estimate on big tables) per filtered page.
func ShowFullResultCount(show bool) *Annotation {
	return &Annotation{NoFullResultCount: !show}
}

// DateHierarchy adds a drill-down by the time field name above the list
// (Django's date_hierarchy): years, then the months of a year, then the days
// of a month, with only the periods that have rows. The field should have an
// index; code generation warns when it has none.
func DateHierarchy(name string) *Annotation {
	return &Annotation{DateHierarchy: name, Errors: needNames("DateHierarchy", []string{name})}
}
