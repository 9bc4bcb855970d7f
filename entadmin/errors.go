package entadmin

import (
	"errors"

	"github.com/entadmin/entadmin/entadmin/store"
)

// inputError is a message for the user about a value they typed, written
// as a sentence to show beside the field.
type inputError = store.InputError

// FieldError is an error about one field, which the form shows beside it.
// Hooks (ent hooks included) return it to refuse a value; the save is then
// rolled back and the form comes back with the user's values.
type FieldError struct {
	Field   string // the field's name
	Message string // a sentence for the user
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Message }

// FormError is an error about a whole form, which the form shows at its
// top. Hooks return it to refuse a save.
type FormError struct {
	Message string // a sentence for the user
}

func (e *FormError) Error() string { return e.Message }

// ErrNotFound is returned for an id that names no entity.
var ErrNotFound = errors.New("entadmin: not found")
