"""Marshmallow schemas of the API, one module per blueprint: what goes out (dump) and what may come in (load).

Input schemas raise on unknown fields and never carry ids, roles or times the
server sets; those are dump_only on the output side. A professional sees less
of a citizen (`people.CitizenSummarySchema`) than the citizen sees of
themselves (`me.MeSchema`).

The class names are the OpenAPI component names (without "Schema"), so a
class keeps its name when it moves. Field builders every blueprint uses
(Id, Count, Text, Slot...) are in `api/common.py`; `people` holds the views
of a person that several blueprints nest.
"""
