package views

import (
	"strconv"

	"github.com/a-h/templ"
)

// PageFrame is what the frame of a page shows besides the navigation: the
// user menu, the theme menu, and the assets of the page's resource.
type PageFrame struct {
	LogoutURL   string // the header's "Log out" button posts here; "" for none
	PasswordURL string // the user's change-password form; "" for none
	SiteURL     string // "View site"; "" for none

	Theme    string   // the data-theme of the page, "" to follow the system
	Themes   []Choice // the theme menu, the current theme selected
	ThemeURL string   // where the theme menu posts
	Return   string   // the page's own URL, where a header form comes back to

	CSS []string // extra stylesheets, loaded after the admin's
	JS  []string // extra scripts, deferred

	BodyClass string // e.g. "login-page"

	// Frame replaces parts of the frame: a site's WithViews sets it.
	Frame Frame
}

// Frame holds the replaceable parts of every page's frame. Unset parts
// keep the defaults: Header, Navigation and Footer, which a replacement
// may wrap.
type Frame struct {
	Header     func(Page) templ.Component // the top bar with the user menu
	Navigation func(Page) templ.Component // the sidebar
	Footer     func(Page) templ.Component // below the content
}

// or returns f with its unset parts taken from fallback.
func (f Frame) or(fallback Frame) Frame {
	if f.Header == nil {
		f.Header = fallback.Header
	}
	if f.Navigation == nil {
		f.Navigation = fallback.Navigation
	}
	if f.Footer == nil {
		f.Footer = fallback.Footer
	}
	return f
}

// header, navigation and footer return the page's parts, the defaults
// where the frame leaves them unset.
func (p Page) header() templ.Component {
	if p.Frame.Header != nil {
		return p.Frame.Header(p)
	}
	return Header(p)
}

func (p Page) navigation() templ.Component {
	if p.Frame.Navigation != nil {
		return p.Frame.Navigation(p)
	}
	return Navigation(p)
}

func (p Page) footer() templ.Component {
	if p.Frame.Footer != nil {
		return p.Frame.Footer(p)
	}
	return Footer(p)
}

// dashboardSectionID is the id of the heading of the dashboard's i-th
// section.
func dashboardSectionID(i int) string { return "dashboard-section-" + strconv.Itoa(i) }
