"""HTML blueprints, one per domain area."""

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from . import (
        account_erasure,
        account_sessions,
        account_tokens,
        admin,
        attendance,  # noqa: F401 (adds its routes to the professionals' and citizens' blueprints)
        auth,
        check_in_answers,  # noqa: F401 (adds its route to the professionals' blueprint)
        check_ins,
        citizens,
        contact_month,
        conversations,
        coordination,
        inbox,
        initiative_versions,  # noqa: F401 (adds its routes to the professionals' blueprint)
        initiatives,
        invitations,
        main,
        matching,
        my_data,
        privacy,
        professionals,
        recognition,
        template_helpers,
        transfers,
        two_factor,
        welcome,
    )

    template_helpers.init_app(app)

    for module in (main, auth, citizens, initiatives, professionals, coordination, admin, transfers,
                   matching, account_tokens, account_sessions, invitations, inbox, two_factor,
                   account_erasure, privacy, welcome, my_data, conversations, recognition, check_ins,
                   contact_month):
        app.register_blueprint(module.bp)
