"""The scope cases of the account pages every user has (grids.accounts): they show only the viewer's own account."""

SCOPE_CASES = {
    "accounts:security": {"kind": "self"},
    "accounts:password-change": {"kind": "self"},
}
