package condition_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/entadmin/entadmin/policy/condition"
)

func TestUnknownKeysInConditionsAreRefusedByName(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ doc, key string }{
		{`{"cidrs": ["10.0.0.0/8"]}`, `"cidrs"`},
		{`{"time": {"form": "08:00", "to": "18:00"}}`, `"form"`},
		{`{"attrs": [{"on": "user", "name": "id", "op": "eq", "value": "1", "values2": []}]}`, `"values2"`},
		{`{"rate": {"max": 1, "window": "1h", "burst": 3}}`, `"burst"`},
	} {
		var s *condition.Set
		err := json.Unmarshal([]byte(tt.doc), &s)
		if err == nil || !strings.Contains(err.Error(), "unknown key "+tt.key) {
			t.Errorf("%s: error %v, want one naming %s", tt.doc, err, tt.key)
		}
	}
	var s *condition.Set
	if err := json.Unmarshal([]byte(`{"cidr": ["10.0.0.0/8"], "time": {"from": "08:00", "to": "18:00"}, "rate": {"max": 2, "window": "1h"}}`), &s); err != nil {
		t.Fatal(err)
	}
	if len(s.CIDR) != 1 || s.Time == nil || s.Rate == nil || s.Rate.Max != 2 {
		t.Errorf("decoded %+v", s)
	}
}
