"""Bearer tokens: verified by PyJWT against a shared secret (HS256) or an issuer's JWKS (RS256).

Claims: `sub` is the person's identity at the identity provider, `roles` the list of
their roles; `iat` and `exp` are required, and a token whose lifetime (`exp - iat`) is
longer than `TRELLIS_JWT_MAX_TOKEN_HOURS` is refused. With a JWKS, `iss` and `aud` are
required too and must be the configured issuer and audience. A token naming several roles
acts in the one chosen by the `X-Trellis-Role` header (default: the first). The API maps
the identity to the person's opaque id through the person registry once per request
(`api.http.deps.actor_of`).
No cryptography is written here: PyJWT does the verifying.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import jwt

from api.settings import Settings
from domain import Role

HS_ALGORITHMS = ["HS256"]
JWKS_ALGORITHMS = ["RS256"]
TOKEN_ROLES = tuple(r for r in Role if r is not Role.SYSTEM)
TOKENS_KEPT = 4096
VERIFIED_FOR = 300.0  # seconds a verified token is taken again without verifying it (its expiry comes first)


@dataclass(frozen=True)
class Identity:
    """Who the token says is calling: the identity provider's subject and the role acted in."""

    subject: str
    role: Role


class Unauthenticated(Exception):
    """No token, or one that does not verify. The message is safe to show."""


@dataclass(frozen=True)
class Authenticator:
    """Verifies tokens. A client sends the same token with every request, so a token verified
    once is remembered (the very same string, so the same signature and claims) until it
    expires, or for `VERIFIED_FOR` seconds at most (as long as a JWKS key is cached), and not
    verified again meanwhile."""

    settings: Settings
    jwks: jwt.PyJWKClient | None = None
    _verified: dict[str, tuple[float, dict]] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_settings(cls, settings: Settings) -> Authenticator:
        jwks = jwt.PyJWKClient(settings.jwt_jwks_url, cache_keys=True) if settings.jwt_jwks_url else None
        return cls(settings, jwks)

    def identity(self, authorization: str | None, chosen_role: str | None = None) -> Identity:
        claims = self.claims(_bearer(authorization))
        roles = claims.get("roles")
        if not isinstance(roles, list) or not roles:
            raise Unauthenticated("the token names no roles")
        role = chosen_role or roles[0]
        if role not in roles or role not in TOKEN_ROLES:
            raise Unauthenticated("the token does not grant that role")
        subject = claims.get("sub")
        if not isinstance(subject, str) or not subject.strip() or len(subject) > 200:
            raise Unauthenticated("the token names no subject")
        return Identity(subject.strip(), Role(role))

    def claims(self, token: str) -> dict:
        remembered = self._verified.get(token)
        if remembered is not None and time.time() < remembered[0]:
            return remembered[1]
        claims = self._verify(token)
        if len(self._verified) >= TOKENS_KEPT:
            self._verified.clear()
        self._verified[token] = (min(claims["exp"], time.time() + VERIFIED_FOR), claims)
        return claims

    def _verify(self, token: str) -> dict:
        required = ["sub", "exp", "iat"] + (["iss", "aud"] if self.jwks is not None else [])
        kwargs = {"audience": self.settings.jwt_audience, "issuer": self.settings.jwt_issuer,
                  "options": {"require": required}}
        try:
            if self.jwks is not None:
                key = self.jwks.get_signing_key_from_jwt(token).key
                claims = jwt.decode(token, key, algorithms=JWKS_ALGORITHMS, **kwargs)
            else:
                secret = self.settings.jwt_secret.get_secret_value()
                claims = jwt.decode(token, secret, algorithms=HS_ALGORITHMS, **kwargs)
        except jwt.PyJWKClientError:
            raise Unauthenticated("the token's signing key is not known") from None
        except (jwt.PyJWTError, ValueError, TypeError, OverflowError):  # e.g. a claim of the wrong type
            raise Unauthenticated("the token is invalid or has expired") from None
        lifetime = _lifetime(claims)
        if lifetime is None or lifetime > self.settings.jwt_max_token_hours * 3600:
            raise Unauthenticated("the token lives longer than this service allows")
        return claims


def _lifetime(claims: dict) -> float | None:
    """Seconds from `iat` to `exp`; None unless both are numbers."""
    stamps = (claims.get("exp"), claims.get("iat"))
    if not all(isinstance(t, int | float) and not isinstance(t, bool) for t in stamps):
        return None
    return stamps[0] - stamps[1]


def _bearer(authorization: str | None) -> str:
    if not authorization:
        raise Unauthenticated("sign in: send 'Authorization: Bearer <token>'")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("the Authorization header must be 'Bearer <token>'")
    return token.strip()


def issue_token(settings: Settings, subject: str, roles: list[str], hours: float = 12.0) -> str:
    """A token signed with the shared secret (`trellis token`), living at most the maximum."""
    for role in roles:
        if role not in TOKEN_ROLES:
            raise ValueError(f"unknown role {role!r}")
    if not 0 < hours <= settings.jwt_max_token_hours:
        raise ValueError(f"a token lives more than 0 and at most {settings.jwt_max_token_hours:g} hours "
                         "(TRELLIS_JWT_MAX_TOKEN_HOURS)")
    if not settings.jwt_secret.get_secret_value():
        raise ValueError("this service has no shared secret: its tokens come from the identity provider")
    now = int(time.time())
    claims = {"sub": subject, "roles": list(roles), "iat": now, "exp": now + int(hours * 3600)}
    if settings.jwt_issuer:
        claims["iss"] = settings.jwt_issuer
    if settings.jwt_audience:
        claims["aud"] = settings.jwt_audience
    return jwt.encode(claims, settings.jwt_secret.get_secret_value(), algorithm=HS_ALGORITHMS[0])
