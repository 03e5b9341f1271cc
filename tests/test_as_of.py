"""One as-of parser and one "today" (UTC) for the command line, HTTP, batch and the review page."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from declass.rules.errors import RequestError
from declass.service import as_of
from declass.service.as_of import AS_OF_FORM, parse_as_of, today
from declass.service.cli.main import main

CABLE = "UNCLASSIFIED\n\n1. (U) The talks resume in March.\n"
#: 23:30 on 31 December in UTC-5 is already 1 January in UTC.
LATE_EVENING = dt.datetime(2026, 1, 1, 4, 30, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    "text",
    [
        "20100101",
        "2010-1-1",
        "2010-02-30",
        "10-01-01",
        " 2010-01-01",
        "2010-01-01T00:00",
        "٢٠١٠-٠١-٠١",
        "",
    ],
    ids=["basic", "short", "no-such-day", "two-digit-year", "space", "datetime", "arabic", ""],
)
def test_only_yyyy_mm_dd_is_a_date(text: str) -> None:
    with pytest.raises(RequestError) as caught:
        parse_as_of(text)
    assert caught.value.message == AS_OF_FORM
    assert "YYYY-MM-DD" in AS_OF_FORM


def test_a_date_is_read() -> None:
    assert parse_as_of("2010-01-01") == dt.date(2010, 1, 1)


def test_the_command_line_refuses_20100101(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "cable.txt"
    path.write_text(CABLE, encoding="utf-8")
    assert main(["analyze", str(path), "--as-of", "20100101"]) == 2
    assert capsys.readouterr().err == f"declass: error: --as-of: {AS_OF_FORM}\n"


def test_http_refuses_20100101_with_the_same_message(client: FlaskClient) -> None:
    response = client.post("/v1/analyze", json={"text": CABLE, "as_of": "20100101"})
    assert response.status_code == 422
    assert response.get_json()["detail"] == f"as_of: {AS_OF_FORM}"
    query = client.post("/v1/analyze?as_of=20100101", data=CABLE, content_type="text/plain")
    assert query.get_json()["detail"] == f"as_of: {AS_OF_FORM}"


def test_batch_refuses_alike(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "in").mkdir()
    argv = ["batch", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--as-of", "20100101"]
    assert main(argv) == 2
    assert capsys.readouterr().err == f"declass: error: --as-of: {AS_OF_FORM}\n"


class _Clock(dt.datetime):
    """A clock stopped at LATE_EVENING; asked without a zone, it answers as a machine five
    hours behind UTC would (31 December)."""

    @classmethod
    def now(cls, tz: dt.tzinfo | None = None) -> _Clock:
        zone = tz or dt.timezone(-dt.timedelta(hours=5))
        moment = LATE_EVENING.astimezone(zone)
        return cls(*moment.timetuple()[:6], tzinfo=moment.tzinfo)


@pytest.fixture
def stopped_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(as_of, "datetime", _Clock)


@pytest.mark.usefixtures("stopped_clock")
def test_today_is_the_date_in_utc() -> None:
    assert today() == dt.date(2026, 1, 1)


@pytest.mark.usefixtures("stopped_clock")
def test_the_command_line_defaults_to_today_in_utc(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "cable.txt"
    path.write_text(CABLE, encoding="utf-8")
    assert main(["analyze", str(path)]) == 0
    assert '"as_of": "2026-01-01"' in capsys.readouterr().out


@pytest.mark.usefixtures("stopped_clock")
def test_http_and_the_review_page_default_to_today_in_utc(client: FlaskClient) -> None:
    response = client.post("/v1/analyze", json={"text": CABLE})
    assert response.get_json()["as_of"] == "2026-01-01"
    assert "2026-01-01" in client.get("/").get_data(as_text=True)
