package views

import (
	"context"

	"github.com/a-h/templ"
)

// The frame of every page is written directly, as a list's rows are (see
// directly): its links, menus and navigation are the same on every page,
// and templ allocated for most of their values.

// levelClass maps a message level to its class, unknown levels to info.
func levelClass(level string) string {
	switch level {
	case LevelSuccess:
		return "message-" + LevelSuccess
	case LevelWarning:
		return "message-" + LevelWarning
	case LevelError:
		return "message-" + LevelError
	}
	return "message-" + LevelInfo
}

// Layout is the frame of every page: head, header, navigation, notice,
// breadcrumbs and messages around the page's content, its children.
func Layout(p Page) templ.Component {
	return directly(func(ctx context.Context, hw *htmlWriter) error {
		ctx = templ.InitializeContext(ctx)
		children := templ.GetChildren(ctx)
		ctx = templ.ClearChildren(ctx)
		hw.raw(`<!doctype html><html lang="en"`)
		if p.Theme != "" {
			hw.raw(` data-theme="`)
			hw.text(p.Theme)
			hw.raw(`"`)
		}
		hw.raw(`><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="htmx-config" content='{"includeIndicatorStyles":false}'><title>`)
		// "Title | Site", or the site's title alone on a page without its own.
		switch {
		case p.Title == "":
			hw.text(p.SiteTitle)
		case p.SiteTitle == "":
			hw.text(p.Title)
		default:
			hw.text(p.Title)
			hw.raw(" | ")
			hw.text(p.SiteTitle)
		}
		hw.raw(`</title><link rel="icon" type="image/svg+xml" href="`)
		hw.prefixedURL(p.Prefix, "/static/favicon.svg")
		hw.raw(`"><link rel="stylesheet" href="`)
		hw.prefixedURL(p.Prefix, "/static/admin.css")
		hw.raw(`"><link rel="stylesheet" href="`)
		hw.prefixedURL(p.Prefix, "/static/frame.css")
		hw.raw(`">`)
		for _, href := range p.CSS {
			hw.raw(`<link rel="stylesheet" href="`)
			hw.url(href)
			hw.raw(`">`)
		}
		for _, js := range []string{"/static/htmx.min.js", "/static/admin.js", "/static/widgets.js", "/static/frame.js"} {
			hw.raw(`<script src="`)
			hw.text(p.Prefix)
			hw.raw(js)
			hw.raw(`" defer></script>`)
		}
		for _, src := range p.JS {
			hw.raw(`<script src="`)
			hw.text(src)
			hw.raw(`" defer></script>`)
		}
		hw.raw(`</head><body class="`)
		hw.text(p.BodyClass)
		hw.raw(`"><a class="skip-link" href="#content">Skip to content</a>`)
		hw.component(ctx, p.header())
		if p.Notice != "" {
			hw.raw(`<div class="notice" role="note">`)
			hw.text(p.Notice)
			hw.raw(`</div>`)
		}
		if len(p.Nav) == 0 {
			hw.raw(`<div class="shell no-sidebar">`)
		} else {
			hw.raw(`<div class="shell">`)
		}
		hw.component(ctx, p.navigation())
		hw.raw(`<div class="page">`)
		if len(p.Breadcrumbs) > 0 {
			hw.raw(`<nav class="breadcrumbs" aria-label="Breadcrumb"><ol>`)
			last := len(p.Breadcrumbs) - 1
			for i, b := range p.Breadcrumbs {
				hw.raw(`<li>`)
				switch {
				case b.URL != "" && i < last:
					hw.raw(`<a href="`)
					hw.url(b.URL)
					hw.raw(`">`)
					hw.text(b.Label)
					hw.raw(`</a>`)
				case i == last:
					hw.raw(`<span aria-current="page">`)
					hw.text(b.Label)
					hw.raw(`</span>`)
				default:
					hw.raw(`<span>`)
					hw.text(b.Label)
					hw.raw(`</span>`)
				}
				hw.raw(`</li>`)
			}
			hw.raw(`</ol></nav>`)
		}
		hw.messages(p.Messages)
		hw.raw(`<main id="content" tabindex="-1">`)
		if p.Title != "" {
			hw.raw(`<h1>`)
			hw.text(p.Title)
			hw.raw(`</h1>`)
		}
		hw.component(ctx, children)
		hw.raw(`</main>`)
		hw.component(ctx, p.footer())
		hw.raw(`</div></div></body></html>`)
		return hw.err
	})
}

