import pytest


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # A Vietnamese reader's browser: the portal's language is negotiated from it.
    return {**browser_context_args, "locale": "vi-VN"}
