"""300 workshop teams join with the code and answer 15 questions each through autosave.

Run by tests/load/run.py, which prepares the database and the app and passes, through the
environment: LOAD_CODE (the join code), LOAD_PLAN (a JSON file: the questions and the values
to answer them with), LOAD_SENT (where every team records what it sent) and LOAD_USERS.
"""

from __future__ import annotations

import json
import os
import random
import re
import uuid
from pathlib import Path

import gevent
from locust import HttpUser, events, task

CODE = os.environ.get("LOAD_CODE", "")
PLAN = json.loads(Path(os.environ["LOAD_PLAN"]).read_text()) if os.environ.get("LOAD_PLAN") else []
SENT_PATH = os.environ.get("LOAD_SENT", "sent.json")
USERS = int(os.environ.get("LOAD_USERS", "300"))
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
# The team's page links straight to the theme to answer next.
ANSWERING = re.compile(r'href="(/assessments/(\d+)/themes/[^"]+)"')

sent: list[dict] = []
finished = 0


class Team(HttpUser):
    """One team on one phone: join, open the answering page, answer every question once."""

    def on_start(self):
        self.done = False

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
        name = f"Team {uuid.uuid4().hex[:12]}"
        page = self.client.get(f"/join/{CODE}", name="/join/[code]")
        token = TOKEN.search(page.text)
        if token is None:
            return
        with self.client.post(
            "/join",
            data={"csrf_token": token.group(1), "code": CODE, "team": name},
            name="/join (post)",
            catch_response=True,
        ) as home:
            found = ANSWERING.search(home.text)
            if found is None:
                home.failure("the team's page links to no assessment")
                return
        assessment_id = found.group(2)
        answering = self.client.get(found.group(1), name="/assessments/[id]/themes/[theme]")
        token = TOKEN.search(answering.text) or token
        headers = {"X-CSRFToken": token.group(1), "Accept": "application/json"}
        for question in PLAN:
            gevent.sleep(random.uniform(0.5, 3.0))  # people read before they tap
            value = random.choice(question["values"])
            sent.append({"team": name, "key": question["key"], "value": value})
            self.client.post(
                f"/assessments/{assessment_id}/answers/{question['key']}",
                json={"value": value, "revision": 0},
                headers=headers,
                name="/assessments/[id]/answers/[key]",
            )


def _finished(environment) -> None:
    global finished
    finished += 1
    if finished >= USERS and environment.runner is not None:
        # Every team has answered: end the run now rather than at --run-time.
        gevent.spawn_later(1, environment.runner.quit)


@events.quitting.add_listener
def _write_sent(environment, **_kwargs):
    with open(SENT_PATH, "w") as out:
        json.dump(sent, out)
