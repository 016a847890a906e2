"""Every route x (anonymous, other organisation, viewer, editor, owner) x (GET, POST).

The table below names, for every endpoint of the app, the weakest role allowed per method.
A route missing from it fails `test_every_route_is_in_the_table`, so no new route can
skip this check.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from sqlalchemy import select

from assess.extensions import db
from assess.models import Membership, User

from .wizard_helpers import create_assessment, save_section

PUBLIC = "public"
ROLES = ("viewer", "editor", "owner")


@dataclass(frozen=True)
class Route:
    url: str
    methods: dict[str, str]  # method -> weakest role allowed
    scoped: bool = True  # names something of organisation A: others get 404
    data: dict[str, str] = field(default_factory=dict)


A = "{assessment}"
B = "{baseline}"
ROUTES: dict[str, Route] = {
    "dashboard.index": Route("/", {"GET": "viewer"}, scoped=False),
    "dashboard.healthz": Route("/healthz", {"GET": PUBLIC}, scoped=False),
    "auth.login": Route("/login", {"GET": PUBLIC, "POST": PUBLIC}, scoped=False),
    # A successful logout also lands on /login, but without the ?next= of a refusal.
    "auth.logout": Route("/logout", {"POST": "viewer"}, scoped=False),
    "auth.change_password": Route(
        "/account/password", {"GET": "viewer", "POST": "viewer"}, scoped=False
    ),
    "wizard.new": Route("/assessments/new", {"GET": "editor", "POST": "editor"}, scoped=False),
    "wizard.overview": Route(f"/assessments/{A}/", {"GET": "viewer"}),
    "wizard.section": Route(
        f"/assessments/{A}/section/regime", {"GET": "viewer", "POST": "editor"}
    ),
    "wizard.review": Route(f"/assessments/{A}/review", {"GET": "viewer"}),
    "wizard.finalise": Route(f"/assessments/{A}/finalise", {"POST": "owner"}),
    "wizard.reopen": Route(f"/assessments/{A}/reopen", {"POST": "owner"}),
    "audit.history": Route(f"/assessments/{A}/history", {"GET": "viewer"}),
    "audit.organisation_log": Route("/organisation/log", {"GET": "owner"}, scoped=False),
    "organisation.members": Route("/organisation/", {"GET": "viewer"}, scoped=False),
    "organisation.add_member": Route(
        "/organisation/members",
        {"POST": "owner"},
        scoped=False,
        data={"email": "n@a.example", "role": "viewer"},
    ),
    "organisation.change_role": Route(
        "/organisation/members/{member}/role", {"POST": "owner"}, data={"role": "viewer"}
    ),
    "organisation.remove_member": Route(
        "/organisation/members/{member}/remove", {"GET": "owner", "POST": "owner"}
    ),
    "reports.report": Route(f"/assessments/{A}/report", {"GET": "viewer"}),
    "reports.report_download": Route(f"/assessments/{A}/report.pdf", {"GET": "viewer"}),
    "reports.scoring_method": Route("/scoring-method", {"GET": "viewer"}, scoped=False),
    "reporting.index": Route(
        f"/assessments/{A}/reporting?instrument={{instrument}}", {"GET": "viewer", "POST": "editor"}
    ),
    "reporting.matrix": Route(f"/assessments/{A}/reporting/matrix", {"GET": "viewer"}),
    "reporting.instrument_csv": Route(
        f"/assessments/{A}/reporting/{{instrument}}.csv", {"GET": "viewer"}
    ),
    "reporting.pack_pdf": Route(
        f"/assessments/{A}/reporting.pdf?instrument={{instrument}}", {"GET": "viewer"}
    ),
    "transfer.export_json": Route(f"/assessments/{A}/export.json", {"GET": "viewer"}),
    "transfer.answers_csv": Route(f"/assessments/{A}/answers.csv", {"GET": "viewer"}),
    "transfer.plan_csv": Route(f"/assessments/{A}/plan.csv", {"GET": "viewer"}),
    "transfer.import_page": Route(
        "/assessments/import", {"GET": "editor", "POST": "editor"}, scoped=False
    ),
    "dashboard.copy": Route(f"/assessments/{A}/copy", {"POST": "editor"}),
    "dashboard.delete": Route(f"/assessments/{A}/delete", {"GET": "owner", "POST": "owner"}),
    "compare.page": Route(f"/compare?ids={A},{B}", {"GET": "viewer"}),
    "compare.pdf": Route(f"/compare.pdf?ids={A},{B}", {"GET": "viewer"}),
}


def test_every_route_is_in_the_table(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint != "static"}
    missing = endpoints - set(ROUTES)
    assert not missing, f"routes with no authorization expectations: {sorted(missing)}"
    assert not set(ROUTES) - endpoints, "the table names routes that no longer exist"
    for rule in app.url_map.iter_rules():
        if rule.endpoint in ROUTES:
            served = rule.methods - {"HEAD", "OPTIONS"}
            assert served == set(ROUTES[rule.endpoint].methods), rule.endpoint


@pytest.fixture
def world(app, client, accounts):
    """Organisation A (viewer, editor, owner, two assessments) and an owner of B."""
    clients = {}
    for role in ROLES:
        clients[role] = app.test_client()
        accounts.as_role(role, org="Ministry A", client=clients[role])
    clients["other"] = app.test_client()
    accounts.as_role("owner", org="Operator B", client=clients["other"])
    clients["anonymous"] = app.test_client()
    assessment = create_assessment(clients["owner"], title="A review")
    baseline = create_assessment(clients["owner"], title="A baseline")
    save_section(clients["owner"], assessment, "regime", {"REG-02": "yes"}, action="save_exit")
    with app.app_context():
        member = db.session.scalar(
            select(Membership.id).join(User).where(User.email == "viewer@ministrya.example")
        )
    instrument = app.extensions["assess.bank"].instruments[0].id
    values = {
        "assessment": assessment,
        "baseline": baseline,
        "member": member,
        "instrument": instrument,
    }
    return clients, values


def _let_through(response) -> bool:
    """The request reached the view: not refused, not hidden, not sent to log in, no crash.

    A 400 (for example an import with no file) counts: the user was allowed to try."""
    to_login = response.status_code == 302 and response.location.startswith("/login?")
    return (
        response.status_code < 500 and response.status_code not in (401, 403, 404) and not to_login
    )


def _request(client, method, url, data):
    return client.get(url) if method == "GET" else client.post(url, data=data)


CASES = [(endpoint, method) for endpoint, route in ROUTES.items() for method in route.methods]


@pytest.mark.parametrize(("endpoint", "method"), CASES, ids=[f"{m} {e}" for e, m in CASES])
def test_route_allows_exactly_the_expected_people(world, endpoint, method):
    clients, values = world
    route = ROUTES[endpoint]
    url = route.url.format(**values)
    weakest = route.methods[method]

    anonymous = _request(clients["anonymous"], method, url, route.data)
    if weakest == PUBLIC:
        assert anonymous.status_code < 400 or anonymous.status_code == 429
    else:
        assert anonymous.status_code == 302 and anonymous.location.startswith("/login"), (
            anonymous.status_code
        )

    other = _request(clients["other"], method, url, route.data)
    if route.scoped:
        assert other.status_code == 404, f"another organisation got {other.status_code}"
    else:
        assert _let_through(other), other.status_code

    # Weakest roles first, so that a destructive request by an owner comes last.
    for role in ROLES:
        response = _request(clients[role], method, url, route.data)
        allowed = weakest == PUBLIC or ROLES.index(role) >= ROLES.index(weakest)
        if allowed:
            assert _let_through(response), f"{role} got {response.status_code}"
        else:
            assert response.status_code == 403, f"{role} got {response.status_code}"
