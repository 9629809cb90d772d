"""The free e-reputation diagnostic: a public snapshot of what the web says about a
business, computed once in the background and forgotten after 24 hours."""
