"""Retention: a run's rules and expiry in its detail, files that will expire marked in its
workspace, rules matched as REANA matches them (reana-client issue 610, reana issue 964)."""

from __future__ import annotations

import uuid

from reana_openbis_lab.reana import retention

from .recorded_answers import answer
from .test_workflows import BASE, create_run, reana, wait_for_status  # noqa: F401 (fixture)

FINISHED = f"{BASE}/demo-finished.1"


def rules(*raw: tuple[str, int, str, str | None]) -> list[dict]:
    return [
        retention.rule_view({"workspace_files": p, "retention_days": d, "status": s, "apply_on": a})
        for p, d, s, a in raw
    ]


def test_patterns_match_as_reana_commons_globs_them():
    first = retention.matcher(
        rules(
            ("**/*.tmp", 1, "active", "2026-12-09T23:59:59"),
            ("data/*", 7, "active", "2026-12-15T23:59:59"),
            ("**/*", 365, "active", "2027-12-07T23:59:59"),
            ("old/*", 1, "applied", "2026-01-01T23:59:59"),
        )
    )
    # `**` crosses folders, a plain `*` does not, dot files count, the earliest date wins
    assert first("a/b/c.tmp")["pattern"] == "**/*.tmp"
    assert first(".hidden.tmp")["pattern"] == "**/*.tmp"
    assert first("data/events.csv")["pattern"] == "data/*"
    assert first("data/sub/events.csv")["pattern"] == "**/*"
    # an applied rule has done its work: it marks nothing any more
    assert first("old/x")["pattern"] == "**/*"
    assert retention.matcher(rules(("data/*", 7, "active", None)))("code/run.py") is None


def test_expiry_is_the_first_active_date_or_the_days_after_the_end():
    active = retention.summary(
        [
            {
                "workspace_files": "**/*",
                "retention_days": 30,
                "status": "active",
                "apply_on": "2027-01-06T23:59:59",
            },
            {
                "workspace_files": "**/*.tmp",
                "retention_days": 1,
                "status": "active",
                "apply_on": "2026-12-08T23:59:59",
            },
        ]
    )
    assert active["expiresOn"] == "2026-12-08T23:59:59" and active["expiresAfterDays"] is None
    created = retention.summary(
        [
            {
                "workspace_files": "**/*.tmp",
                "retention_days": 3,
                "status": "created",
                "apply_on": None,
            }
        ]
    )
    assert created["expiresOn"] is None and created["expiresAfterDays"] == 3
    # The real server's answer for a run without rules
    none = retention.summary(answer("reana-0.9.4", "31-retention-rules")["retention_rules"])
    assert none == {"rules": [], "expiresOn": None, "expiresAfterDays": None}


async def test_a_finished_run_shows_its_expiry_and_marks_the_files_that_go(api, reana):  # noqa: F811
    await reana()
    # Given the seeded finished run, whose spec keeps data/* for 7 days
    status, run = await api("GET", FINISHED)
    assert status == 200
    # Then its detail has the active rule with the day REANA deletes the files
    assert run["retention"]["rules"][0]["pattern"] == "data/*"
    assert run["retention"]["rules"][0]["status"] == "active"
    assert run["retention"]["expiresOn"] == run["retention"]["rules"][0]["applyOn"]
    # And its workspace listing marks data/ files, and only those
    _, page = await api("GET", f"{FINISHED}/workspace")
    marked = {f["name"]: f["retention"] for f in page["items"]}
    assert marked["data/events.csv"]["applyOn"] == run["retention"]["expiresOn"]
    assert marked["code/analyse.py"] is None


async def test_the_servers_retention_period_is_a_default_rule_that_waits_for_the_end(
    api,
    rol_sandbox,
    reana,  # noqa: F811
):
    # Given a server that keeps workspace files at most 30 days
    rol_sandbox.set_reana_account(retentionDays=30)
    client = await reana()
    # When a run is created (its spec asks 7 days for data/*)
    workflow_id = await create_run(client, f"kept-{uuid.uuid4().hex[:8]}")
    status, run = await api("GET", f"{BASE}/{workflow_id}")
    # Then it has its own rule and the server's default rule, both waiting for the run's end
    assert status == 200
    patterns = {r["pattern"]: r for r in run["retention"]["rules"]}
    assert set(patterns) == {"data/*", "**/*"}
    assert all(r["status"] == "created" and r["applyOn"] is None for r in patterns.values())
    assert run["retention"]["expiresAfterDays"] == 7
    # And once it finished, the rules are dated
    await api("POST", f"{BASE}/{workflow_id}/start", {})
    run = await wait_for_status(api, workflow_id, "finished")
    assert run["retention"]["expiresOn"] is not None
    assert all(r["status"] == "active" for r in run["retention"]["rules"])
