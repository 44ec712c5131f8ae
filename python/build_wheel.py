#!/usr/bin/env python3
"""Builds the ``mlwatch`` wheel (``mlwatch-<version>-py3-none-any.whl``) with the standard library only.

Why not ``pip wheel``: building needs setuptools and wheel in the build environment, and with no package
index reachable (CI, air-gapped machines) pip cannot fetch them; a pure-Python wheel is a zip file with
three metadata files (PEP 427, PEP 376 RECORD, core metadata 2.1), which this script writes directly.
The output is reproducible: entries sorted, timestamps fixed (``SOURCE_DATE_EPOCH``, else 1980-01-01).

    python3 python/build_wheel.py --out dist-packages
"""
import argparse
import base64
import hashlib
import os
import sys
import time
import zipfile

try:
    import tomllib
except ModuleNotFoundError:  # Python < 3.11
    sys.exit("build_wheel.py needs Python 3.11 or newer (tomllib)")

HERE = os.path.dirname(os.path.abspath(__file__))


def _digest(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")


def _metadata(project: dict, readme: str) -> str:
    lines = [
        "Metadata-Version: 2.1",
        f"Name: {project['name']}",
        f"Version: {project['version']}",
        f"Summary: {project['description']}",
        f"License: {project.get('license', {}).get('text', '')}",
        f"Requires-Python: {project['requires-python']}",
    ]
    lines += [f"Requires-Dist: {dep}" for dep in project.get("dependencies", [])]
    lines += [f"Classifier: {c}" for c in project.get("classifiers", [])]
    lines.append("Description-Content-Type: text/markdown")
    return "\n".join(lines) + "\n\n" + readme


def build(out_dir: str) -> str:
    """Writes the wheel into ``out_dir`` and returns its path."""
    with open(os.path.join(HERE, "pyproject.toml"), "rb") as f:
        project = tomllib.load(f)["project"]
    name, version = project["name"], project["version"]
    package_dir = os.path.join(HERE, "src", name)
    with open(os.path.join(package_dir, "__init__.py"), encoding="utf-8") as f:
        if f'__version__ = "{version}"' not in f.read():
            sys.exit(f"build_wheel.py: {name}/__init__.py's __version__ differs from pyproject.toml's {version}")
    with open(os.path.join(HERE, project.get("readme", "README.md")), encoding="utf-8") as f:
        readme = f.read()

    files: list[tuple[str, bytes]] = []
    for root, dirs, names in os.walk(package_dir):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for file in sorted(names):
            if file.endswith((".py", ".typed")):
                path = os.path.join(root, file)
                with open(path, "rb") as f:
                    files.append((os.path.relpath(path, os.path.join(HERE, "src")).replace(os.sep, "/"), f.read()))
    dist_info = f"{name}-{version}.dist-info"
    files.append((f"{dist_info}/METADATA", _metadata(project, readme).encode("utf-8")))
    files.append((f"{dist_info}/WHEEL", b"Wheel-Version: 1.0\nGenerator: mlwatch build_wheel.py\nRoot-Is-Purelib: true\nTag: py3-none-any\n"))
    record = "".join(f"{path},{_digest(data)},{len(data)}\n" for path, data in files) + f"{dist_info}/RECORD,,\n"
    files.append((f"{dist_info}/RECORD", record.encode("utf-8")))

    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "315532800"))
    stamp = time.gmtime(max(epoch, 315532800))[:6]
    os.makedirs(out_dir, exist_ok=True)
    wheel = os.path.join(out_dir, f"{name}-{version}-py3-none-any.whl")
    with zipfile.ZipFile(wheel, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for path, data in files:
            info = zipfile.ZipInfo(path, date_time=stamp)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return wheel


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Build the mlwatch wheel with the standard library only.")
    parser.add_argument("--out", default=os.path.join(HERE, "..", "dist-packages"))
    print(build(parser.parse_args().out))
