"""``make wheel-check``: build the wheel, install it in a fresh venv, and use it from outside the repo.

Proves the package data (the top-level templates/ shipped as flask_order_admin/templates, the
Alembic revisions in flask_order_admin/migrations/versions, and the PEP 561 marker py.typed) is in
the wheel and that a host can initialise the extension from the installed copy.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

INSTALLED_CHECK = Path(__file__).with_name("wheel_installed_check.py")


def run(*args: str | Path, cwd: Path = ROOT) -> None:
    print("+", " ".join(map(str, args)), flush=True)
    subprocess.run([str(a) for a in args], cwd=cwd, check=True)


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="order-admin-wheel-") as tmp_name:
        tmp = Path(tmp_name)
        run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", tmp / "dist", ".")
        wheel = next((tmp / "dist").glob("flask_order_admin-*.whl"))
        names = zipfile.ZipFile(wheel).namelist()
        packaged = [n for n in names if n.startswith("flask_order_admin/templates/order_admin/")]
        print(f"{wheel.name}: {len(names)} files, {len(packaged)} under flask_order_admin/templates/order_admin/")
        if "flask_order_admin/py.typed" not in names:
            sys.exit("wheel-check: FAILED (flask_order_admin/py.typed is not in the wheel: type checkers would skip it)")
        run(sys.executable, "-m", "venv", tmp / "venv")
        python = tmp / "venv" / "bin" / "python"
        run(python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", wheel)
        # From the temporary folder, so only the installed copy can be imported.
        run(python, INSTALLED_CHECK, ROOT, cwd=tmp)
    print("wheel-check: OK")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except subprocess.CalledProcessError as exc:
        sys.exit(f"wheel-check: FAILED ({Path(str(exc.cmd[0])).name} exited {exc.returncode})")
