"""Packaging: what ``make demo`` installs and where it serves, and the example extra covering the example shops."""

from __future__ import annotations

import ast
import configparser
import importlib.metadata
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def make_dry_run(*args: str) -> str:
    return subprocess.run(["make", "-n", "-B", *args], cwd=ROOT, check=True, capture_output=True, text=True).stdout


@pytest.mark.parametrize(("target", "args", "url", "serves"), [
    ("demo", (), "http://127.0.0.1:5000/admin/", "--host 127.0.0.1 --port 5000"),
    ("demo", ("PORT=5123",), "http://127.0.0.1:5123/admin/", "--host 127.0.0.1 --port 5123"),
    ("demo", ("PORT=5123", "HOST=0.0.0.0"), "http://0.0.0.0:5123/admin/", "--host 0.0.0.0 --port 5123"),
    ("demo-legacy", (), "http://127.0.0.1:5001/backoffice/", "--host 127.0.0.1 --port 5001"),
    ("demo-legacy", ("PORT=6001", "HOST=0.0.0.0"), "http://0.0.0.0:6001/backoffice/", "--host 0.0.0.0 --port 6001"),
])
def test_demo_serves_and_prints_where_it_was_told(target, args, url, serves):
    commands = make_dry_run(target, *args)
    assert f"Open {url} " in commands
    assert re.search(rf"flask --app example_app(\.legacy)? run {serves}$", commands, re.MULTILINE)


def test_demo_installs_the_example_extra_and_test_the_test_extra():
    assert "-e '.[example]'" in make_dry_run("demo")
    assert "'.[test]'" not in make_dry_run("demo")
    assert "-e '.[test]'" in make_dry_run("test")


def extras() -> dict[str, set[str]]:
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    section = config["options.extras_require"]
    names = {extra: {re.split(r"[\s<>=\[;]", line.strip())[0].lower() for line in section[extra].splitlines()
                     if line.strip()} for extra in section}
    names["install_requires"] = {re.split(r"[\s<>=\[;]", line.strip())[0].lower()
                                 for line in config["options"]["install_requires"].splitlines() if line.strip()}
    return names


def with_dependencies(names: set[str]) -> set[str]:
    """``names`` and everything they require (as installed here), extras of theirs left out; a requirement not
    installed (its marker does not apply here) adds nothing."""
    found, todo = set(), list(names)
    while todo:
        name = todo.pop().lower().replace("_", "-")
        if name in found:
            continue
        found.add(name)
        try:
            requirements = importlib.metadata.distribution(name).requires or ()
        except importlib.metadata.PackageNotFoundError:
            continue
        for requirement in requirements:
            if "extra ==" not in requirement:
                todo.append(re.split(r"[\s<>=!~\[;(]", requirement)[0])
    return found


def test_the_example_extra_is_all_the_example_shops_import():
    modules = set()
    for path in (ROOT / "example_app").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules.add(node.module.split(".")[0])
    third_party = modules - set(sys.stdlib_module_names) - {"example_app", "flask_order_admin"}
    distributions = importlib.metadata.packages_distributions()
    needed = {distributions[module][0].lower().replace("_", "-") for module in third_party}
    declared = extras()
    assert {"flask-login", "flask-limiter", "flask-babel"} <= needed  # the test sees the example shops' imports
    assert needed - with_dependencies(declared["install_requires"] | declared["example"]) == set()
    assert declared["example"] <= declared["test"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_make_demo_port_serves_the_login_page_there(tmp_path):
    port = free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite'}", "FLASK_DEBUG": "0"}
    # -o: the installed venv is taken as it is (the demo's own install is the test above's business).
    demo = subprocess.Popen(["make", "-o", ".venv/.installed-example", "demo", f"PORT={port}"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    # Should the demo hang without a word, it is stopped: the output ends and the assertion below says so.
    watchdog = threading.Timer(120, os.killpg, (demo.pid, signal.SIGKILL))
    watchdog.start()
    try:
        printed = []
        for line in demo.stdout:  # the server says when it listens; no guessing how long seeding takes
            printed.append(line)
            if f"Running on http://127.0.0.1:{port}" in line:
                break
        assert f"Open http://127.0.0.1:{port}/admin/ " in "".join(printed)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=10) as response:
            assert response.status == 200
            assert 'name="password"' in response.read().decode()
    finally:
        watchdog.cancel()
        if demo.poll() is None:
            os.killpg(demo.pid, signal.SIGTERM)
        demo.wait(timeout=10)
