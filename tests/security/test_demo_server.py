"""The demo serves CKAN as stack/demo.sh does: with the flags of stack/common.sh, under which
Werkzeug's debugger (/console, a Python shell for whoever reaches it) does not answer."""
from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time

import requests

from hosts import NEIGHBOUR_HOST

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _run_flags() -> list[str]:
    with open(os.path.join(REPO, "stack", "common.sh"), encoding="utf-8") as f:
        return re.search(r'^CKAN_RUN_FLAGS="([^"]*)"', f.read(), re.M).group(1).split()


def test_the_demo_server_has_no_debugger_console(ckan_config):
    with socket.socket() as probe:
        probe.bind((NEIGHBOUR_HOST, 0))
        port = probe.getsockname()[1]
    ckan = os.path.join(os.path.dirname(sys.executable), "ckan")
    server = subprocess.Popen([ckan, "-c", ckan_config["__file__"], "run", "-H", NEIGHBOUR_HOST, "-p", str(port),
                               *_run_flags()], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://{NEIGHBOUR_HOST}:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                assert requests.get(f"{base}/api/3/action/status_show", timeout=5).status_code == 200
                break
            except requests.ConnectionError:
                assert time.monotonic() < deadline and server.poll() is None, "ckan run did not start"
                time.sleep(0.5)
        console = requests.get(f"{base}/console", timeout=10)
        assert console.status_code == 404 and "Werkzeug" not in console.text
        broken = requests.get(f"{base}/dataset/%00.ttl", timeout=10)  # an error page shows no traceback
        assert broken.status_code < 500 and "Traceback" not in broken.text
    finally:
        server.terminate()
        server.wait(timeout=20)
