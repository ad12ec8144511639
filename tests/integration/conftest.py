"""Fixtures shared by the document tests: a classified visit and the handout service."""

from __future__ import annotations

import datetime as dt

import pytest


@pytest.fixture
def register(services, make_input):  # noqa: ANN001, ANN201
    def factory(**overrides):  # noqa: ANN003, ANN202
        values = dict(
            matter_type="申诉求决", topic="劳动就业", route="仲裁", visited_at=dt.datetime(2026, 11, 22, 9, 30)
        )
        values.update(overrides)
        return services.visits.register(make_input(**values))

    return factory


@pytest.fixture
def handouts(services):  # noqa: ANN001, ANN201
    return services.handouts()
