"""The sandbox's fixed, public, made-up credentials (printed by `make demo`, used by tests).

They only ever unlock the local sandbox servers; nothing real accepts them.
"""

#: openBIS users of the sandbox: user id -> password.
OPENBIS_USERS = {
    "admin": "sandbox-admin-password",
    "alice": "sandbox-alice-password",
}
#: A personal access token of user "alice" (openBIS PATs are used as session tokens).
OPENBIS_PAT = "alice-260101000000000xSANDBOXPAT0001"

#: REANA user of the sandbox and their access token.
REANA_USER_EMAIL = "alice@example.org"
REANA_TOKEN = "sandbox-reana-token-alice"
