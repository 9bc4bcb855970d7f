// Package views renders entadmin's pages with templ.
//
// Every page takes a view model shaped like the screen (ListPage, FormPage,
// ...); the runtime builds them, so a replacement view needs no knowledge of
// ent or of the runtime. The default components are exported, so a custom view
// can wrap them instead of copying them: see Views.
package views

import (
	"github.com/a-h/templ"
)

// Page is what every page shares: the frame around its content.
type Page struct {
	SiteTitle   string       // the site's title, in the header and the browser tab
	Title       string       // the page's own title, shown as its heading
	Prefix      string       // the mount prefix of the admin, "" or like "/admin"
	Nav         []NavSection // the resources and pages the user may see, by section
	Breadcrumbs []Link       // from the dashboard down to this page
	Messages    []Message    // one-time messages, e.g. "The product was added."
	User        string       // the user's display name; "" when the site runs open
	Notice      string       // a site-wide notice, e.g. that authentication is off

	// The header's user menu and theme menu, and the page's extra assets
	// (frame.go).
	PageFrame
}

// NavSection is a titled group of the navigation, e.g. "Shop".
type NavSection struct {
	Label string
	Items []NavItem
}

// NavItem is one entry of the navigation.
type NavItem struct {
	Label  string
	URL    string
	Active bool
}

// Link is a labelled URL.
type Link struct {
	Label string
	URL   string
}

// Message levels.
const (
	LevelSuccess = "success"
	LevelInfo    = "info"
	LevelWarning = "warning"
	LevelError   = "error"
)

// Message is a one-time message shown at the top of a page.
type Message struct {
	Level string // one of the Level constants
	Text  string
}

// DashboardPage lists the resources of the site.
type DashboardPage struct {
	Page
	Sections []DashboardSection
	// Recent lists the latest audit entries: the user's own, everyone's
	// for superusers (audit.templ).
	Recent      []AuditRow
	RecentTitle string
}

// DashboardSection is a titled group of resources on the dashboard, e.g.
// "Shop".
type DashboardSection struct {
	Label string
	Items []DashboardItem
}

// DashboardItem is one resource on the dashboard.
type DashboardItem struct {
	Label   string // plural label, e.g. "Products"
	Count   string // e.g. "12 categories", "about 1.2 million orders"; "" when not counted
	ListURL string
	AddURL  string // "" when the user may not add
}

// ListPage is a resource's list view.
type ListPage struct {
	Page
	ListURL       string  // the list without parameters
	AddURL        string  // "" when the user may not add
	AddLabel      string  // e.g. "Add product"
	Searchable    bool    // the resource has search fields
	Search        string  // the current search text
	SearchKeep    []Param // parameters the search form carries along (filters, ordering)
	Columns       []Column
	Rows          []Row
	Filters       []Filter
	ClearURL      string // resets search and filters; "" when none is active
	Pagination    Pagination
	EmptyText     string // shown when there are no rows
	ResultSummary string // e.g. "3 of 120 products"

	// Chooser lets the user hide columns; nil with fewer than two columns.
	Chooser *ColumnChooser
	// FacetsURL shows or hides the filters' counts; "" when the resource
	// has none.
	FacetsURL   string
	FacetsShown bool

	// Counting, date drill-down and export (listspeed.go).

	// CountNote says how ResultSummary was counted when not exactly, e.g.
	// "Estimated from the database's statistics"; "" for an exact count.
	CountNote string
	// DateNav is the date drill-down; nil when the list has none.
	DateNav *DateNav
	// ExportURL downloads the list as CSV; "" when it cannot be exported.
	ExportURL string

	// Bulk actions, inline editing and endpoints (actions.go).

	// FormURL is where the list's form posts bulk actions: the list with
	// its parameters; "" without actions and editable columns.
	FormURL string
	Actions *ActionBar // nil when the user may run no bulk action
	Edit    *ListEdit  // nil without editable columns
	Tools   []Tool     // buttons of custom endpoints
}

// ColumnChooser is the form that picks the columns a list shows.
type ColumnChooser struct {
	Action  string   // where the form posts
	Return  string   // the list's query string, to come back to
	Columns []Choice // Value is the column's name; Selected when shown
}

// Param is one query parameter.
type Param struct {
	Name  string
	Value string
}

// Column is one column header of a list.
type Column struct {
	Label   string
	SortURL string // "" when the column cannot be sorted
	Sorted  int    // 1 ascending, -1 descending, 0 not sorted
	Numeric bool   // right-aligned
	Width   string // one of the Width constants

	SortPriority int // with several sorted columns: 1 for the first, 2, ...
}

