package entadmin

import (
	"fmt"
	"strconv"
)

// Bounds are the limits ent's validators put on a number field (Min, Max,
// Range, Positive, NonNegative, Negative), as decimal text read from the
// schema's source at code generation; "" means no bound. An open bound is
// itself not allowed (Positive and Negative on floats). The form renders
// them as the input's min and max and words the validator's error with
// them; ent's validator remains what enforces them.
type Bounds struct {
	Min, Max         string
	MinOpen, MaxOpen bool
}

// violation is the message for a number outside b, or "" when v is within
// it (its validator failed on another rule) or b is unknown.
func (b Bounds) violation(v any) string {
	x, err := strconv.ParseFloat(fmt.Sprint(v), 64)
	if err != nil {
		return ""
	}
	if lo, err := strconv.ParseFloat(b.Min, 64); err == nil {
		switch {
		case b.MinOpen && x <= lo:
			return "Ensure this value is greater than " + b.Min + "."
		case x < lo:
			return "Ensure this value is greater than or equal to " + b.Min + "."
		}
	}
	if hi, err := strconv.ParseFloat(b.Max, 64); err == nil {
		switch {
		case b.MaxOpen && x >= hi:
			return "Ensure this value is less than " + b.Max + "."
		case x > hi:
			return "Ensure this value is less than or equal to " + b.Max + "."
		}
	}
	return ""
}
