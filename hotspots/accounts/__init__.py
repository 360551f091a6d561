"""Accounts and login: password hashes and roles, login sessions and throttling, the menu a role sees."""
