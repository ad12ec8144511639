"""Smoke-test a built installer folder (build_installer.spec): run its three programs offscreen.

    .venv/bin/python tools/smoke_bundle.py [BUNDLE_DIR] [--pg-url URL] [--no-x11] [--keep]

BUNDLE_DIR is dist/reception/ of a build (default /tmp/reception-bundle/dist/reception). Everything runs
against a temporary data folder, key file and config folder, with Qt offscreen, so the machine's own data,
database and settings are never touched. Each step prints its result; the first failure stops the test with
a message and exit status 1.

On Linux with xvfb-run installed, the desk also starts once on X11 (Xvfb) instead of offscreen.

--pg-url (or SMOKE_PG_URL) names a PostgreSQL server the bundle may use, e.g. the one of
tools/start-test-postgres.sh: the test then creates a throw-away database there (with this interpreter's
psycopg), moves the SQLite database into it with `reception db migrate-to` and reads it back, which proves
the bundled psycopg driver works; the database is dropped afterwards.

Not part of the test suite (a build takes minutes); tools/build-installer.sh runs it after building.
"""

from __future__ import annotations

import argparse
import json
import locale
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

# Files the programs load at run time (globs below _internal/): data read from disk, and the Qt plugins and
# modules that are loaded by name, so that a build that lost one fails here rather than at a desk.
REQUIRED_FILES = [
    "resources/laws/*.law",
    "resources/laws/questions/*",
    "resources/guides/*.toml",
    "resources/cases/*.toml",
    "resources/kiosk/home.toml",
    "resources/icons/topics/*.svg",
    "resources/icons/kiosk/*.svg",
    "resources/qss/staff.qss",
    "resources/classification/guide.toml",
    "resources/deadlines.toml",
    "resources/remedies.toml",
    "db/migrations/env.py",
    "db/migrations/script.py.mako",
    "db/migrations/versions/*.py",
    "jieba/dict.txt",
    "jieba/finalseg/*.p",
    "pypinyin/*.json",
    "reportlab/fonts/Vera.ttf",
    "psycopg_binary/pq.*",
    "psycopg_binary/_psycopg.*",
    "PySide6/QtPdf.*",
    "PySide6/QtPdfWidgets.*",
    "PySide6/QtCharts.*",
    "PySide6/QtPrintSupport.*",
    "PySide6/QtTextToSpeech.*",
    "PySide6/**/iconengines/*qsvgicon*",
    "PySide6/**/imageformats/*qsvg*",
    "PySide6/**/platforms/*qoffscreen*",
    "PySide6/**/texttospeech/*",
]
if sys.platform.startswith("linux"):
    REQUIRED_FILES += [
        "PySide6/Qt/plugins/platforms/libqxcb.so",
        "PySide6/Qt/plugins/platforms/libqwayland.so",
        "PySide6/Qt/plugins/xcbglintegrations/*",
        "PySide6/Qt/plugins/wayland-shell-integration/*xdg-shell*",
        "PySide6/Qt/plugins/printsupport/*cups*",
        "PySide6/Qt/plugins/platforminputcontexts/*ibus*",
    ]
elif os.name == "nt":
    REQUIRED_FILES += ["PySide6/plugins/platforms/qwindows.dll", "PySide6/plugins/styles/*"]

DEFAULT_BUNDLE = Path(tempfile.gettempdir()) / "reception-bundle" / "dist" / "reception"
EXE_SUFFIX = ".exe" if os.name == "nt" else ""
PASSWORD = "Admin2026x"
CLI_TIMEOUT = 240  # the first `match` trains the matcher and builds the law index (seconds on a slow PC)


class SmokeFailure(Exception):
    pass


