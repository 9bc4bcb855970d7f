//go:build ignore

// Command entc generates the ent client of entadmin's own models into ./ent,
// with entadmin's own extension: the admin's users and groups are managed
// through the same annotations as any application's schema. It runs from
// ./ent, through go generate ./ent.
package main

import (
	"log"

	"entgo.io/ent/entc"
	"entgo.io/ent/entc/gen"

	"github.com/entadmin/entadmin/entadmin/codegen"
)

func main() {
	err := entc.Generate("./schema", &gen.Config{},
		entc.Extensions(codegen.New()),
		// ExecContext and QueryContext on the client, for statements ent
		// does not model, such as making the sessions table UNLOGGED.
		entc.FeatureNames("sql/execquery"),
	)
	if err != nil {
		log.Fatal("running ent codegen: ", err)
	}
}
