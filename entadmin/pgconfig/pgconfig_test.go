package pgconfig

import (
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
)

func TestConfigurePlansEveryStatementWithItsValuesUnlessTheConnectionStringSaysOtherwise(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		dsn, want string
	}{
		{"postgres://127.0.0.1/shop", ForceCustom},
		{"postgres://127.0.0.1/shop?application_name=admin", ForceCustom},
		{"postgres://127.0.0.1/shop?plan_cache_mode=auto", "auto"},
		{"host=127.0.0.1 dbname=shop plan_cache_mode=force_generic_plan", "force_generic_plan"},
	} {
		cfg, err := pgxpool.ParseConfig(c.dsn)
		if err != nil {
			t.Fatal(err)
		}
		Configure(cfg)
		if got := cfg.ConnConfig.RuntimeParams[PlanCacheMode]; got != c.want {
			t.Errorf("%s: plan_cache_mode %q, want %q", c.dsn, got, c.want)
		}
	}
}
