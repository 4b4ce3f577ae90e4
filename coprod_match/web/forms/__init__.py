"""WTForms of the HTML pages, one module per area. Labels and messages are translated lazily.

- `fields`: field builders, filters and limits every area uses.
- `choices`: filling selects from the database and reading back what was picked.
- `accounts`: registration, login, passwords, staff accounts, API tokens.
- `citizens`: the citizen's profile.
- `initiatives`: an initiative's details and its contacts.
- `placements`: signing up, accepting, rejecting and ending a placement.
- `invitations`: inviting a resident and answering an invitation.
- `coordination`: acting on a continuity alert.
- `transfers`: uploading a CSV file.

Views import from the module of their area; this package re-exports nothing.
"""
