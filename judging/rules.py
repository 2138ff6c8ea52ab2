"""Judging permissions on a Contest, built from contest/rules.py's role predicates."""

import rules

from contest.rules import is_judge, is_organizer, is_secretariat

rules.add_perm("judging.view_ranking", is_secretariat | is_organizer)
rules.add_perm("judging.view_progress", is_secretariat | is_organizer)
rules.add_perm("judging.open_judging", is_judge | is_secretariat | is_organizer)
