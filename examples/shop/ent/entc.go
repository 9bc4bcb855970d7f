//go:build ignore

package main

import (
	"log"

	"entgo.io/ent/entc"
	"entgo.io/ent/entc/gen"

	"github.com/entadmin/entadmin/entadmin/codegen"
)

func main() {
	if err := entc.Generate("./schema", &gen.Config{}, entc.Extensions(codegen.New())); err != nil {
		log.Fatal("running ent codegen: ", err)
	}
}
