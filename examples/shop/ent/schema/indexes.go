package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema/index"
)

// trigram returns a GIN index with pg_trgm's operator class on PostgreSQL,
// which serves searches for a substring in any case (ILIKE '%term%'); the
// shop creates the extension before migrating. Other databases get a plain
// index.
func trigram(table, field string) ent.Index {
	return index.Fields(field).StorageKey(table+"_"+field+"_trgm").Annotations(
		entsql.IndexTypes(map[string]string{dialect.Postgres: "GIN"}),
		entsql.OpClass("gin_trgm_ops"),
	)
}

// Indexes of the Category: its list is ordered by name and searched by
// name and slug.
func (Category) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("name"),
		trigram("categories", "name"),
		trigram("categories", "slug"),
	}
}

// Indexes of the Tag: its list is searched by name.
func (Tag) Indexes() []ent.Index {
	return []ent.Index{
		trigram("tags", "name"),
	}
}
