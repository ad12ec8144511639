"""Measure and photograph a web page as a phone shows it, with Debian's headless Chromium.

Chromium's headless window is never narrower than 500 px, so `--window-size=360,…` alone lays a page
out at 500 px and crops the picture. This drives the browser over its DevTools pipe instead and sets
the phone's viewport (Emulation.setDeviceMetricsOverride), as the browser's own device mode does.
Used by the phone-page tests and by docs/make_kiosk_screenshots.py.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


class PhoneBrowser:
    """One headless Chromium with one page, viewed as a phone `width` CSS pixels wide."""

    def __init__(self, width: int = 360, height: int = 760, timeout: float = 30.0):
        binary = chromium_path()
        if binary is None:
            raise FileNotFoundError("chromium is not installed (apt-get install chromium)")
        self.timeout = timeout
        self._profile = tempfile.mkdtemp(prefix="reception-chromium-")
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()

        def wire() -> None:  # in the child: the DevTools pipe is fds 3 (in) and 4 (out)
            # Out of the way first: one of the pipe's own fds may be 3 or 4.
            reading, writing = os.dup(to_browser_r), os.dup(from_browser_w)
            os.dup2(reading, 3)
            os.dup2(writing, 4)

        self._process = subprocess.Popen(
            [
                binary,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                "--remote-debugging-pipe",
                f"--user-data-dir={self._profile}",
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=wire,  # noqa: PLW1509 - fds must be in place before exec; the child is a plain browser
            # Pipes are close-on-exec and dup2's copies are not: only fds 3 and 4 reach the browser.
            close_fds=False,
        )
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._buffer = b""
        self._next_id = 0
        target = self._call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self._session = self._call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        self._call(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 2, "mobile": True},
            session=True,
        )

    def _send(self, method: str, params: dict | None, session: bool) -> int:
        self._next_id += 1
        message: dict = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = self._session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        return self._next_id

    def _read(self) -> dict:
        deadline = time.monotonic() + self.timeout
        while b"\0" not in self._buffer:
            if time.monotonic() > deadline:
                raise TimeoutError("chromium did not answer")
            chunk = os.read(self._from_browser, 1 << 16)
            if not chunk:
                raise ConnectionError("chromium closed its DevTools pipe")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    def _call(self, method: str, params: dict | None = None, session: bool = False) -> dict:
        wanted = self._send(method, params, session)
        while True:
            message = self._read()
            if message.get("id") == wanted:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def open(self, url: str) -> None:
        """Navigate and wait until that very document has loaded (events of an earlier page may still be
        in the pipe, and a change of #fragment fires no load event, so the document itself is asked)."""
        self._call("Page.navigate", {"url": url}, session=True)
        deadline = time.monotonic() + self.timeout
        while self.evaluate("location.href + ' ' + document.readyState") != f"{url} complete":
            if time.monotonic() > deadline:
                raise TimeoutError(f"page did not load: {url}")
            time.sleep(0.02)

    def evaluate(self, expression: str) -> object:
        result = self._call("Runtime.evaluate", {"expression": expression, "returnByValue": True}, session=True)
        return result["result"].get("value")

    def layout_width(self, url: str) -> tuple[int, int]:
        """(the page's scroll width, the viewport width) in CSS pixels: wider means horizontal scrolling."""
        self.open(url)
        width = self.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        return int(width[0]), int(width[1])  # type: ignore[index]

    def screenshot(self, url: str, target: Path, full_page: bool = True) -> None:
        self.open(url)
        params: dict = {"format": "png"}
        if full_page:
            height = int(self.evaluate("document.documentElement.scrollHeight"))  # type: ignore[arg-type]
            width = int(self.evaluate("window.innerWidth"))  # type: ignore[arg-type]
            params.update(
                captureBeyondViewport=True, clip={"x": 0, "y": 0, "width": width, "height": height, "scale": 1}
            )
        data = self._call("Page.captureScreenshot", params, session=True)["data"]
        target.write_bytes(base64.b64decode(data))

    def close(self) -> None:
        try:
            self._send("Browser.close", None, False)
            self._process.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            self._process.kill()
        finally:
            os.close(self._to_browser)
            os.close(self._from_browser)
            shutil.rmtree(self._profile, ignore_errors=True)

    def __enter__(self) -> PhoneBrowser:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
