package entadmin

import "testing"

func TestCellNamesAreTheInputsNames(t *testing.T) {
	t.Parallel()
	edit, orig, elem, label := cellNames("12", "price", "Price", "Oak chair")
	if edit != editName("12", "price") || orig != origName("12", "price") || elem != "e-12-price" || label != "Price of Oak chair" {
		t.Errorf("cellNames = %q, %q, %q, %q", edit, orig, elem, label)
	}
}
