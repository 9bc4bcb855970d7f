package views

// CacheDashboardPage is the cache dashboard: the query cache's figures,
// the tiers' hit rates and the table versions.
type CacheDashboardPage struct {
	Page
	// RefreshURL is where the figures are fetched again every 5 seconds.
	RefreshURL string
	// Figures are the overall counts, e.g. "Hit rate" "98.3%".
	Figures []CacheFigure
	// Tiers are the hit rates of the in-process tier, Redis and overall.
	Tiers []CacheTier
	// LocMem describes the in-process tier's size, e.g. "412 of 4096
	// entries (10%)".
	LocMem string
	// Versions are the tables and their versions (Label and Value).
	Versions []CacheFigure
}

// CacheFigure is one labelled figure.
type CacheFigure struct {
	Label, Value string
}

// CacheTier is one tier's share of the lookups.
type CacheTier struct {
	Label   string
	Percent string // 0 to 100
	Hits    string
}
