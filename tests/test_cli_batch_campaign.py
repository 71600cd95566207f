"""`ctconsole batch --dry-run` on sessions of a campaign that is not running:
each such row's JSON line carries the campaign warning, the counts say "with
a warning", and each campaign is read once."""

from __future__ import annotations

from .test_cli_batch import FRESH, batch, codes, sandbox, updates  # noqa: F401 (fixture)


def test_dry_run_warns_per_row_of_an_inactive_campaign(capsys, sandbox, tmp_path):
    camp = sandbox.state.campaigns["cam_1002"]
    assert camp["status"] == "inactive"
    off = codes(sandbox, "cam_1002", n=3, **FRESH)
    running = codes(sandbox, "cam_1001", n=2, **FRESH)
    code, lines, err = batch(capsys, sandbox, tmp_path, "\n".join([*off, *running]),
                             "--action", "validate", "--dry-run")
    assert code == 0, err
    rows = {r["target"]["key"]: r for r in lines if "row" in r}
    for key in off:
        assert rows[key]["outcome"] == "warn"
        [reason] = rows[key]["reasons"]
        assert reason["rule"] == "campaign_not_running" and reason["blocks"] is False
        # The CLI judges dates by the real clock; the status says inactive whatever the day.
        assert reason["message"].startswith(
            f"Session {key[:6]} belongs to campaign cam_1002 ({camp['name']}), which is inactive")
        assert (f"(status inactive, runs {camp['start_date']} to {camp['end_date']}); check "
                "that the merchant still honours its coupons") in reason["message"]
    assert [rows[k]["outcome"] for k in running] == ["change", "change"]
    assert "2 will change, 3 will change, with a warning" in err
    assert sum(1 for r in sandbox.requests if r.operation == "campaign.info") == 2
    assert updates(sandbox) == 0
