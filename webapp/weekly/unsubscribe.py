"""The one-click unsubscribe token of the weekly email: a signed user id that never expires.

In: the app's SECRET_KEY and a user id (or a token from a link). Out: the token, or the user
id it names (None for a token that was not signed with this key).
"""

from __future__ import annotations

from itsdangerous import BadSignature, URLSafeSerializer

UNSUBSCRIBE_SALT = "legday-weekly-unsubscribe"


def _serializer(secret_key: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key, salt=UNSUBSCRIBE_SALT)


def unsubscribe_token(secret_key: str, user_id: int) -> str:
    """A signed token naming the user; it does not expire (old emails keep working)."""
    return _serializer(secret_key).dumps({"u": user_id})


def user_id_from_token(secret_key: str, token: str) -> int | None:
    try:
        data = _serializer(secret_key).loads(token)
    except BadSignature:
        return None
    user_id = data.get("u") if isinstance(data, dict) else None
    return user_id if isinstance(user_id, int) else None
