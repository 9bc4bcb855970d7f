package entadmin

import "testing"

// SpaceAnchorsForTest sets the rows between two anchors of a list and the
// offset from which a page is read from one, until t ends. t must not be
// parallel, nor run beside parallel tests.
func SpaceAnchorsForTest(t *testing.T, every, from int) {
	oldEvery, oldFrom := anchorEvery, anchoredFrom
	anchorEvery, anchoredFrom = every, from
	t.Cleanup(func() { anchorEvery, anchoredFrom = oldEvery, oldFrom })
}
