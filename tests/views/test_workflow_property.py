"""Any sequence of supersede, publish, amend, withdraw and reaffirm on a clean corpus leaves it
clean: each command either refuses the request as it stands (nothing written) or writes a
corpus with no error."""

from __future__ import annotations

import shutil
import tempfile
from datetime import date, timedelta
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from guidelint.app.config import find_project, load_config
from guidelint.app.workflow import (
    Plan,
    Refused,
    new_errors,
    plan_amend,
    plan_publish,
    plan_reaffirm,
    plan_supersede,
    plan_withdraw,
    read_corpus,
    write,
)
from guidelint.core.settings import Settings
from guidelint.engine.run import RunOptions, run
from guidelint.rules.registry import select_codes
from tests.views.corpus import clean_corpus

START = date(2026, 12, 3)
ENABLED = select_codes(None, None)


class Workflow(RuleBasedStateMachine):
    @initialize()
    def start(self) -> None:
        self.folder = Path(tempfile.mkdtemp()) / "corpus"
        clean_corpus(self.folder)
        project = find_project([self.folder])
        self.config = load_config(project.settings, project)
        self.day = START
        self.made = 0
        self.refusals = 0

    def teardown(self) -> None:
        shutil.rmtree(self.folder.parent, ignore_errors=True)

    def settings(self) -> Settings:
        return Settings(today=self.day, stale_after_years=self.config.stale_after_years)

    def ids(self, *statuses: str) -> list[str]:
        corpus = read_corpus(self.folder, self.config, self.settings())
        return sorted(v.id for v in corpus.versions.values() if v.status in statuses)

    def attempt(self, make: object) -> None:
        """Plan, check and write one command, as the command line does."""
        self.day += timedelta(days=40)  # time passes between an editor's steps
        settings = self.settings()
        corpus = read_corpus(self.folder, self.config, settings)
        try:
            plan: Plan = make(corpus, self.day)  # type: ignore[operator]
        except Refused as exc:
            assert exc.exit_code == 2, exc
            self.refusals += 1
            return
        added, _ = new_errors(corpus, plan, self.config, settings, ENABLED)
        assert added == [], [f"{d.path}:{d.line} {d.code} {d.message}" for d in added]
        write(plan)

    def new_id(self) -> str:
        self.made += 1
        return f"gen-v{self.made}-{self.day.year}"

    @rule(data=st.data(), count=st.integers(1, 2))
    def supersede(self, data: st.DataObject, count: int) -> None:
        current = self.ids("current")
        olds = (
            data.draw(st.lists(st.sampled_from(current), min_size=1, max_size=count, unique=True))
            if current
            else ["none"]
        )
        new_id = self.new_id()
        self.attempt(lambda corpus, day: plan_supersede(corpus, olds, new_id, day))

    @rule(data=st.data())
    def publish(self, data: st.DataObject) -> None:
        drafts = self.ids("draft")
        if drafts:
            draft = data.draw(st.sampled_from(drafts))
            self.attempt(lambda corpus, day: plan_publish(corpus, draft, day))

    @rule(data=st.data())
    def amend(self, data: st.DataObject) -> None:
        current = self.ids("current")
        if current:
            base = data.draw(st.sampled_from(current))
            new_id = self.new_id()
            self.attempt(lambda corpus, day: plan_amend(corpus, base, new_id, day))

    @rule(data=st.data(), reason=st.sampled_from(["outdated", "safety", "merged", "other"]))
    def withdraw(self, data: st.DataObject, reason: str) -> None:
        current = self.ids("current")
        if current:
            target = data.draw(st.sampled_from(current))
            self.attempt(
                lambda corpus, day: plan_withdraw(
                    corpus, target, reason, "https://example.org/g", day
                )
            )

    @rule(data=st.data())
    def reaffirm(self, data: st.DataObject) -> None:
        current = self.ids("current")
        if current:
            target = data.draw(st.sampled_from(current))
            self.attempt(lambda corpus, day: plan_reaffirm(corpus, target, day))

    @invariant()
    def clean(self) -> None:
        if not hasattr(self, "folder"):
            return
        result = run([self.folder], self.settings(), ENABLED, self.config, RunOptions())
        errors = [d for d in result.diagnostics if d.severity.value == "error"]
        assert errors == [], [f"{d.path}:{d.line} {d.code} {d.message}" for d in errors]


Workflow.TestCase.settings = settings(
    max_examples=10,
    stateful_step_count=5,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_workflow = Workflow.TestCase
