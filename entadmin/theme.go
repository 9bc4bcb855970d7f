package entadmin

import (
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/entadmin/entadmin/views"
)

// ThemeConfig is a theme of the admin: CSS custom properties set on top of
// the default ones when the page's data-theme attribute names it. Register
// one with WithTheme; it is listed in the header's theme menu.
//
//	entadmin.WithTheme(entadmin.ThemeConfig{
//		Name:  "brand",
//		Label: "Brand purple",
//		Vars:  map[string]string{"--primary": "#7c3aed", "--primary-hover": "#6d28d9"},
//	})
type ThemeConfig struct {
	Name  string            // unique, lower case, e.g. "brand"; the data-theme value
	Label string            // shown in the theme menu, e.g. "Brand purple"
	Vars  map[string]string // custom properties, e.g. "--primary": "#7c3aed"
	Dark  bool              // a dark theme: the browser's own controls are drawn dark
}

// The built-in themes. ThemeAuto follows the system's light or dark
// setting and is the default.
const (
	ThemeAuto         = "auto"
	ThemeLight        = "light"
	ThemeDark         = "dark"
	ThemeHighContrast = "high-contrast"
)

// HighContrastTheme is the built-in high-contrast theme: white on black,
// yellow links and focus, every border visible.
var HighContrastTheme = ThemeConfig{
	Name:  ThemeHighContrast,
	Label: "High contrast",
	Dark:  true,
	Vars: map[string]string{
		"--bg": "#000000", "--card": "#000000", "--text": "#ffffff", "--muted": "#e6e6e6",
		"--border": "#ffffff", "--input-border": "#ffffff", "--primary": "#ffff00", "--primary-hover": "#ffff66",
		"--on-primary": "#000000", "--link": "#ffff00", "--btn": "#000000", "--btn-hover": "#333333",
		"--input": "#000000", "--header-bg": "#000000", "--header-text": "#ffffff", "--header-muted": "#ffffff",
		"--nav-active": "#333300", "--zebra": "#000000", "--row-hover": "#1a1a1a", "--focus": "#ffff00",
		"--danger": "#ff8080", "--danger-hover": "#ffb3b3", "--danger-bg": "#000000", "--danger-strong": "#ff8080",
		"--danger-strong-hover": "#ffb3b3", "--success": "#80ff80", "--success-bg": "#000000",
		"--warning": "#ffff00", "--warning-bg": "#000000", "--info": "#80c0ff", "--info-bg": "#000000",
		"--neutral-bg": "#1a1a1a", "--toggle-off": "#ffffff", "--knob": "#000000",
	},
}

// themeName is what a theme's name may be: it is written into CSS
// selectors and cookies as it is.
var themeName = regexp.MustCompile(`^[a-z][a-z0-9-]{0,39}$`)

// cssVar is what a custom property's name may be, and cssValue what its
// value may hold: no braces, semicolons or angle brackets that would end
// the rule or the stylesheet.
var (
	cssVar   = regexp.MustCompile(`^--[a-zA-Z0-9-]{1,60}$`)
	cssValue = regexp.MustCompile(`^[^{};<>\\]{1,200}$`)
)

// WithTheme registers a theme, listed in the theme menu after the built-in
// ones. A theme of the same name replaces the earlier one. The site's
// Handler panics on a theme whose name, properties or values could not be
// written into a stylesheet as they are.
func WithTheme(t ThemeConfig) Option {
	return func(s *Site) {
		s.themes = slices.DeleteFunc(s.themes, func(o ThemeConfig) bool { return o.Name == t.Name })
		s.themes = append(s.themes, t)
	}
}

// Themes returns the themes of the site's theme menu, the built-in ones
// first; ThemeAuto's has no properties.
func (s *Site) Themes() []ThemeConfig {
	out := []ThemeConfig{{Name: ThemeAuto, Label: "Auto (system)"}, {Name: ThemeLight, Label: "Light"}, {Name: ThemeDark, Label: "Dark", Dark: true}}
	return append(out, s.themes...)
}

