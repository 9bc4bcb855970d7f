package policy_test

import (
	"testing"

	"github.com/casbin/casbin/v2"

	"github.com/entadmin/entadmin/policy"
)

func TestModel(t *testing.T) {
	t.Parallel()
	m, err := policy.Model()
	if err != nil {
		t.Fatal(err)
	}
	e, err := casbin.NewEnforcer(m)
	if err != nil {
		t.Fatal(err)
	}
	for _, rule := range [][]string{
		{"group:2", "product", "view", "allow"},
		{"group:3", "product", "change", "allow"},
		{"group:3", "product/42", "change", "deny"},
		{"user:9", "order/7", "*", "allow"},
		{"user:7", "tag", "change", "allow"},
		{"user:7", "tag/3", "change", "deny"},
		{"user:7", "tag/4", "view", "deny"},
		{"user:1", "category", "view", "allow"},
	} {
		if _, err := e.AddPolicy(rule); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.AddGroupingPolicies([][]string{{"user:1", "group:3"}, {"group:3", "group:2"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.AddNamedPolicy("p2", "group:2", "product", "cost_price", "hidden", "allow"); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name          string
		sub, obj, act string
		want          bool
	}{
		{"a grant on the parent group reaches a member of the child group", "user:1", "product", "view", true},
		{"a model grant covers every object of the model", "user:1", "product/7", "change", true},
		{"an object deny beats the model grant", "user:1", "product/42", "change", false},
		{"the object deny leaves the model itself alone", "user:1", "product", "change", true},
		{"a grant on one model does not cover a model with the same prefix", "user:1", "productline", "view", false},
		{"an object grant covers only that object", "user:9", "order/8", "view", false},
		{"the action * matches any action", "user:9", "order/7", "delete", true},
		{"a subject without rules gets nothing", "user:5", "product", "view", false},
		{"allowing change allows view", "user:7", "tag", "view", true},
		{"denying change leaves view alone", "user:7", "tag/3", "view", true},
		{"denying view beats the change that implies it", "user:7", "tag/4", "view", false},
		{"allowing view does not allow change", "user:1", "category", "change", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := e.Enforce(tt.sub, tt.obj, tt.act)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("Enforce(%q, %q, %q) = %v, want %v", tt.sub, tt.obj, tt.act, got, tt.want)
			}
		})
	}
}