class Smoke:
    def __init__(self, bundle: Path, temp: Path):
        self.bundle = bundle
        self.temp = temp
        self.data = temp / "data"
        self.key = temp / "key" / "data.key"
        self.env = dict(os.environ)
        for name in ("RECEPTION_DB_URL", "RECEPTION_USER", "RECEPTION_STARTUP_PROBE", "PYTHONPATH", "PYTHONHOME"):
            self.env.pop(name, None)
        (temp / "tmp").mkdir()
        self.env.update(
            {
                "RECEPTION_DATA_DIR": str(self.data),
                "RECEPTION_KEY_FILE": str(self.key),
                "XDG_CONFIG_HOME": str(temp / "config"),
                "XDG_CACHE_HOME": str(temp / "cache"),
                # Qt's single-instance sockets and jieba's cache go to the temporary folder, so that a desk or
                # kiosk already running on this machine is neither found nor disturbed.
                "TMPDIR": str(temp / "tmp"),
                "TEMP": str(temp / "tmp"),
                "TMP": str(temp / "tmp"),
                "QT_QPA_PLATFORM": "offscreen",
                "RECEPTION_PASSWORD": PASSWORD,
            }
        )
        self.results: list[tuple[str, float, str]] = []

    # --- helpers ------------------------------------------------------------------------------------------------
    def exe(self, name: str) -> Path:
        path = self.bundle / f"{name}{EXE_SUFFIX}"
        if not path.is_file():
            raise SmokeFailure(f"{path} is missing: is {self.bundle} a dist/reception folder of build_installer.spec?")
        return path

    def run(self, *args: str, env: dict[str, str] | None = None, expect: int = 0) -> subprocess.CompletedProcess:
        command = [str(self.exe("reception")), *args]
        try:
            done = subprocess.run(
                command,
                env={**self.env, **(env or {})},
                capture_output=True,
                timeout=CLI_TIMEOUT,
                stdin=subprocess.DEVNULL,
            )
        except subprocess.TimeoutExpired as exc:
            raise SmokeFailure(f"`reception {' '.join(args)}` did not finish within {CLI_TIMEOUT} s") from exc
        done.stdout = _text(done.stdout)
        done.stderr = _text(done.stderr)
        if done.returncode != expect:
            raise SmokeFailure(
                f"`reception {' '.join(args)}` exited {done.returncode} (expected {expect})\n"
                f"--- stdout ---\n{_tail(done.stdout)}\n--- stderr ---\n{_tail(done.stderr)}"
            )
        return done

    def step(self, name: str, func) -> None:  # noqa: ANN001
        print(f"[....] {name}", flush=True)
        start = time.perf_counter()
        try:
            detail = func() or ""
        except SmokeFailure as exc:
            elapsed = time.perf_counter() - start
            print(f"[FAIL] {name} ({elapsed:.1f} s)\n{_indent(str(exc))}", flush=True)
            log = self.data / "logs" / "reception.log"
            if log.is_file():
                print(f"--- last lines of {log} ---\n{_tail(log.read_text(encoding='utf-8', errors='replace'))}")
            raise
        elapsed = time.perf_counter() - start
        self.results.append((name, elapsed, detail))
        print(f"[ ok ] {name} ({elapsed:.1f} s){': ' + detail if detail else ''}", flush=True)

    # --- the steps ----------------------------------------------------------------------------------------------
    def contents(self) -> str:
        internal = self.bundle / "_internal"
        if not internal.is_dir():
            internal = self.bundle
        missing = [pattern for pattern in REQUIRED_FILES if not any(internal.glob(pattern))]
        if missing:
            raise SmokeFailure(f"not in {internal}:\n" + "\n".join(missing))
        laws = len(list(internal.glob("resources/laws/*.law")))
        migrations = len(list(internal.glob("db/migrations/versions/*.py")))
        return f"{len(REQUIRED_FILES)} required files present; {laws} law files, {migrations} migrations"

    def help(self) -> str:
        out = self.run("--help").stdout
        if "reception-desk" not in out or "match" not in out:
            raise SmokeFailure(f"--help does not list the sub-commands:\n{_tail(out)}")
        return f"{len(out.splitlines())} lines of help"

    def db_upgrade(self) -> str:
        out = self.run("db", "upgrade").stdout.strip()
        database = self.data / "reception.sqlite3"
        if not database.is_file():
            raise SmokeFailure(f"`db upgrade` said {out!r} but {database} does not exist")
        head = _migration_head(self.bundle)
        with sqlite3.connect(database) as connection:
            rows = connection.execute("SELECT version_num FROM alembic_version").fetchall()
            tables = connection.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
        if rows != [(head,)]:
            raise SmokeFailure(f"database is at {rows}, the bundle's newest migration is {head}")
        where = self.run("db", "where").stdout.strip()
        return f"{out} — revision {head}, {tables} tables; db where: {where}"

    def accounts_init(self) -> str:
        out = self.run("accounts", "init", "--username", "admin", "--name", "李管理").stdout.strip()
        if not self.key.is_file():
            raise SmokeFailure(f"no key file at {self.key} after creating the first account")
        listing = self.run("--user", "admin", "accounts", "list").stdout
        if "admin" not in listing or "李管理" not in listing:
            raise SmokeFailure(f"`accounts list` does not show the new administrator:\n{listing}")
        return f"{out} (key file {self.key.stat().st_size} bytes)"

    def match(self) -> str:
        out = self.run("match", "老板拖欠工资三个月不给", "--json").stdout
        try:
            result = json.loads(out)
        except json.JSONDecodeError as exc:
            raise SmokeFailure(f"`match --json` did not print JSON: {exc}\n{_tail(out)}") from exc
        topics = [t.get("name", "") for t in result.get("topics", [])]
        statutes = result.get("statutes", [])
        if not topics or "劳动" not in topics[0]:
            raise SmokeFailure(f"top topic is {topics[:1]}, expected 劳动就业; output:\n{_tail(out)}")
        if not statutes:
            raise SmokeFailure(f"no statutes in the result:\n{_tail(out)}")
        first = statutes[0]
        return f"topic {topics[0]}, {len(statutes)} statutes, first 《{first.get('law')}》{first.get('article')}"

    def settings_and_guide(self) -> str:
        for key, value in (
            ("机关名称", "测试市信访局"),
            ("接待地址", "测试市人民路1号"),
            ("联系电话", "0000-12345678"),
            ("guide_base_url", "https://example.org/pufa"),
        ):
            self.run("--user", "admin", "settings", "set", key, value)
        shown = self.run("--user", "admin", "settings", "get").stdout
        if "测试市信访局" not in shown:
            raise SmokeFailure(f"`settings get` does not show the office name:\n{shown}")
        pdf = self.temp / "guide.pdf"
        done = self.run("--user", "admin", "handout", "guide", "--topic", "劳动就业", "--out", str(pdf))
        if not pdf.is_file() or pdf.read_bytes()[:5] != b"%PDF-":
            raise SmokeFailure(f"{pdf} is not a PDF\n{done.stdout}")
        fonts = next((line for line in done.stdout.splitlines() if line.startswith("字体")), "")
        if shutil.which("pdftotext") is None:
            return f"{pdf.stat().st_size} bytes, %PDF ok; text not checked (pdftotext not installed); {fonts}"
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, timeout=60).stdout.decode("utf-8")
        for wanted in ("劳动", "测试市信访局"):
            if wanted not in text:
                raise SmokeFailure(f"the PDF's text lacks {wanted!r} (missing CJK font?):\n{_tail(text)}")
        return f"{pdf.stat().st_size} bytes, text has 劳动 and the office name; {fonts}"

    def extras(self) -> str:
        xlsx = self.temp / "stats.xlsx"
        self.run("--user", "admin", "stats", "--from", "2026-01-01", "--to", "2026-12-31", "--xlsx", str(xlsx))
        if not zipfile.is_zipfile(xlsx):
            raise SmokeFailure(f"{xlsx} is not an Excel file")
        backup = self.run("--user", "admin", "backup").stdout.strip()
        audit = self.run("--user", "admin", "audit", "verify").stdout.strip()
        laws = json.loads(self.run("laws", "--json").stdout)
        return f"stats.xlsx ok; {backup}; {audit}; {len(laws)} laws listed"

    def desk(self, x11: bool = False, db_url: str | None = None) -> str:
        command = [str(self.exe("reception-desk"))]
        env = {**self.env, "RECEPTION_STARTUP_PROBE": "1"}
        if db_url:
            env["RECEPTION_DB_URL"] = db_url
        if x11:
            # The X11 plugin with the bundle's xcb libraries, and the desk's own check for missing ones.
            command = ["xvfb-run", "-a", "-s", "-screen 0 1920x1080x24", *command]
            env["QT_QPA_PLATFORM"] = "xcb"
        lines, err, code = _run_until(command, env, ("desk_ready_s=",), timeout=180, stop=False)
        found = {k: v for k, v in (line.split("=", 1) for line in lines if "=" in line)}
        if "desk_ready_s" not in found:
            raise SmokeFailure(
                f"reception-desk exited {code} without printing desk_ready_s= (stdout: {lines})\n"
                f"--- stderr ---\n{_tail(err)}"
            )
        if code not in (0, None):
            raise SmokeFailure(f"reception-desk printed {found} but exited {code}\n--- stderr ---\n{_tail(err)}")
        _no_traceback("reception-desk", err)
        return f"window_shown_s={found.get('window_shown_s', '?')} desk_ready_s={found['desk_ready_s']} (login shown)"

    def kiosk(self, via_cli: bool = False) -> str:
        seconds = 10
        if via_cli:
            command = [str(self.exe("reception")), "kiosk", "--window", "1080x1920"]
        else:
            command = [str(self.exe("reception-kiosk")), "--window", "1080x1920"]
        _, err, code = _run_until(command, self.env, (), timeout=seconds, stop=True)
        if code is not None:
            raise SmokeFailure(
                f"`{' '.join(command)}` ended after less than {seconds} s with exit status {code}\n"
                f"--- stderr ---\n{_tail(err)}"
            )
        _no_traceback("the kiosk", err)
        return f"still running after {seconds} s, then stopped"

    def log_clean(self) -> str:
        log = self.data / "logs" / "reception.log"
        if not log.is_file():
            raise SmokeFailure(f"no log file at {log}")
        lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
        bad = [line for line in lines if " ERROR " in line or " CRITICAL " in line or line.startswith("Traceback")]
        if bad:
            raise SmokeFailure("errors in the log:\n" + "\n".join(bad[:10]))
        return f"{log}: {len(lines)} lines, no ERROR or traceback"

    def postgres(self, url: str) -> str:
        try:
            import psycopg
        except ImportError:
            return "skipped: this interpreter has no psycopg to create the test database"
        # The bundled C driver (psycopg-binary, with its own libpq), not a libpq the machine may happen to have.
        self.env["PSYCOPG_IMPL"] = "binary"
        parts = urlsplit(url)
        admin_dsn = urlunsplit(parts._replace(scheme="postgresql"))
        name = f"reception_smoke_{os.getpid()}"
        target = urlunsplit(parts._replace(path=f"/{name}"))
        with psycopg.connect(admin_dsn, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        try:
            moved = self.run("--user", "admin", "db", "migrate-to", target).stdout.strip().splitlines()
            verify = self.run("--db", target, "--user", "admin", "audit", "verify").stdout.strip()
            settings = self.run("--db", target, "--user", "admin", "settings", "get", "机关名称").stdout.strip()
            if "测试市信访局" not in settings:
                raise SmokeFailure(f"the server database does not hold the office name: {settings}")
            desk = self.desk(db_url=target)
        finally:
            with psycopg.connect(admin_dsn, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        summary = next((line for line in moved if line.startswith("已迁移")), moved[-1] if moved else "")
        return f"{summary}; {verify}; desk on the server: {desk}"


# --- process helpers ----------------------------------------------------------------------------------------------
def _start(command: list[str], env: dict[str, str]) -> subprocess.Popen:
    extra: dict = {}
    if os.name == "nt":
        extra["creationflags"] = subprocess.CREATE_NEW_PROCESS_GROUP
    else:
        extra["start_new_session"] = True  # its own process group: `reception kiosk` has a child to stop too
    return subprocess.Popen(
        command, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **extra
    )


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    if os.name == "nt":
        subprocess.run(["taskkill", "/F", "/T", "/PID", str(process.pid)], capture_output=True)
    else:
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        if os.name != "nt":
            os.killpg(process.pid, signal.SIGKILL)
        process.kill()
        process.wait(10)


def _run_until(
    command: list[str], env: dict[str, str], wanted: tuple[str, ...], timeout: float, stop: bool
) -> tuple[list[str], str, int | None]:
    """Run command; collect its stdout lines until every wanted prefix was seen and it ended, or timeout.

    Returns (stdout lines, stderr, exit status or None when it was still running at the end and stopped).
    """
    process = _start(command, env)
    lines: list[str] = []
    errors: list[bytes] = []
    readers = [
        threading.Thread(target=lambda: lines.extend(_decode(raw) for raw in process.stdout), daemon=True),
        threading.Thread(target=lambda: errors.extend(process.stderr), daemon=True),
    ]
    for reader in readers:
        reader.start()
    deadline = time.monotonic() + timeout
    code: int | None = None
    try:
        while time.monotonic() < deadline:
            code = process.poll()
            if code is not None:
                break
            if wanted and all(any(line.startswith(w) for line in lines) for w in wanted) and not stop:
                # The probe quits by itself right after its last line; give it a moment to do so.
                try:
                    code = process.wait(30)
                except subprocess.TimeoutExpired:
                    code = None
                break
            time.sleep(0.2)
    finally:
        still_running = process.poll() is None
        _stop(process)
        for reader in readers:
            reader.join(5)
    if still_running:
        code = None
    return lines, _text(b"".join(errors)), code


def _decode(raw: bytes) -> str:
    return _text(raw).strip()


def _text(raw: bytes) -> str:
    """Output as the programs write it: UTF-8, or the console's code page (GBK on a Chinese Windows)."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode(locale.getpreferredencoding(False), "replace")


def _no_traceback(what: str, stderr: str) -> None:
    if "Traceback (most recent call last)" in stderr or "could not load the Qt platform plugin" in stderr.lower():
        raise SmokeFailure(f"{what} printed an error:\n{_tail(stderr)}")


def _migration_head(bundle: Path) -> str:
    """The newest revision among the bundle's migrations (the one no other revision names as its parent)."""
    folder = bundle / "_internal" / "db" / "migrations" / "versions"
    if not folder.is_dir():
        folder = bundle / "db" / "migrations" / "versions"
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in folder.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        revision = re.search(r"^revision\s*(?::[^=]*)?=\s*['\"]([^'\"]+)['\"]", text, re.MULTILINE)
        parent = re.search(r"^down_revision\s*(?::[^=]*)?=\s*['\"]([^'\"]+)['\"]", text, re.MULTILINE)
        if revision:
            revisions.add(revision.group(1))
        if parent:
            parents.add(parent.group(1))
    heads = revisions - parents
    if len(heads) != 1:
        raise SmokeFailure(f"cannot tell the newest migration in {folder}: heads {sorted(heads)}")
    return heads.pop()


def _tail(text: str, lines: int = 25) -> str:
    return "\n".join(text.rstrip().splitlines()[-lines:])


def _indent(text: str) -> str:
    return "\n".join(f"       {line}" for line in text.splitlines())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("bundle", nargs="?", default=str(DEFAULT_BUNDLE), help="the dist/reception folder")
    parser.add_argument("--pg-url", default=os.environ.get("SMOKE_PG_URL"), help="PostgreSQL server to try")
    parser.add_argument("--no-x11", action="store_true", help="skip the X11 step even where xvfb-run exists")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (its path is printed)")
    args = parser.parse_args(argv)
    bundle = Path(args.bundle).resolve()
    if not bundle.is_dir():
        print(f"FAIL: {bundle} does not exist; build it with tools/build-installer.sh", file=sys.stderr)
        return 1
    temp = Path(tempfile.mkdtemp(prefix="reception-smoke-"))
    print(f"bundle: {bundle}\ntemporary data: {temp}", flush=True)
    smoke = Smoke(bundle, temp)
    steps = [
        ("0. bundle contents", smoke.contents),
        ("a. reception --help", smoke.help),
        ("b. reception db upgrade (new SQLite database)", smoke.db_upgrade),
        ("c. reception accounts init --username admin", smoke.accounts_init),
        ("d. reception match 老板拖欠工资三个月不给 --json", smoke.match),
        ("e. settings set + handout guide --topic 劳动就业 (PDF)", smoke.settings_and_guide),
        ("e+. stats --xlsx, backup, audit verify, laws --json", smoke.extras),
        ("f. reception-desk startup probe (offscreen)", smoke.desk),
        ("g. reception-kiosk --window 1080x1920 (offscreen)", smoke.kiosk),
        ("g+. reception kiosk --window 1080x1920 (CLI starts reception-kiosk)", lambda: smoke.kiosk(via_cli=True)),
    ]
    if sys.platform.startswith("linux") and shutil.which("xvfb-run") and not args.no_x11:
        steps.insert(-2, ("f+. reception-desk startup probe on X11 (xvfb-run)", lambda: smoke.desk(x11=True)))
    if args.pg_url:
        steps.append(("h. PostgreSQL: db migrate-to, then read back", lambda: smoke.postgres(args.pg_url)))
    steps.append(("i. the programs' log has no errors", smoke.log_clean))
    started = time.perf_counter()
    try:
        for name, func in steps:
            smoke.step(name, func)
    except SmokeFailure:
        print(f"\nSMOKE TEST FAILED (temporary data kept in {temp})", flush=True)
        return 1
    finally:
        if args.keep:
            print(f"kept {temp}")
    if not args.keep:
        shutil.rmtree(temp, ignore_errors=True)
    print(f"\nSMOKE TEST PASSED: {len(steps)} steps in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
