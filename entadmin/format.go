package entadmin

import (
	"encoding/json"
	"fmt"
	"github.com/entadmin/entadmin/entadmin/store"
	"strconv"
	"strings"
	"time"

	"github.com/entadmin/entadmin/views"
)

// Formats of times in lists and in inputs.
const (
	listTimeFormat  = "2006-01-02 15:04"
	inputTimeFormat = "2006-01-02T15:04"
	inputDateFormat = "2006-01-02"
)

// formatCell formats a value for a list cell or a read-only field: booleans
// as badges, floats with two decimals, times as YYYY-MM-DD HH:MM, enums by
// label, edges by the related entity's name, and unset values as empty.
func formatCell[T any](f *Field[T], v any, loc *time.Location, empty string) views.Cell {
	cell := views.Cell{Numeric: f.Kind.Numeric()}
	switch v := v.(type) {
	case nil:
		return views.Cell{Kind: views.CellEmpty, Text: empty}
	case bool:
		cell.Kind, cell.Bool = views.CellBool, v
	case string:
		if v == "" {
			return views.Cell{Kind: views.CellEmpty, Text: empty}
		}
		cell.Text = v
	case float64:
		cell.Text = strconv.FormatFloat(v, 'f', 2, 64)
	case float32:
		cell.Text = strconv.FormatFloat(float64(v), 'f', 2, 32)
	case int:
		cell.Text = strconv.Itoa(v)
	case int64:
		cell.Text = strconv.FormatInt(v, 10)
	case time.Time:
		if v.IsZero() {
			return views.Cell{Kind: views.CellEmpty, Text: empty}
		}
		cell.Text = v.In(loc).Format(listTimeFormat)
	case store.Ref:
		cell.Text = v.Label
	case []store.Ref:
		if len(v) == 0 {
			return views.Cell{Kind: views.CellEmpty, Text: empty}
		}
		cell.Text = joinRefs(v)
	default:
		cell.Text = formatOther(f, v)
	}
	return cell
}

// formatOther formats values of named and composite types.
func formatOther[T any](f *Field[T], v any) string {
	switch f.Kind {
	case KindEnum:
		var s string
		if str, ok := v.(fmt.Stringer); ok { // ent's enum types, without fmt's reflection
			s = str.String()
		} else {
			s = fmt.Sprint(v)
		}
		for _, e := range f.Enums {
			if e.Value == s {
				return e.Label
			}
		}
		return s
	case KindJSON:
		b, err := json.Marshal(v)
		if err != nil {
			return fmt.Sprint(v)
		}
		return string(b)
	}
	return fmt.Sprint(v)
}

// inputValue formats a value as a form input takes it.
func inputValue[T any](f *Field[T], v any, loc *time.Location) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case bool:
		return strconv.FormatBool(v)
	case int:
		return strconv.Itoa(v)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case float32:
		return strconv.FormatFloat(float64(v), 'f', -1, 32)
	case time.Time:
		if v.IsZero() {
			return ""
		}
		if f.Widget == views.WidgetDate {
			return v.In(loc).Format(inputDateFormat)
		}
		return v.In(loc).Format(inputTimeFormat)
	case store.Ref:
		return v.ID
	}
	if f.Kind == KindJSON {
		b, err := json.MarshalIndent(v, "", "  ")
		if err == nil {
			return string(b)
		}
	}
	return fmt.Sprint(v)
}

// maxRefs is how many names a to-many column shows before "+N more".
const maxRefs = 3

// joinRefs names the entities of a to-many column: the first few, then how
// many more there are.
func joinRefs(refs []store.Ref) string {
	if len(refs) == 1 {
		return refs[0].Label
	}
	shown := refs[:min(len(refs), maxRefs)]
	size := len(" +1000 more")
	for _, r := range shown {
		size += len(r.Label) + len(", ")
	}
	var b strings.Builder
	b.Grow(size)
	for i, r := range shown {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(r.Label)
	}
	if n := len(refs) - maxRefs; n > 0 {
		var num [20]byte
		b.WriteString(" +")
		b.Write(strconv.AppendInt(num[:0], int64(n), 10))
		b.WriteString(" more")
	}
	return b.String()
}
