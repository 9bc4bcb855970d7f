package views

// RateLimitsPage shows the state of login throttling: the recent failed
// logins by address, by username from an address, and by username.
type RateLimitsPage struct {
	Page
	// Window is how far back failures count, e.g. "15 minutes" ("Failed
	// logins of the last …").
	Window string
	// Scanned is how many failures were read; Truncated, that older ones
	// within the window were left out.
	Scanned   int
	Truncated bool
	Addresses []RateLimitRow
	Pairs     []RateLimitRow
	Usernames []RateLimitRow
	// RuleUses are the uses of rate-limited policy rules in the last day,
	// by rule and user, most used first.
	RuleUses []RuleUseRow
}

// RateLimitRow is one address, username from an address, or username.
type RateLimitRow struct {
	Username, IP string
	Failures     int
	// Limit is the failures at which attempts are blocked; 0 for none.
	Limit int
	// Blocked says for how long attempts are refused, e.g. "12 minutes";
	// "" when they are not.
	Blocked string
	// Delay is how long the next wrong password is answered after, e.g.
	// "1.2s" (usernames only).
	Delay string
}

// RuleUseRow is how often a user used a rate-limited policy rule.
type RuleUseRow struct {
	Rule, User string
	Uses       int
	Last       string
}
