package views

// LoginPage is the login form.
type LoginPage struct {
	Page
	Action   string // where the form posts
	Username string // kept after a failed attempt
	Next     string // where to go after logging in; carried in a hidden field
	Error    string // e.g. "Please enter a correct username and password."
}

// LogoutPage asks to confirm a logout: logging out changes state, so it
// takes a POST, and a GET of the logout page only shows the button.
type LogoutPage struct {
	Page
	Action string // where the form posts
}

// loginFrame is the frame of the login page: no navigation, the card in
// the middle.
func loginFrame(p Page) Page {
	p.Nav = nil
	p.BodyClass = "login-page"
	return p
}
