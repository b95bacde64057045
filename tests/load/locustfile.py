"""Workshop participants answer through autosave while report downloads run (`make load`).

Run by tests/load/run.py, which prepares the database and the app and passes, through the
environment: LOAD_CODE (the join code), LOAD_PLAN (a JSON file: the questions and the values
to answer them with), LOAD_SENT (where every acknowledged save is recorded), LOAD_USERS (the
participants), LOAD_TEAMS, LOAD_SAVES (answers each participant saves), LOAD_THINK (seconds
between two answers, "low-high"), and for the downloads LOAD_DOWNLOADS (how many at once),
LOAD_REPORTS (a JSON file: the report addresses), LOAD_EMAIL and LOAD_PASSWORD (the
facilitator who downloads them) and LOAD_DOWNLOADS_SENT (where their times are written).

Participant n belongs to team n mod LOAD_TEAMS. The first member of a team joins with the
code and a team name; the others continue in the same team, as a phone that joined it does
(the team's signed cookie), so that a team's members share its answers. Each team splits the
questions among its members (as people at a table do) and each member saves LOAD_SAVES answers,
going round its questions again to change its mind. A member is the only one to change its
questions, so every save must succeed at once: a conflict (409) would mean a save was lost.
"""

from __future__ import annotations

import copy
import json
import os
import random
import re
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

import gevent
from gevent.event import AsyncResult
from locust import events, task
from locust.clients import HttpSession
from locust.contrib.fasthttp import FastHttpUser

CODE = os.environ.get("LOAD_CODE", "")
PLAN = json.loads(Path(os.environ["LOAD_PLAN"]).read_text()) if os.environ.get("LOAD_PLAN") else []
SENT_PATH = os.environ.get("LOAD_SENT", "sent.json")
USERS = int(os.environ.get("LOAD_USERS", "300"))
TEAMS = int(os.environ.get("LOAD_TEAMS", str(min(USERS, 300))))
SAVES = int(os.environ.get("LOAD_SAVES", "15"))
THINK = tuple(float(x) for x in os.environ.get("LOAD_THINK", "5-15").split("-"))
DOWNLOADS = int(os.environ.get("LOAD_DOWNLOADS", "0"))
REPORTS = (
    json.loads(Path(os.environ["LOAD_REPORTS"]).read_text())
    if os.environ.get("LOAD_REPORTS")
    else []
)
DOWNLOADS_PATH = os.environ.get("LOAD_DOWNLOADS_SENT", "downloads.json")
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
# The team's page links straight to the theme to answer next.
ANSWERING = re.compile(r'href="(/assessments/(\d+)/themes/[^"]+)"')
REFRESH = re.compile(r"\s*(\d+)\s*(?:;\s*url=(.*))?", re.IGNORECASE)

sent: list[dict] = []
downloads: list[dict] = []
teams: dict[int, AsyncResult] = {}
counter = {"started": 0, "finished": 0, "downloads_started": False}


def _team(index: int) -> AsyncResult:
    return teams.setdefault(index, AsyncResult())


class Participant(FastHttpUser):
    """One participant on one phone: join (or continue in) the team, answer its share.

    FastHttpUser (geventhttpclient) costs a third of the CPU of the requests-based client per
    request: the load generator shares the machine with the app, and its time is not the app's.
    """

    # One phone, one connection, kept open between answers as a browser does.
    concurrency = 1

    def on_start(self):
        self.done = False
        self.number = counter["started"]
        counter["started"] += 1
        if DOWNLOADS and not counter["downloads_started"] and counter["started"] >= USERS // 2:
            # Half the participants are in and answering: the reports are asked for now.
            counter["downloads_started"] = True
            gevent.spawn(_download_reports, self.environment, self.host)

    @task
    def answer_the_exercise(self):
        if self.done:
            gevent.sleep(1)
            return
        self.done = True
        try:
            self._play()
        finally:
            _finished(self.environment)

    def _play(self):
        team_index, member = self.number % TEAMS, self.number // TEAMS
        size = USERS // TEAMS + (1 if team_index < USERS % TEAMS else 0)
        team = _team(team_index)
        if member == 0:
            joined = self._join()
            team.set(joined)
            if joined is None:
                return
        else:
            joined = team.get(timeout=600)
            if joined is None:
                return
            # This phone continues in the team the first member's phone joined.
            self.client.cookiejar.set_cookie(copy.copy(joined["cookie"]))
        name, assessment_id, theme_url = joined["name"], joined["assessment"], joined["theme"]
        answering = self.client.get(theme_url, name="/assessments/[id]/themes/[theme]")
        token = TOKEN.search(answering.text or "")
        if token is None:
            return
        headers = {"X-CSRFToken": token.group(1), "Accept": "application/json"}
        mine = [q for i, q in enumerate(PLAN) if i % size == member] or PLAN
        revisions: dict[str, int] = {}
        for turn in range(SAVES):
            gevent.sleep(random.uniform(*THINK))  # people read and talk before they tap
            question = mine[turn % len(mine)]
            key = question["key"]
            value = random.choice(question["values"])
            with self.client.post(
                f"/assessments/{assessment_id}/answers/{key}",
                json={"value": value, "revision": revisions.get(key, 0)},
                headers=headers,
                name="/assessments/[id]/answers/[key]",
                catch_response=True,
            ) as response:
                if response.status_code != 200:
                    response.failure(f"{response.status_code}: {(response.text or '')[:200]}")
                    continue
                revision = response.json()["revision"]
                revisions[key] = revision
                sent.append({"team": name, "key": key, "value": value, "revision": revision})

    def _join(self) -> dict | None:
        # A person whose join is lost to a dropped connection taps "Join" again.
        for _attempt in range(3):
            joined = self._join_once()
            if joined != "retry":
                return joined
            gevent.sleep(2)
        return None

    def _join_once(self) -> dict | str | None:
        name = f"Team {uuid.uuid4().hex[:12]}"
        page = self.client.get(f"/join/{CODE}", name="/join/[code]")
        token = TOKEN.search(page.text or "")
        if token is None:
            return None
        with self.client.post(
            "/join",
            data=urlencode({"csrf_token": token.group(1), "code": CODE, "team": name}),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            name="/join (post)",
            catch_response=True,
        ) as home:
            found = ANSWERING.search(home.text or "")
            if found is None:
                home.failure(f"{home.status_code}: the team's page links to no assessment")
                return "retry" if home.status_code == 0 else None
        return {
            "name": name,
            "assessment": found.group(2),
            "theme": found.group(1),
            "cookie": next(c for c in self.client.cookiejar if c.name == "session"),
        }


