"""HTML blueprints, one per domain area."""

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from . import (
        account_erasure,
        account_sessions,
        account_tokens,
        admin,
        auth,
        citizens,
        coordination,
        inbox,
        initiatives,
        invitations,
        main,
        matching,
        professionals,
        template_helpers,
        transfers,
        two_factor,
    )

    template_helpers.init_app(app)

    for module in (main, auth, citizens, initiatives, professionals, coordination, admin, transfers,
                   matching, account_tokens, account_sessions, invitations, inbox, two_factor,
                   account_erasure):
        app.register_blueprint(module.bp)