// checkThemes returns an error naming the first registered theme that
// cannot be written into a stylesheet.
func (s *Site) checkThemes() error {
	for _, t := range s.themes {
		switch {
		case !themeName.MatchString(t.Name):
			return fmt.Errorf("entadmin: theme %q: the name must be lower-case letters, digits and hyphens", t.Name)
		case t.Name == ThemeAuto || t.Name == ThemeLight || t.Name == ThemeDark:
			return fmt.Errorf("entadmin: theme %q: the name is a built-in theme's", t.Name)
		case t.Label == "":
			return fmt.Errorf("entadmin: theme %q has no label", t.Name)
		}
		for k, v := range t.Vars {
			if !cssVar.MatchString(k) || !cssValue.MatchString(v) {
				return fmt.Errorf("entadmin: theme %q: property %q: %q is not a custom property and a plain value", t.Name, k, v)
			}
		}
	}
	return nil
}

// ThemeCSS returns the stylesheet of the registered themes: one
// [data-theme="name"] rule each, "" when none is registered.
func (s *Site) ThemeCSS() string {
	var b strings.Builder
	for _, t := range s.themes {
		scheme := "light"
		if t.Dark {
			scheme = "dark"
		}
		fmt.Fprintf(&b, "[data-theme=%q] {\n  color-scheme: %s;\n", t.Name, scheme)
		for _, k := range slices.Sorted(maps.Keys(t.Vars)) {
			fmt.Fprintf(&b, "  %s: %s;\n", k, t.Vars[k])
		}
		b.WriteString("}\n")
	}
	return b.String()
}

// themeKey is the preference key, and themeCookie the cookie, of the
// user's theme.
const (
	themeKey    = "theme"
	themeCookie = "entadmin_theme"
)

// theme returns the theme of r's pages: the user's stored choice, else the
// browser's cookie, "" for ThemeAuto or a theme the site does not have.
func (s *Site) theme(r *http.Request) string {
	name := ""
	if _, u, ok := s.preferences(r); ok {
		name = u.Preference(themeKey)
	}
	if name == "" {
		if c, err := r.Cookie(themeCookie); err == nil {
			name = c.Value
		}
	}
	if name == ThemeAuto || !s.hasTheme(name) {
		return ""
	}
	return name
}

// hasTheme reports whether the theme menu lists the name.
func (s *Site) hasTheme(name string) bool {
	return slices.ContainsFunc(s.Themes(), func(t ThemeConfig) bool { return t.Name == name })
}

// themeChoices are the entries of the theme menu, the current one selected.
func (s *Site) themeChoices(current string) []views.Choice {
	if current == "" {
		current = ThemeAuto
	}
	themes := s.Themes()
	out := make([]views.Choice, len(themes))
	for i, t := range themes {
		out[i] = views.Choice{Value: t.Name, Label: t.Label, Selected: t.Name == current}
	}
	return out
}

// serveTheme keeps the theme the user picked: with the user when the
// Authorizer stores preferences, and in a cookie, so that the login page
// and the first paint of every page have it too. It goes back to the page
// the menu was on.
func (s *Site) serveTheme(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	if err := r.ParseForm(); err != nil {
		return refuse(http.StatusBadRequest, "The form could not be read.")
	}
	name := r.PostForm.Get("theme")
	if !s.hasTheme(name) {
		return refuse(http.StatusBadRequest, "There is no such theme.")
	}
	if store, u, ok := s.preferences(r); ok {
		value := name
		if name == ThemeAuto {
			value = "" // the default is not stored
		}
		if err := store.SetPreference(Unscoped(r.Context()), u, themeKey, value); err != nil {
			return err
		}
	}
	http.SetCookie(w, &http.Cookie{
		Name: themeCookie, Value: name, Path: Prefix(r) + "/", MaxAge: int((365 * 24 * time.Hour).Seconds()),
		HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteLaxMode,
	})
	http.Redirect(w, r, localReturn(r, r.PostForm.Get("next")), http.StatusSeeOther)
	return nil
}

// localReturn returns next when it is a path of the admin serving r, else
// the dashboard: a form's return address must not lead to another site.
func localReturn(r *http.Request, next string) string {
	prefix := Prefix(r)
	if strings.HasPrefix(next, prefix+"/") && !strings.HasPrefix(next, "//") && !strings.ContainsAny(next, "\\\r\n") {
		return next
	}
	return prefix + "/"
}

// themePath is where the theme menu posts, and themesCSS the name of the
// registered themes' stylesheet among the hashed files.
const (
	themePath = "/theme/"
	themesCSS = "themes.css"
)
