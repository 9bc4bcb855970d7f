package views

//go:generate go tool templ generate -path . -include-version=false