def _download_reports(environment, host: str) -> None:
    """Sign the facilitator in once, then ask for every report at the same moment."""
    cookie = None
    for _attempt in range(3):  # a sign-in lost to a dropped connection is tried again
        session = HttpSession(base_url=host, request_event=environment.events.request, user=None)
        page = session.get("/sign-in", name="/sign-in")
        token = TOKEN.search(page.text or "")
        signed_in = session.post(
            "/sign-in",
            data={
                "csrf_token": token.group(1) if token else "",
                "email": os.environ.get("LOAD_EMAIL", ""),
                "password": os.environ.get("LOAD_PASSWORD", ""),
            },
            name="/sign-in (post)",
        )
        if signed_in.status_code == 200 and "/sign-in" not in signed_in.url:
            cookie = session.cookies.get("session")
            break
        gevent.sleep(2)
    jobs = [
        gevent.spawn(_download, environment, host, cookie, REPORTS[i % len(REPORTS)])
        for i in range(DOWNLOADS)
        if REPORTS
    ]
    gevent.joinall(jobs)


def _download(environment, host: str, cookie: str, report: dict) -> None:
    """One download, following the "being prepared" page (202 with Refresh) to the PDF."""
    session = HttpSession(base_url=host, request_event=environment.events.request, user=None)
    session.cookies.set("session", cookie)
    started = time.perf_counter()
    url, outcome, polls = report["url"], "error", 0
    while time.perf_counter() - started < 300:
        with session.get(url, name=report["name"], catch_response=True) as response:
            kind = response.headers.get("Content-Type", "")
            if response.status_code == 200 and kind.startswith("application/pdf"):
                outcome = "pdf" if response.content.startswith(b"%PDF") else "not a PDF"
                if outcome != "pdf":
                    response.failure("the download is not a PDF")
                break
            refresh = REFRESH.match(response.headers.get("Refresh", ""))
            if response.status_code in (200, 202) and refresh:
                # Waiting for the report queue: not a failure, the page refreshes itself.
                response.success()
                polls += 1
                url = (refresh.group(2) or url).strip().strip("'\"")
                gevent.sleep(max(int(refresh.group(1)), 0.2))
                continue
            response.failure(f"{response.status_code} {kind}")
            break
    downloads.append(
        {
            "name": report["name"],
            "seconds": time.perf_counter() - started,
            "outcome": outcome,
            "polls": polls,
        }
    )


def _finished(environment) -> None:
    counter["finished"] += 1
    if counter["finished"] == USERS and environment.runner is not None:
        gevent.spawn(_quit_when_downloaded, environment)


def _quit_when_downloaded(environment) -> None:
    # Every participant has answered: end the run once the downloads are in too.
    deadline = time.monotonic() + 300
    while DOWNLOADS and len(downloads) < DOWNLOADS and time.monotonic() < deadline:
        gevent.sleep(0.5)
    gevent.sleep(1)
    environment.runner.quit()


@events.quitting.add_listener
def _write_results(environment, **_kwargs):
    Path(SENT_PATH).write_text(json.dumps(sent))
    Path(DOWNLOADS_PATH).write_text(json.dumps(downloads))
