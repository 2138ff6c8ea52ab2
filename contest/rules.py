"""Permissions, declared once. Contest-scoped rules take a Contest; unit-scoped rules take a
Unit. Views, templates and services all ask these (user.has_perm("contest.x", obj))."""

import rules

from .enums import Role
from .models import Contest, Unit
from .selectors import roles_of


def _contest_id(obj) -> int | None:
    if isinstance(obj, Contest):
        return obj.pk
    return getattr(obj, "contest_id", None)


def _contest_role(role: str):
    @rules.predicate(name=f"is_{role}")
    def predicate(user, obj) -> bool:
        contest_id = _contest_id(obj)
        return contest_id is not None and roles_of(user).has(contest_id, role)

    return predicate


def _unit_role(role: str):
    @rules.predicate(name=f"is_{role}_of_unit")
    def predicate(user, unit) -> bool:
        if not isinstance(unit, Unit):
            return False
        return roles_of(user).has(unit.contest_id, role, unit.pk)

    return predicate


is_secretariat = _contest_role(Role.SECRETARIAT)
is_organizer = _contest_role(Role.ORGANIZER)
is_judge = _contest_role(Role.JUDGE)
is_unit_staff = _unit_role(Role.UNIT_STAFF)
is_unit_head = _unit_role(Role.UNIT_HEAD)


@rules.predicate
def is_staff_of_parent_district(user, unit) -> bool:
    """District staff see (not act on the commune's own record of) entries passed up."""
    return (
        isinstance(unit, Unit)
        and unit.parent_id is not None
        and roles_of(user).has(unit.contest_id, Role.UNIT_STAFF, unit.parent_id)
    )


# Contest-scoped
rules.add_perm("contest.manage_contest", is_organizer)
rules.add_perm("contest.view_compliance_board", is_secretariat | is_organizer)
rules.add_perm("contest.receive_forwarded", is_secretariat)
rules.add_perm("contest.run_judging", is_secretariat)
rules.add_perm("contest.score_entries", is_judge)
rules.add_perm("contest.approve_ranking", is_organizer)
rules.add_perm("contest.manage_awards", is_organizer)
rules.add_perm("contest.view_reports", is_secretariat | is_organizer)

# Unit-scoped
rules.add_perm("contest.view_unit_entries", is_unit_staff | is_unit_head)
rules.add_perm("contest.screen_entries", is_unit_staff)
rules.add_perm("contest.register_paper_entry", is_unit_staff)
rules.add_perm("contest.certify_entries", is_unit_head)
rules.add_perm("contest.forward_entries", is_unit_staff)
rules.add_perm("contest.file_explanation", is_unit_staff | is_unit_head)
