"""Checkpoints on a schedule: signed when the last is a period old and events came since, by the
process that runs the projections; the signing key's settings refuse the published development
key in production and a schedule with no key."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest
from pydantic import ValidationError

from api.checkpointing import CheckpointSchedule
from api.settings import Settings
from lifecycle import NOW, World

OWN_KEY = base64.b64encode(b"a production audit signing key!!").decode()
PUBLISHED_KEY = base64.b64encode(b"trellis-development-audit-key!!!").decode()  # as published in the source


class TestTheSchedule:
    def test_signs_in_the_background_when_due(self, trellis):
        World.create(trellis)
        schedule = CheckpointSchedule(trellis, every_minutes=60, wake_seconds=0.05).start()
        try:
            assert schedule.signed.wait(timeout=30)
        finally:
            schedule.stop()
        (signed,) = trellis.latest_checkpoints()
        assert signed.position == trellis.recorder.max_notification_id() and signed.holds()

    def test_signs_again_only_a_period_later_and_only_if_events_came(self, trellis, clock):
        world = World.create(trellis)
        first = trellis.checkpoint_if_due(60)
        assert first is not None
        world.mentor()
        clock.set(NOW + timedelta(minutes=59))
        assert trellis.checkpoint_if_due(60) is None  # not yet a period
        clock.set(NOW + timedelta(minutes=60))
        second = trellis.checkpoint_if_due(60)
        assert second is not None and second.position > first.position
        clock.set(NOW + timedelta(minutes=200))
        assert trellis.checkpoint_if_due(60) is None  # nothing new to vouch for
        assert len(trellis.latest_checkpoints()) == 2

    def test_is_off_by_default(self):
        assert Settings(environment="development").checkpoint_every_minutes == 0
        assert CheckpointSchedule.start_for(object(), Settings(environment="development")) is None


class TestTheSigningKeySettings:
    def test_production_refuses_the_published_development_key(self):
        with pytest.raises(ValidationError, match="development audit signing key"):
            Settings(environment="production", audit_signing_key=PUBLISHED_KEY, **production_secrets())

    def test_production_takes_its_own(self):
        settings = Settings(environment="production", audit_signing_key=OWN_KEY, checkpoint_every_minutes=30,
                            **production_secrets())
        assert settings.audit_signing_key_bytes == b"a production audit signing key!!"

    def test_development_has_the_published_one(self):
        assert Settings(environment="development").audit_signing_key_bytes == b"trellis-development-audit-key!!!"

    @pytest.mark.parametrize(("options", "mentions"), [
        ({"checkpoint_every_minutes": 30}, "needs TRELLIS_AUDIT_SIGNING_KEY"),
        ({"audit_signing_key": OWN_KEY, "checkpoint_every_minutes": -1}, r"0 \(never\) or more"),
        ({"audit_signing_key": "not base64!"}, "base64"),
        ({"audit_signing_key": base64.b64encode(b"short").decode()}, "32 bytes"),
    ])
    def test_a_bad_setting_is_refused(self, options, mentions):
        with pytest.raises(ValidationError, match=mentions):
            Settings(environment="production", **production_secrets(), **options)


def production_secrets() -> dict[str, str]:
    return {"master_key": base64.b64encode(b"m" * 32).decode(), "server_key": base64.b64encode(b"s" * 32).decode(),
            "jwt_secret": "a production jwt secret that is long enough to be accepted"}
