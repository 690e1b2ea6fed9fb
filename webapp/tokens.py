"""Personal API tokens: shown once when made, stored only as a SHA-256 digest, revocable."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.models import ApiToken, User, utcnow

PREFIX = "ld_"
MAX_NAME = 100


def hash_token(token: str) -> str:
    # The token is 256 random bits, so a plain digest is enough (no salt or slow hash needed).
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(session: Session, user: User, name: str = "") -> tuple[ApiToken, str]:
    """Add a token for `user` (caller commits); returns the row and the token, shown once."""
    name = " ".join(name.split())[:MAX_NAME] or "API token"
    plain = PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(user_id=user.id, name=name, token_hash=hash_token(plain))
    session.add(row)
    return row, plain


def user_for_token(session: Session, plain: str) -> User | None:
    """The owner of a live token (and note its use), or None for an unknown or revoked one."""
    row = session.scalar(
        select(ApiToken).where(
            ApiToken.token_hash == hash_token(plain), ApiToken.revoked_at.is_(None)
        )
    )
    if row is None:
        return None
    row.last_used_at = utcnow()
    session.commit()
    return session.get(User, row.user_id)


def live_tokens(session: Session, user: User) -> list[ApiToken]:
    """The user's tokens that still work, newest first."""
    return list(
        session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def revoke_token(session: Session, user: User, token_id: int) -> bool:
    """Revoke one of `user`'s tokens (caller commits); False when it is not theirs or gone."""
    row = session.get(ApiToken, token_id)
    if row is None or row.user_id != user.id or row.revoked_at is not None:
        return False
    row.revoked_at = utcnow()
    return True
