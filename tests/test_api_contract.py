"""The JSON API answers what /api/v1/openapi.json documents (schemathesis, in-process).

Schemathesis reads the document the site serves and, for every operation, sends the examples,
the boundary cases of each parameter (its coverage phase) and generated requests, valid and
invalid, then runs all of its checks on each answer: no 5xx, only documented status codes and
content types, bodies that match the documented schemas, invalid input refused with a 4xx and
valid input accepted. Requests go through Django's WSGI handler in this process, so they see
the test database and the session's search indexes.
"""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.search_fixtures import indexed_glossary, search_index  # noqa: F401

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())

# A well-formed NPS body can still hold nothing to score (all counts 0, an empty list, a pasted
# text with no score in it): the spec requires a 400 "no responses" then, never a score of 0, and
# JSON Schema cannot say "at least one response". That 400 is documented with its codes; every
# other check, the rejection of malformed bodies included, runs on this operation too.
NOT_CHECKED = {"POST /api/v1/nps": [positive_data_acceptance]}


@pytest.fixture
def database_connection_kept_open():
    """Keep the test's database connection open across requests, as Django's test client does.

    Django's WSGI handler closes the connection when a request ends; on PostgreSQL that would
    end the test's transaction and the next request would find the connection closed.
    """
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


@pytest.mark.usefixtures("search_index", "database_connection_kept_open")
@schema.parametrize()
@settings(
    # Deterministic and bounded, for CI: the same examples on every run, a few seconds each.
    derandomize=True,
    database=None,
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_every_operation_answers_as_documented(case):
    case.call_and_validate(excluded_checks=NOT_CHECKED.get(case.operation.label, []))