// The widths of a list's columns, chosen from the type of their values.
const (
	WidthAuto   = ""       // text and relations: the room the others leave
	WidthNarrow = "narrow" // numbers, dates, yes/no and choices: as wide as their values
)

// Row is one entity in a list.
type Row struct {
	ID    string
	URL   string // the edit form
	Cells []Cell
	Name  string // the entity's display name, for the labels of its checkbox and inputs

	// DeleteURL is the row's delete confirmation page, and ConfirmDeleteURL
	// the dialog that htmx opens instead; "" when the user may not delete
	// the row.
	DeleteURL, ConfirmDeleteURL string
}

// Cell kinds.
const (
	CellText  = iota // Text as it is
	CellEmpty        // no value: Text holds the empty value display
	CellBool         // a yes/no badge from Bool
	CellHTML         // the component HTML, e.g. of a computed column
)

// Cell is one value in a list.
type Cell struct {
	Kind    int // one of the Cell constants
	Text    string
	Bool    bool
	Link    string // when set, the cell links there (the edit form or a related entity)
	Numeric bool   // right-aligned

	HTML templ.Component // CellHTML

	Input *CellInput // an editable cell (list_editable); nil otherwise
}

// Filter is one filter of the list's sidebar.
type Filter struct {
	Title   string
	Choices []Choice
	Param   string // the query parameter of the filter
	// Note is a line above the choices: that they are the first of more,
	// e.g. "Showing the first 100 of 1,234 categories", or that none match
	// the search.
	Note string
	// SearchURL narrows the choices by a search of the related entities
	// (an htmx fragment, see FilterChoices); "" for no search box.
	SearchURL   string
	SearchLabel string  // names the search box, e.g. "Search categories"
	Search      string  // the text the choices are narrowed by
	Keep        []Param // the list's parameters the search form carries
}

// FilterSearchField and FilterSearchText are the query parameters of a
// filter's search: the filter's parameter and the text.
const (
	FilterSearchField = "_filter"
	FilterSearchText  = "_filter_q"
)

// MaxFilterSearch bounds the characters of a filter's search text.
const MaxFilterSearch = 200

// Choice is one option: of a filter (URL set), a select or a radio group
// (Value set).
type Choice struct {
	Label    string
	Value    string
	URL      string
	Selected bool
	Count    string // filters with facet counts: the rows the choice gives
}

// Pagination is the page links below a list.
type Pagination struct {
	Page    int // current page, from 1
	Pages   int
	PrevURL string // "" on the first page
	NextURL string // "" on the last page
	Links   []PageLink
}

// PageLink is one numbered page link; Gap marks an ellipsis instead.
type PageLink struct {
	Number  int // from 1; negative counts from the end: -1 is the last page
	URL     string
	Current bool
	Gap     bool
}

// FormPage is a resource's add or edit form.
type FormPage struct {
	Page
	Action    string // where the form posts
	IsAdd     bool
	ReadOnly  bool // view only: no inputs, no save buttons
	Errors    []string
	Fieldsets []Fieldset
	DeleteURL string // "" when the user may not delete, or on add
	CancelURL string // back to the list

	// Optimistic locking and history (audit.templ).
	Version    string    // the version the form was loaded at; "" on add
	Loaded     string    // when the form was loaded (RFC 3339)
	HistoryURL string    // the object's history, "" on add
	Conflict   *Conflict // set when another user saved since Loaded

	// Complete edit form.

	ConfirmDeleteURL string // the delete dialog fragment, opened with htmx from the delete link
	SaveOnTop        bool   // the save buttons above the form too
	ViewOnSiteURL    string // "View on site"; "" for none
	// Inlines and save as new.

	Inlines []Inline // related entities edited with this one
	// Parts are further parts of the form, rendered after the fieldsets,
	// such as the permission picker of groups and users.
	Parts  []templ.Component
	SaveAs bool // offer "Save as new" (Django's save_as)

	Tools []Tool // buttons of custom endpoints (actions.go)

	// Object tools.

	ObjectTools []Link // extra links of the object, e.g. "Change password"
}

// Fieldset is a titled group of form fields. A fieldset without a title
// renders its fields without a frame.
type Fieldset struct {
	Title       string
	Description string          // plain text, escaped
	Body        templ.Component // markup shown after the description; nil for none
	Collapsed   bool
	Fields      []Field
}

