"""Audit hooks called from other capabilities (members' roles and removal)."""

from reputation.privacy.models import AuditAction, AuditEvent


def member_changed(manager, target, old_role: str, new_role: str | None) -> None:
    """`manager` gave `target` a new role (None: removed them from the organisation)."""
    if new_role == old_role:
        return
    AuditEvent.record(
        target.organisation,
        manager.user,
        AuditAction.REMOVE_MEMBER if new_role is None else AuditAction.ROLE,
        member=target.user.email,
        old=old_role,
        new=new_role or "",
    )
