"""`hub serve`: editing a YAML file updates the served page, and livereload is on."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from pathlib import Path

from conftest import VALID_STUDY, copy_project, hub_command, write_study
from hub.publish.localhost import fetch, free_port


def wait_for(url: str, text: str, seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        page = fetch(url)
        if page is not None and text in page:
            return page
        time.sleep(0.3)
    raise AssertionError(f"{url} did not show {text!r} within {seconds} s")


def test_edit_updates_served_page(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    path = write_study(project, "family-group-conferences", VALID_STUDY)
    port = free_port()
    server = subprocess.Popen(
        hub_command("serve", "--dev-addr", f"127.0.0.1:{port}"),
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    output: list[str] = []
    reader = threading.Thread(
        target=lambda: output.extend(line.decode("utf-8", "replace") for line in server.stdout or ()), daemon=True
    )
    reader.start()
    try:
        url = f"http://127.0.0.1:{port}/practice/family-group-conferences/"
        page = wait_for(url, "Family group conferences before proceedings")
        assert "livereload" in page, "the preview reloads the browser on change"
        assert '<meta name="hub-preview"' in page, "its search box can say the preview has no index"
        assert any(f"the preview is at http://127.0.0.1:{port}/" in line for line in output), "".join(output)
        path.write_text(VALID_STUDY.replace("before proceedings", "at the front door"), encoding="utf-8")
        wait_for(url, "Family group conferences at the front door")
        # A file with a mistake is reported; the last good page stays up.
        path.write_text(VALID_STUDY.replace("family-networks", "famly-networks"), encoding="utf-8")
        deadline = time.monotonic() + 60
        while not any("'famly-networks' is not a known theme" in line for line in output):
            assert time.monotonic() < deadline, "the mistake was not reported:\n" + "".join(output)
            time.sleep(0.1)
        assert "at the front door" in (fetch(url) or "")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        reader.join(timeout=30)
    assert any("The preview shows the last good version." in line for line in output)
