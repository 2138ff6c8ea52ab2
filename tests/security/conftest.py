import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache

from tests.factories import UserFactory

PASSWORD = "Lang-Son-2025-cchc"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """allauth keeps its rate limits in the cache; each test starts without another's."""
    cache.clear()
    yield
    cache.clear()


def verified_user(email: str, **kwargs):
    user = UserFactory(email=email, **kwargs)
    user.set_password(PASSWORD)
    user.save()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.fixture
def owner(db):
    return verified_user("chu-tai-khoan@example.vn")
