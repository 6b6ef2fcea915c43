"""What each agency role may do. One table, read by the selectors; views never test roles."""

from __future__ import annotations

from enum import StrEnum

from accounts.models import Role


class Action(StrEnum):
    VIEW = "view"  # see the agency's surveys, rounds, progress and results
    DESIGN = "design"  # create and edit questionnaires, rounds and collectors
    ANALYSE = "analyse"  # work with responses, weights and indicators; prepare releases
    MANAGE = "manage"  # invite colleagues, change roles, release results


ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    Role.MANAGER: frozenset(Action),
    Role.DESIGNER: frozenset({Action.VIEW, Action.DESIGN}),
    Role.ANALYST: frozenset({Action.VIEW, Action.ANALYSE}),
    Role.VIEWER: frozenset({Action.VIEW}),
}


def roles_allowing(action: Action) -> list[str]:
    return [role for role, actions in ROLE_ACTIONS.items() if action in actions]


def role_allows(role: str | None, action: Action) -> bool:
    return role is not None and action in ROLE_ACTIONS.get(role, frozenset())
