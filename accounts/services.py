"""Writes about a user's own account."""

from .models import User
from .phone import phone_normalize

PROFILE_FIELDS = ("full_name", "phone", "position", "workplace", "address")


def user_update_profile(
    *,
    user: User,
    full_name: str,
    phone: str,
    position: str,
    workplace: str,
    address: str,
) -> User:
    """Save the profile fields an entry needs. The phone is stored in its normal form
    (0 and nine digits); an invalid one raises ValidationError."""
    user.full_name = " ".join(full_name.split())
    user.phone = phone_normalize(phone) if phone.strip() else ""
    user.position = position.strip()
    user.workplace = workplace.strip()
    user.address = address.strip()
    user.save(update_fields=list(PROFILE_FIELDS))
    return user
