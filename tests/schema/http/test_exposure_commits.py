"""``ARVIO_EXPOSURE_COMMIT=durable``: a draw is answered only once its exposure count is committed."""

from __future__ import annotations

import asyncio
import dataclasses

from sqlalchemy import func, select
from starlette.testclient import TestClient

from federation.db import Database
from federation.rollups.models import RollupHourly
from federation.settings import Settings, SettingsError
from schema.http.exposure_commits import ExposureCommits
from schema.wiring import build_app
from tests.conftest import CHANNEL_A, SERVICE_A, Api, Clock


def _offered(database: Database) -> int:
    with database.transaction(write=False) as session:
        return int(session.scalar(select(func.coalesce(func.sum(RollupHourly.offered), 0))) or 0)


def test_every_answered_draw_is_already_committed(api: Api, app_settings: Settings, clock: Clock) -> None:
    durable = dataclasses.replace(app_settings, exposure_commit="durable")
    app = build_app(durable, database=api.database, run_migrations=False, clock=clock)
    with TestClient(app) as client:
        for drawn in range(1, 4):
            response = client.get("/widget/draw", params={"service": SERVICE_A, "channel": CHANNEL_A})
            assert response.status_code == 200
            assert _offered(api.database) == drawn  # no flush interval waited for: the draw waited for it


def test_the_setting_is_checked() -> None:
    assert Settings.from_env({"ARVIO_EXPOSURE_COMMIT": "durable"}).exposure_commit == "durable"
    try:
        Settings.from_env({"ARVIO_EXPOSURE_COMMIT": "sometimes"})
    except SettingsError as error:
        assert "batched, durable" in str(error)
    else:
        raise AssertionError("an unknown ARVIO_EXPOSURE_COMMIT was accepted")


def test_waiters_are_answered_when_a_commit_fails_and_when_the_loop_is_not_running() -> None:
    calls: list[int] = []

    def failing_flush() -> int:
        calls.append(1)
        raise OSError("database unreachable")

    commits = ExposureCommits(failing_flush)

    async def scenario() -> None:
        await commits.settled()  # the loop is not running: nothing to wait for
        loop = asyncio.create_task(commits.run())
        await asyncio.sleep(0)
        assert commits.running
        await asyncio.wait_for(asyncio.gather(commits.settled(), commits.settled()), 10)
        loop.cancel()
        await asyncio.gather(loop, return_exceptions=True)
        assert not commits.running

    asyncio.run(scenario())
    assert len(calls) >= 1
