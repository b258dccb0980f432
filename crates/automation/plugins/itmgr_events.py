# IT Manager callback plugin: writes one JSON object per Ansible event to the file named by
# ITMGR_EVENTS, so the product reads structured results (per host, per task) instead of parsing
# the human output. Shipped with IT Manager and written into each run's work directory.
from __future__ import annotations

DOCUMENTATION = """
    name: itmgr_events
    type: notification
    short_description: JSON events for IT Manager
    description: Writes each playbook event as a JSON line to the file in ITMGR_EVENTS.
"""

import json
import os
import time

from ansible.plugins.callback import CallbackBase


def _text(v):
    if v is None:
        return None
    return str(v)


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "notification"
    CALLBACK_NAME = "itmgr_events"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        path = os.environ.get("ITMGR_EVENTS")
        self._out = open(path, "a", buffering=1, encoding="utf-8") if path else None
        self._play = None
        self._task = None
        self._started = {}

    def _emit(self, event, host=None, **data):
        if self._out is None:
            return
        record = {
            "event": event,
            "host": host,
            "play": self._play,
            "task": self._task,
            "at": time.time(),
        }
        record.update(data)
        self._out.write(json.dumps(record, default=str) + "\n")

    def _result(self, event, result, **extra):
        r = result._result or {}
        host = result._host.get_name()
        task = result._task
        started = self._started.get((host, task._uuid)) or self._started.get((None, task._uuid))
        data = {
            "action": _text(task.action),
            "changed": bool(r.get("changed", False)),
            "msg": _text(r.get("msg")),
            "rc": r.get("rc"),
            "duration_ms": int((time.time() - started) * 1000) if started else None,
        }
        if r.get("stderr"):
            data["stderr"] = _text(r.get("stderr"))[:4000]
        if r.get("stdout"):
            data["stdout"] = _text(r.get("stdout"))[:4000]
        data.update(extra)
        self._emit(event, host, **data)

    def v2_playbook_on_start(self, playbook):
        self._emit("playbook_on_start", playbook=_text(playbook._file_name))

    def v2_playbook_on_play_start(self, play):
        self._play = _text(play.get_name())
        self._task = None
        self._emit("playbook_on_play_start")

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._task = _text(task.get_name())
        self._started[(None, task._uuid)] = time.time()
        self._emit("playbook_on_task_start", action=_text(task.action))

    def v2_playbook_on_handler_task_start(self, task):
        self.v2_playbook_on_task_start(task, False)

    def v2_runner_on_start(self, host, task):
        self._started[(host.get_name(), task._uuid)] = time.time()

    def v2_runner_on_ok(self, result):
        self._result("runner_on_ok", result)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._result("runner_on_failed", result, ignore_errors=bool(ignore_errors))

    def v2_runner_on_unreachable(self, result):
        self._result("runner_on_unreachable", result)

    def v2_runner_on_skipped(self, result):
        self._result("runner_on_skipped", result)

    def v2_playbook_on_stats(self, stats):
        hosts = {}
        for h in sorted(stats.processed.keys()):
            s = stats.summarize(h)
            hosts[h] = {
                "ok": s.get("ok", 0),
                "changed": s.get("changed", 0),
                "failed": s.get("failures", 0),
                "unreachable": s.get("unreachable", 0),
                "skipped": s.get("skipped", 0),
                "rescued": s.get("rescued", 0),
                "ignored": s.get("ignored", 0),
            }
        self._emit("playbook_on_stats", hosts=hosts)