// Messages is the live region of the one-time messages. It is rendered even
// without messages, so that messages added later are announced.
func Messages(ms []Message) templ.Component {
	return directly(func(_ context.Context, hw *htmlWriter) error {
		hw.messages(ms)
		return hw.err
	})
}

// messages writes the live region of the messages (see Messages).
func (h *htmlWriter) messages(ms []Message) {
	h.raw(`<div class="messages" id="messages" role="status" aria-live="polite">`)
	for _, m := range ms {
		h.raw(`<div class="message `)
		h.raw(levelClass(m.Level))
		h.raw(`"><span class="message-text">`)
		h.text(m.Text)
		h.raw(`</span> <button type="button" class="message-close" aria-label="Dismiss message">×</button></div>`)
	}
	h.raw(`</div>`)
}

// Header is the default top bar: the site's title, the theme menu and the
// user menu (name, view site, change password, log out).
func Header(p Page) templ.Component {
	return directly(func(_ context.Context, hw *htmlWriter) error {
		hw.raw(`<header class="topbar"><a class="brand" href="`)
		hw.prefixedURL(p.Prefix, "/")
		hw.raw(`">`)
		hw.text(p.SiteTitle)
		hw.raw(`</a><div class="topbar-tools">`)
		if p.ThemeURL != "" && len(p.Themes) > 0 {
			hw.raw(`<form class="theme-form" method="post" action="`)
			hw.url(p.ThemeURL)
			hw.raw(`"><label for="theme-select">Theme</label> <select id="theme-select" name="theme" data-theme-select>`)
			for _, c := range p.Themes {
				hw.option(c)
			}
			hw.raw(`</select> <input type="hidden" name="next" value="`)
			hw.text(p.Return)
			hw.raw(`"> <button type="submit" class="btn btn-sm" data-theme-apply>Apply</button></form>`)
		}
		if p.User != "" {
			hw.raw(`<nav class="user-menu" aria-label="Account"><span class="user"><span class="visually-hidden">Signed in as </span>`)
			hw.text(p.User)
			hw.raw(`</span> `)
			if p.SiteURL != "" {
				hw.raw(`<a href="`)
				hw.text(p.SiteURL) // the site's own setting: trusted, as templ.SafeURL
				hw.raw(`">View site</a> `)
			}
			if p.PasswordURL != "" {
				hw.raw(`<a href="`)
				hw.url(p.PasswordURL)
				hw.raw(`">Change password</a> `)
			}
			if p.LogoutURL != "" {
				hw.raw(`<form class="logout-form" method="post" action="`)
				hw.url(p.LogoutURL)
				hw.raw(`"><button type="submit" class="logout-button">Log out</button></form>`)
			}
			hw.raw(`</nav>`)
		}
		hw.raw(`</div></header>`)
		return hw.err
	})
}

// Navigation is the default sidebar: the resources and pages the user may
// open, by section.
func Navigation(p Page) templ.Component {
	return directly(func(_ context.Context, hw *htmlWriter) error {
		if len(p.Nav) == 0 {
			return nil
		}
		hw.raw(`<nav class="sidebar" aria-label="Navigation">`)
		for i, sec := range p.Nav {
			hw.raw(`<div class="nav-section"><span class="nav-section-title" id="nav-section-`)
			hw.int(i)
			hw.raw(`">`)
			hw.text(sec.Label)
			hw.raw(`</span><ul aria-labelledby="nav-section-`)
			hw.int(i)
			hw.raw(`">`)
			for _, n := range sec.Items {
				hw.raw(`<li><a href="`)
				hw.url(n.URL)
				if n.Active {
					hw.raw(`" class="active" aria-current="page">`)
				} else {
					hw.raw(`" class="">`)
				}
				hw.text(n.Label)
				hw.raw(`</a></li>`)
			}
			hw.raw(`</ul></div>`)
		}
		hw.raw(`</nav>`)
		return hw.err
	})
}

// option writes an option of a select, selected or not.
func (h *htmlWriter) option(c Choice) {
	h.raw(`<option value="`)
	h.text(c.Value)
	if c.Selected {
		h.raw(`" selected>`)
	} else {
		h.raw(`">`)
	}
	h.text(c.Label)
	h.raw(`</option>`)
}
