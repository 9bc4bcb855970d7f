package views

// DateNav is the date drill-down above a list: the period selected, the way
// back up, and the periods of the next level that have rows.
type DateNav struct {
	Label   string // e.g. "By created at", for screen readers
	Back    *Link  // up one level; nil at the top
	Current string // the selected period, e.g. "March 2024"; "" at the top
	Links   []Link // the periods one level down
}
