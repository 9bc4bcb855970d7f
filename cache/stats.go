package cache

import (
	"context"
	"fmt"
	"math"
	"sort"
)

// Stats are the cache's figures, as the dashboard and its JSON show them;
// the JSON names are those of the reference's cache dashboard.
type Stats struct {
	QueryCache    QueryStats     `json:"query_cache"`
	TableVersions []TableVersion `json:"table_versions"`
	TwoTier       TwoTierStats   `json:"two_tier"`
	// LocMem is the in-process tier's size; nil when it is off.
	LocMem *LocMemStats `json:"locmem"`
}

// QueryStats count the lookups, stores and invalidations of this instance
// since it started.
type QueryStats struct {
	Hits          int64   `json:"hits"`
	Misses        int64   `json:"misses"`
	TotalRequests int64   `json:"total_requests"`
	HitRate       string  `json:"hit_rate"` // e.g. "98.3%"
	HitRateFloat  float64 `json:"hit_rate_float"`
	Invalidations int64   `json:"invalidations"`
	// TableInvalidations counts the tables whose versions this instance
	// bumped or heard bumped; RowInvalidations is always 0, as entries
	// depend on whole tables.
	TableInvalidations int64 `json:"table_invalidations"`
	RowInvalidations   int64 `json:"row_invalidations"`
	Sets               int64 `json:"sets"`
	TableCount         int   `json:"table_count"`
}

// TableVersion is the version of one table.
type TableVersion struct {
	Name    string `json:"name"`
	Version int64  `json:"version"`
}

// TwoTierStats split the hits between the tiers.
type TwoTierStats struct {
	L1Hits            int64   `json:"l1_hits"`
	L2Hits            int64   `json:"l2_hits"`
	Misses            int64   `json:"misses"`
	TotalRequests     int64   `json:"total_requests"`
	L1HitRate         float64 `json:"l1_hit_rate"`
	L2HitRate         float64 `json:"l2_hit_rate"`
	OverallHitRate    float64 `json:"overall_hit_rate"`
	L1HitRatePct      int     `json:"l1_hit_rate_pct"`
	L2HitRatePct      int     `json:"l2_hit_rate_pct"`
	OverallHitRatePct int     `json:"overall_hit_rate_pct"`
	// L2 says whether the second tier (Redis) is configured.
	L2 bool `json:"l2_enabled"`
}

// LocMemStats are the in-process tier's entries and capacity.
type LocMemStats struct {
	Entries        int     `json:"entries"`
	MaxSize        int     `json:"max_size"`
	Utilization    float64 `json:"utilization"`
	UtilizationPct int     `json:"utilization_pct"`
}

// Stats returns the cache's figures; the table versions are read from
// where they live.
func (c *Cache) Stats(ctx context.Context) (Stats, error) {
	l1, l2, misses := c.stats.l1Hits.Load(), c.stats.l2Hits.Load(), c.stats.misses.Load()
	total := l1 + l2 + misses
	inv := c.stats.invalidations.Load()
	s := Stats{
		QueryCache: QueryStats{
			Hits: l1 + l2, Misses: misses, TotalRequests: total,
			HitRateFloat:  rate(l1+l2, total),
			Invalidations: inv, TableInvalidations: inv,
			Sets: c.stats.sets.Load(),
		},
		TwoTier: TwoTierStats{
			L1Hits: l1, L2Hits: l2, Misses: misses, TotalRequests: total,
			L1HitRate: rate(l1, total), L2HitRate: rate(l2, total), OverallHitRate: rate(l1+l2, total),
			L2: c.l2 != nil,
		},
		TableVersions: []TableVersion{},
	}
	s.QueryCache.HitRate = fmt.Sprintf("%.1f%%", 100*s.QueryCache.HitRateFloat)
	s.TwoTier.L1HitRatePct = pct(s.TwoTier.L1HitRate)
	s.TwoTier.L2HitRatePct = pct(s.TwoTier.L2HitRate)
	s.TwoTier.OverallHitRatePct = pct(s.TwoTier.OverallHitRate)
	if c.l1 != nil {
		n := c.l1.Len()
		u := rate(int64(n), int64(c.l1Size))
		s.LocMem = &LocMemStats{Entries: n, MaxSize: c.l1Size, Utilization: u, UtilizationPct: pct(u)}
	}
	versions, err := c.versions.all(ctx)
	if err != nil {
		return s, fmt.Errorf("cache: read the table versions: %w", err)
	}
	for name, v := range versions {
		s.TableVersions = append(s.TableVersions, TableVersion{Name: name, Version: v})
	}
	sort.Slice(s.TableVersions, func(i, j int) bool { return s.TableVersions[i].Name < s.TableVersions[j].Name })
	s.QueryCache.TableCount = len(s.TableVersions)
	return s, nil
}

// rate is n/total rounded to four decimals, 0 when total is 0.
func rate(n, total int64) float64 {
	if total == 0 {
		return 0
	}
	return math.Round(float64(n)/float64(total)*10000) / 10000
}

// pct is a rate as a whole percentage, rounded down as the reference does.
func pct(r float64) int { return int(math.Floor(r*100 + 1e-9)) }
