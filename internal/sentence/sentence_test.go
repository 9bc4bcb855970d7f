package sentence

import "testing"

func TestCase(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"product", "Product"},
		{"change product", "Change product"},
		{"12 categories", "12 categories"},
		{"ip", "IP"},
		{"Ip address", "IP address"},
		{"url", "URL"},
		{"image url", "Image URL"},
		{"product ids", "Product IDs"},
		{"the id (json)", "The ID (JSON)"},
		{"Steel Coat", "Steel Coat"},
		{"idle sessions", "Idle sessions"},
		{"ünits", "Ünits"},
		{"RBAC audit log", "RBAC audit log"},
	} {
		if got := Case(tc.in); got != tc.want {
			t.Errorf("Case(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
