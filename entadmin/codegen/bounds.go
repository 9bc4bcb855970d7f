package codegen

import (
	"go/ast"
	"go/constant"
	goparser "go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"

	"entgo.io/ent/entc/gen"
)

// This file reads the numeric bounds of fields from the schema's source.
// ent keeps its validators as closures and tells code generation only how
// many a field has, so the Min, Max, Range, Positive, NonNegative and
// Negative calls of a Fields method are read from the syntax tree, which
// ent's loader has just compiled. Bounds given as anything other than a
// number literal or a constant of the schema package are left out: the
// form then renders no min or max, and ent's validator still applies.

// bounds are the limits of a number field. An empty Min or Max means no
// bound; Open marks a bound that is itself not allowed (Positive and
// Negative on floats).
type bounds struct {
	Min, Max         string
	MinOpen, MaxOpen bool
}

// sourceBounds caches the bounds read per schema directory.
type sourceBounds map[string]map[string]map[string]bounds // dir -> type -> field -> bounds

// of returns the bounds of the fields of t, read from the Go files of the
// directory that declares it; nil when its source cannot be read.
func (s sourceBounds) of(t *gen.Type) map[string]bounds {
	file, _, ok := strings.Cut(t.Pos(), ":")
	if !ok || file == "" {
		return nil
	}
	dir := filepath.Dir(file)
	if _, done := s[dir]; !done {
		s[dir] = readBounds(dir)
	}
	return s[dir][t.Name]
}

// readBounds parses the non-test Go files of dir and returns the bounds
// set in the Fields methods of each type.
func readBounds(dir string) map[string]map[string]bounds {
	fset := token.NewFileSet()
	paths, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	var files []*ast.File
	consts := map[string]ast.Expr{}
	for _, path := range paths {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := goparser.ParseFile(fset, path, nil, goparser.SkipObjectResolution)
		if err != nil {
			continue
		}
		files = append(files, f)
		for _, d := range f.Decls {
			if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.CONST {
				for _, spec := range g.Specs {
					vs := spec.(*ast.ValueSpec)
					for i, n := range vs.Names {
						if i < len(vs.Values) {
							consts[n.Name] = vs.Values[i]
						}
					}
				}
			}
		}
	}
	out := map[string]map[string]bounds{}
	for _, f := range files {
		pkg := importName(f, "entgo.io/ent/schema/field", "field")
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Name.Name != "Fields" || fn.Recv == nil || len(fn.Recv.List) != 1 || fn.Body == nil {
				continue
			}
			typ := receiverName(fn.Recv.List[0].Type)
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				sel, ok := call.Fun.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				kind, name, ok := chainRoot(sel.X, pkg)
				if !ok {
					return true
				}
				b := out[typ][name]
				if applyBound(&b, sel.Sel.Name, call.Args, strings.HasPrefix(kind, "Float"), consts) {
					if out[typ] == nil {
						out[typ] = map[string]bounds{}
					}
					out[typ][name] = b
				}
				return true
			})
		}
	}
	return out
}

// importName is the name under which f imports path (def when unnamed).
func importName(f *ast.File, path, def string) string {
	for _, im := range f.Imports {
		if p, _ := strconv.Unquote(im.Path.Value); p == path && im.Name != nil {
			return im.Name.Name
		}
	}
	return def
}

// receiverName is the type name of a method receiver (T or *T).
func receiverName(e ast.Expr) string {
	if s, ok := e.(*ast.StarExpr); ok {
		e = s.X
	}
	if id, ok := e.(*ast.Ident); ok {
		return id.Name
	}
	return ""
}

// chainRoot follows a call chain such as field.Int("stock").Default(0)
// down to its first call and returns the builder (Int) and the field name.
func chainRoot(e ast.Expr, pkg string) (kind, name string, ok bool) {
	for {
		call, isCall := e.(*ast.CallExpr)
		if !isCall {
			return "", "", false
		}
		sel, isSel := call.Fun.(*ast.SelectorExpr)
		if !isSel {
			return "", "", false
		}
		if id, isID := sel.X.(*ast.Ident); isID && id.Name == pkg {
			if len(call.Args) == 0 {
				return "", "", false
			}
			lit, isLit := call.Args[0].(*ast.BasicLit)
			if !isLit || lit.Kind != token.STRING {
				return "", "", false
			}
			name, err := strconv.Unquote(lit.Value)
			return sel.Sel.Name, name, err == nil
		}
		e = sel.X
	}
}

// applyBound records the bound a validator method call sets; it reports
// whether the call was one.
func applyBound(b *bounds, method string, args []ast.Expr, float bool, consts map[string]ast.Expr) bool {
	num := func(i int) (string, bool) {
		if i >= len(args) {
			return "", false
		}
		return number(args[i], consts, 0)
	}
	switch method {
	case "Min":
		v, ok := num(0)
		if ok {
			b.Min, b.MinOpen = v, false
		}
		return ok
	case "Max":
		v, ok := num(0)
		if ok {
			b.Max, b.MaxOpen = v, false
		}
		return ok
	case "Range":
		lo, ok1 := num(0)
		hi, ok2 := num(1)
		if ok1 && ok2 {
			b.Min, b.Max, b.MinOpen, b.MaxOpen = lo, hi, false, false
		}
		return ok1 && ok2
	case "NonNegative":
		b.Min, b.MinOpen = "0", false
	case "Positive":
		if float {
			b.Min, b.MinOpen = "0", true
		} else {
			b.Min, b.MinOpen = "1", false
		}
	case "Negative":
		if float {
			b.Max, b.MaxOpen = "0", true
		} else {
			b.Max, b.MaxOpen = "-1", false
		}
	default:
		return false
	}
	return true
}

// number evaluates a number literal, a negated one, or a constant of the
// schema package bound to one, as decimal text.
func number(e ast.Expr, consts map[string]ast.Expr, depth int) (string, bool) {
	v, ok := constValue(e, consts, depth)
	if !ok {
		return "", false
	}
	switch v.Kind() {
	case constant.Int:
		return v.ExactString(), true
	case constant.Float:
		f, _ := constant.Float64Val(v)
		return strconv.FormatFloat(f, 'f', -1, 64), true
	}
	return "", false
}

func constValue(e ast.Expr, consts map[string]ast.Expr, depth int) (constant.Value, bool) {
	if depth > 8 {
		return nil, false
	}
	switch e := e.(type) {
	case *ast.BasicLit:
		v := constant.MakeFromLiteral(e.Value, e.Kind, 0)
		return v, v.Kind() == constant.Int || v.Kind() == constant.Float
	case *ast.ParenExpr:
		return constValue(e.X, consts, depth+1)
	case *ast.UnaryExpr:
		if e.Op != token.SUB && e.Op != token.ADD {
			return nil, false
		}
		v, ok := constValue(e.X, consts, depth+1)
		if !ok {
			return nil, false
		}
		return constant.UnaryOp(e.Op, v, 0), true
	case *ast.Ident:
		if x, ok := consts[e.Name]; ok {
			return constValue(x, consts, depth+1)
		}
	}
	return nil, false
}

// readBounds sets the bounds of r's number fields from the schema source.
func (r *resource) readBounds(src sourceBounds) {
	byField := src.of(r.T)
	for _, f := range r.Fields {
		if f.Field != nil && f.Field.Type.Numeric() {
			f.Bounds = byField[f.Name]
		}
	}
}
