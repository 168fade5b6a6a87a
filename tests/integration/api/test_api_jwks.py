"""Tokens from an organisation's identity provider: RS256, verified against its JWKS by URL."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi.testclient import TestClient

from api.http.app import create_app

ISSUER = "https://idp.example.org/"
AUDIENCE = "trellis"


def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def signing_key() -> rsa.RSAPrivateKey:
    return rsa_key()


@pytest.fixture(scope="module")
def jwks_url(signing_key) -> Iterator[str]:
    """A local issuer publishing its public key set, as an identity provider would."""
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(signing_key.public_key()))
    body = json.dumps({"keys": [jwk | {"kid": "key-1", "use": "sig", "alg": "RS256"}]}).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/.well-known/jwks.json"
    server.shutdown()


@pytest.fixture
def client(sqlite_settings, jwks_url) -> Iterator[TestClient]:
    settings = sqlite_settings.model_copy(update={"jwt_jwks_url": jwks_url, "jwt_issuer": ISSUER,
                                                  "jwt_audience": AUDIENCE, "run_projections": False})
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client


def token(key, kid: str = "key-1", without: tuple[str, ...] = (), **claims) -> str:
    now = int(time.time())
    base = {"sub": "person-7", "roles": ["auditor", "mentor"], "iss": ISSUER, "aud": AUDIENCE,
            "iat": now, "exp": now + 300}
    kept = {name: value for name, value in (base | claims).items() if name not in without}
    return jwt.encode(kept, key, algorithm="RS256", headers={"kid": kid})


def me(client: TestClient, bearer: str, **headers: str):
    return client.get("/me", headers={"Authorization": f"Bearer {bearer}"} | headers)


class TestIdentityProviderTokens:
    def test_a_token_signed_by_the_issuer_names_the_person_and_roles(self, client, signing_key):
        response = me(client, token(signing_key))
        assert response.status_code == 200
        answer = response.json()
        assert {k: answer[k] for k in ("identity", "role", "roles")} == {
            "identity": "person-7", "role": "auditor", "roles": ["auditor", "mentor"]}
        assert answer["id"].startswith("p-") and "person-7" not in answer["id"]  # the opaque id Trellis keeps
        assert me(client, token(signing_key)).json()["id"] == answer["id"]

    def test_a_person_with_several_roles_chooses_one(self, client, signing_key):
        assert me(client, token(signing_key), **{"X-Trellis-Role": "mentor"}).json()["role"] == "mentor"
        assert me(client, token(signing_key), **{"X-Trellis-Role": "administrator"}).status_code == 401

    def test_a_token_signed_by_another_key_is_refused(self, client):
        assert me(client, token(rsa_key())).status_code == 401

    def test_a_token_naming_an_unknown_key_is_refused(self, client, signing_key):
        assert me(client, token(signing_key, kid="key-2")).status_code == 401

    def test_the_wrong_audience_or_issuer_is_refused(self, client, signing_key):
        assert me(client, token(signing_key, aud="another-app")).status_code == 401
        assert me(client, token(signing_key, iss="https://evil.example/")).status_code == 401

    @pytest.mark.parametrize("claim", ["iss", "aud", "iat", "exp"])
    def test_a_token_without_an_issuer_audience_or_lifetime_is_refused(self, client, signing_key, claim):
        refused = me(client, token(signing_key, without=(claim,)))
        assert refused.status_code == 401
        assert refused.headers["content-type"] == "application/problem+json"

    def test_a_token_living_longer_than_twelve_hours_is_refused(self, client, signing_key):
        now = int(time.time())
        assert me(client, token(signing_key, iat=now, exp=now + 12 * 3600)).status_code == 200
        assert me(client, token(signing_key, iat=now, exp=now + 12 * 3600 + 1)).status_code == 401
        assert me(client, token(signing_key, iat=now - 11 * 3600, exp=now + 3600 * 2)).status_code == 401

    def test_a_shared_secret_token_is_refused_when_a_jwks_is_configured(self, client, sqlite_settings):
        secret = sqlite_settings.jwt_secret.get_secret_value()
        now = int(time.time())
        hs = jwt.encode({"sub": "person-7", "roles": ["auditor"], "iss": ISSUER, "aud": AUDIENCE, "iat": now,
                         "exp": now + 300}, secret, algorithm="HS256", headers={"kid": "key-1"})
        assert me(client, hs).status_code == 401


class TestTheSharedSecret:
    PRODUCTION_KEY = "cHJvZHVjdGlvbi1tYXN0ZXIta2V5LTMyLWJ5dGVzISE="  # 32 bytes, not the development key
    SERVER_KEY = "cHJvZHVjdGlvbi1zZXJ2ZXIta2V5LTMyLWJ5dGVzISE="  # 32 bytes, not the development key

    def test_production_refuses_the_development_secret(self):
        from pydantic import ValidationError

        from api.settings import Settings

        with pytest.raises(ValidationError, match="TRELLIS_JWT_SECRET"):
            Settings(environment="production", master_key=self.PRODUCTION_KEY, server_key=self.SERVER_KEY)

    def test_production_accepts_its_own_secret_or_an_issuer(self, jwks_url):
        from api.settings import Settings

        production = {"environment": "production", "master_key": self.PRODUCTION_KEY, "server_key": self.SERVER_KEY}
        Settings(**production, jwt_secret="s" * 40)
        Settings(**production, jwt_secret="", jwt_jwks_url=jwks_url, jwt_issuer=ISSUER, jwt_audience=AUDIENCE)

    def test_production_refuses_the_development_server_key(self):
        from pydantic import ValidationError

        from api.settings import Settings

        with pytest.raises(ValidationError, match="development server key"):
            Settings(environment="production", master_key=self.PRODUCTION_KEY, jwt_secret="s" * 40,
                     server_key="dHJlbGxpcy1kZXZlbG9wbWVudC1zZXJ2ZXIta2V5ISE=")  # the development key

    @pytest.mark.parametrize("missing", ["jwt_issuer", "jwt_audience"])
    def test_an_issuer_is_trusted_only_with_its_issuer_and_audience_named(self, jwks_url, missing):
        from pydantic import ValidationError

        from api.settings import Settings

        named = {"jwt_issuer": ISSUER, "jwt_audience": AUDIENCE}
        del named[missing]
        for environment in ("production", "development"):
            with pytest.raises(ValidationError, match=missing.upper()):
                Settings(environment=environment, master_key=self.PRODUCTION_KEY, server_key=self.SERVER_KEY,
                         jwt_jwks_url=jwks_url, **named)


class TestVerifiedTokens:
    def test_a_token_is_verified_once_until_it_expires(self, sqlite_settings, monkeypatch):
        from api.http import auth

        authenticator = auth.Authenticator.from_settings(sqlite_settings)
        issued = auth.issue_token(sqlite_settings, "someone-verified", ["administrator"], hours=1)
        verified = []
        decode = jwt.decode
        monkeypatch.setattr(auth.jwt, "decode", lambda *a, **k: verified.append(1) or decode(*a, **k))
        for _ in range(3):
            assert authenticator.identity(f"Bearer {issued}").subject == "someone-verified"
        assert len(verified) == 1
        later = time.time() + 2 * 3600  # past the token's expiry: verified again (PyJWT checks the expiry)
        monkeypatch.setattr(auth.time, "time", lambda: later)
        authenticator.identity(f"Bearer {issued}")
        assert len(verified) == 2

    def test_a_token_altered_after_one_was_verified_is_refused(self, sqlite_settings):
        from api.http import auth

        authenticator = auth.Authenticator.from_settings(sqlite_settings)
        issued = auth.issue_token(sqlite_settings, "someone-verified", ["administrator"], hours=1)
        authenticator.identity(f"Bearer {issued}")
        header, claims, signature = issued.split(".")
        altered = json.loads(jwt.utils.base64url_decode(claims)) | {"roles": ["dpo"]}
        forged = ".".join([header, jwt.utils.base64url_encode(json.dumps(altered).encode()).decode(), signature])
        with pytest.raises(auth.Unauthenticated):
            authenticator.identity(f"Bearer {forged}")
