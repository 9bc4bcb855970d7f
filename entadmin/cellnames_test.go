package entadmin

import "testing"

func TestCellNamesAreTheInputsNames(t *testing.T) {
	t.Parallel()
	edit, orig, elem := cellNames("12", "price")
	if edit != editName("12", "price") || orig != origName("12", "price") || elem != "e-12-price" {
		t.Errorf("cellNames = %q, %q, %q", edit, orig, elem)
	}
}
