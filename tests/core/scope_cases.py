"""The scope cases of the account pages every user has (grids.accounts): they show only the viewer's own account."""

SCOPE_CASES = {
    "accounts:security": {"kind": "self"},
    "accounts:password-change": {"kind": "self"},
}

# The second-factor pages act only on the signed-in user's own authenticator and answer a redirect to anybody who
# owes no code (so "self", which expects 200, does not fit): tests/grids/test_two_factors.py proves them, anonymous
# callers included (test_the_code_pages_need_the_password_first).
SCOPE_CASES.update({
    "accounts:two-factors-verify": {"kind": "public"},
    "accounts:two-factors-enrol": {"kind": "public"},
    "accounts:two-factors-recovery-codes": {"kind": "public"},  # POST only, the user's own codes
})