// Widgets a Field renders as.
const (
	WidgetText     = "text"
	WidgetTextarea = "textarea"
	WidgetNumber   = "number"
	WidgetCheckbox = "checkbox"
	WidgetToggle   = "toggle"
	WidgetSelect   = "select"
	WidgetDate     = "date"
	WidgetDateTime = "datetime"
	WidgetColor    = "color"
	WidgetPassword = "password"
	WidgetJSON     = "json"
	WidgetReadOnly = "readonly" // Display shown as text

	// Widgets of relations and choices.

	WidgetRadio        = "radio"        // Choices as radio buttons, laid out by Layout
	WidgetAutocomplete = "autocomplete" // a search input over SearchURL; Value is the id, Ref its name
	WidgetRawID        = "rawid"        // the related id, LookupURL to find it, Ref its name
	WidgetDual         = "dual"         // a multiple select of Choices (Selected: chosen), two lists with a script
)

// Field is one form field.
type Field struct {
	Name      string // the input's name
	ID        string // the input's id, tied to its label
	Label     string
	Help      string
	Widget    string // one of the Widget constants
	Value     string // the value as the input takes it
	Checked   bool   // checkbox and toggle
	Choices   []Choice
	Required  bool
	Display   string // WidgetReadOnly: the value shown
	Error     string
	Step      string // number inputs
	Min       string
	Max       string
	MaxLength int // text inputs; 0 for no limit

	// Attrs are extra attributes of the input, such as placeholder or rows;
	// number inputs take step, min and max from their own fields.
	Attrs map[string]string

	// Relations, choices and live validation.

	Layout      string   // radio and dual: "horizontal" or "vertical"
	Ref         string   // autocomplete and raw id: the name of the related entity
	SearchURL   string   // autocomplete and dual: the JSON search of the related entities
	LookupURL   string   // raw id: the related list, to look an id up
	MoreChoices bool     // dual: Choices holds the first available entities only; the rest are searched on the server
	ValidateURL string   // the input posts the form here on blur and shows the answer as its error
	Prepopulate []string // ids of the inputs this one is filled from as the user types
	Slugify     bool     // prepopulated values are slugified
}

// DeletePage confirms a delete and lists what it takes along.
type DeletePage struct {
	Page
	Object    string // the entity's display name
	TypeLabel string // e.g. "product"
	Action    string // where the confirmation posts
	CancelURL string
	Related   []Related
	Protected bool // related rows keep the entity from being deleted
}

// Effects a delete has on related rows.
const (
	EffectDeleted   = "deleted"   // cascade
	EffectUnlinked  = "unlinked"  // the reference is cleared, or a link row removed
	EffectProtected = "protected" // the delete fails while they exist
)

// Related is one group of rows a delete affects.
type Related struct {
	Label  string // e.g. "Product images"
	Effect string // one of the Effect constants
	Items  []Link
	More   int // rows not listed
}

// ErrorPage reports an error such as 404 or 403.
type ErrorPage struct {
	Page
	Status  int
	Message string
}

// Views holds the component of every page. A site or a resource replaces
// one by setting it; unset ones fall back to the defaults of Default.
type Views struct {
	Dashboard func(DashboardPage) templ.Component
	List      func(ListPage) templ.Component
	Form      func(FormPage) templ.Component
	Delete    func(DeletePage) templ.Component
	Error     func(ErrorPage) templ.Component

	Action  func(ActionPage) templ.Component  // confirmation of a bulk action
	History func(HistoryPage) templ.Component // history and audit pages
	Login   func(LoginPage) templ.Component   // the login page

	// Frame replaces parts of the frame of every page.
	Frame Frame
}

// Default returns the default views.
func Default() Views {
	return Views{
		Dashboard: DashboardView,
		List:      ListView,
		Form:      FormView,
		Delete:    DeleteView,
		Error:     ErrorView,
		Action:    ActionView,
		History:   HistoryView,
		Login:     LoginView,
	}
}

// Or returns v with its unset views taken from fallback.
func (v Views) Or(fallback Views) Views {
	if v.Dashboard == nil {
		v.Dashboard = fallback.Dashboard
	}
	if v.List == nil {
		v.List = fallback.List
	}
	if v.Form == nil {
		v.Form = fallback.Form
	}
	if v.Delete == nil {
		v.Delete = fallback.Delete
	}
	if v.Error == nil {
		v.Error = fallback.Error
	}
	if v.Action == nil {
		v.Action = fallback.Action
	}
	if v.History == nil {
		v.History = fallback.History
	}
	if v.Login == nil {
		v.Login = fallback.Login
	}
	v.Frame = v.Frame.or(fallback.Frame)
	return v
}
