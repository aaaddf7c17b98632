"""Every workflow run of the sandbox user, and the rules by which reana-server finds and lists them."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .account import Account
from .model import RUN_STATUSES, USER_ID, RetentionRule, Workflow, now_text, seconds_between
from .seed import materialize, seed_store

_RUN_RE = re.compile(r"^(?P<name>[^.]+)\.(?P<run>\d+(?:\.\d+)?)$")


class LookupFailed(Exception):
    """The workflow named in the URL does not exist (reana-server answers 404)."""


class BadQuery(Exception):
    """A list parameter reana-server would refuse with 400."""


@dataclass
class Page:
    items: list[Workflow]
    total: int


class ReanaStore:
    """Runs in creation order, indexed by id and name; workspaces under `data_dir/workspaces/<id>`.

    `open_workspace` writes a seeded run's files on first access, so thousands of seeded
    runs cost nothing until someone looks inside one.
    """

    def __init__(
        self,
        data_dir: Path | str,
        *,
        scale: int = 0,
        seed: int = 0,
        account: Account | None = None,
    ) -> None:
        self.data_dir = Path(data_dir)
        self.workspaces = self.data_dir / "workspaces"
        self.workspaces.mkdir(parents=True, exist_ok=True)
        self.by_id: dict[str, Workflow] = {}
        self.runs: dict[str, list[Workflow]] = {}
        self.account = account or Account()
        seed_store(self, scale=scale, seed=seed)

    # ---- creating and finding
    def create(self, name: str, specification: dict[str, Any]) -> Workflow:
        """A new run `name.N`; BadRetention when its retention rules are refused."""
        rules = self.retention_rules(specification)
        runs = self.runs.setdefault(name, [])
        number = max((w.run_number for w in runs), default=0) + 1
        workflow = Workflow(name, number, specification, USER_ID, now_text())
        workflow.retention_rules = rules
        self.add(workflow)
        self.workspace_of(workflow).mkdir(parents=True, exist_ok=True)
        return workflow

    def add(self, workflow: Workflow) -> None:
        self.by_id[workflow.id] = workflow
        self.runs.setdefault(workflow.name, []).append(workflow)

    def find(self, id_or_name: str) -> Workflow:
        """A UUID, `name.N`, `name.N.M` or `name` (its latest run), as reana-server resolves them."""
        found = self.by_id.get(id_or_name)
        numbered = _RUN_RE.match(id_or_name)
        if found is None and numbered:
            found = next(
                (w for w in self.runs.get(numbered["name"], []) if w.run_label == numbered["run"]),
                None,
            )
        elif found is None and self.runs.get(id_or_name):
            found = self.runs[id_or_name][-1]
        if found is None:
            raise LookupFailed(
                f"REANA_WORKON is set to {id_or_name}, but that workflow does not exist. "
                "Please set your REANA_WORKON environment variable appropriately."
            )
        return found

    def restart(self, original: Workflow, specification: dict[str, Any] | None) -> Workflow:
        """A new run `name.N.M` of a settled run N, in N's workspace, as reana-server clones it."""
        self.open_workspace(original)
        siblings = [w for w in self.runs[original.name] if w.run_number == original.run_number]
        rules = self.retention_rules(specification or original.specification)
        for sibling in siblings:
            for rule in sibling.retention_rules:
                rule.deactivate()
        clone = Workflow(
            original.name,
            original.run_number,
            specification or original.specification,
            USER_ID,
            now_text(),
            restart_number=max(w.restart_number for w in siblings) + 1,
            workspace_id=original.workspace_id,
        )
        clone.retention_rules = rules
        self.add(clone)
        return clone

    def retention_rules(self, specification: dict[str, Any]) -> list[RetentionRule]:
        return [RetentionRule(p, d) for p, d in self.account.retention_rules(specification)]

    def workspace_of(self, workflow: Workflow) -> Path:
        return self.workspaces / workflow.workspace_id

    def open_workspace(self, workflow: Workflow) -> Path:
        """The workspace directory, written out first if it was only seeded in memory."""
        path = self.workspace_of(workflow)
        if not workflow.materialized:
            materialize(workflow, path)
            workflow.materialized = True
        return path

    def delete(self, workflow: Workflow) -> Path:
        """Mark the run deleted; returns its workspace for the caller to remove off the event loop."""
        workflow.status = "deleted"
        workflow.materialized = True
        return self.workspace_of(workflow)

    def cpu_seconds(self) -> int:
        """What the quota reports as CPU used: the summed wall time of every run that ran."""
        total = 0
        for workflow in self.by_id.values():
            end = workflow.run_finished_at or workflow.run_stopped_at
            if workflow.run_started_at and end:
                total += seconds_between(workflow.run_started_at, end)
        return total

    # ---- listing
    def query(
        self,
        *,
        statuses: list[str] | None,
        search: str | None,
        sort: str | None,
        page: int | None,
        size: int | None,
        id_or_name: str | None = None,
    ) -> Page:
        """Filter, sort by creation and page like reana-server; `total` counts before paging."""
        # Unfiltered, reana-server lists deleted runs too (reana-client leaves them out itself).
        wanted = set(statuses or RUN_STATUSES)
        unknown = wanted - set(RUN_STATUSES)
        if unknown:
            raise BadQuery(f"Unknown status {sorted(unknown)[0]}.")
        names = _search_names(search)
        order = (sort or "desc").lower()
        if order not in ("asc", "desc"):
            raise BadQuery(f"Unknown sort order {sort!r}: use asc or desc.")
        if (page is not None and page < 1) or (size is not None and size < 1):
            raise BadQuery("Field 'page' and 'size' must be positive.")
        if id_or_name:
            candidates: list[Workflow] = [self.find(id_or_name)]
        else:
            candidates = list(self.by_id.values())
        matching = [
            w
            for w in candidates
            if w.status in wanted and (not names or any(n in w.name.lower() for n in names))
        ]
        if order == "desc":
            matching.reverse()
        total = len(matching)
        if size is not None:
            start = ((page or 1) - 1) * size
            matching = matching[start : start + size]
        return Page(matching, total)


def _search_names(search: str | None) -> list[str]:
    if not search:
        return []
    try:
        parsed = json.loads(search)
    except ValueError:
        raise BadQuery('Field \'search\' must be a JSON object such as {"name": ["x"]}.') from None
    if not isinstance(parsed, dict) or not all(
        isinstance(v, list) and all(isinstance(i, str) for i in v) for v in parsed.values()
    ):
        raise BadQuery("Field 'search' must map filter names to lists of strings.")
    return [n.lower() for n in parsed.get("name", [])]
