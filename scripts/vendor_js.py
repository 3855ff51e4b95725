"""Re-fetch the JavaScript the WebGL overview inlines (sigma.js, graphology) into ``kg/data/js/``.

    python scripts/vendor_js.py            # fetch the pinned versions with `npm pack`, write files + manifest
    python scripts/vendor_js.py --check    # only verify the vendored files against kg/data/js/manifest.json

Why vendored: pages must open offline with no request at all, and a build must never touch the network, so
the minified UMD builds live in the package (``kg/data/js/``) next to their licence texts. ``npm pack`` (the
ordinary npm client) downloads each package tarball; npm checks the tarball against the registry's integrity
hash. The manifest records name, version, source path inside the tarball, the tarball's integrity and the
sha256 of every vendored file; ``kg.view.html`` re-checks the sha256 when it loads the files, so a corrupted or
hand-edited bundle fails loudly instead of producing a broken page.

``events`` and ``graphology-utils`` are bundled inside ``sigma.min.js`` by sigma's own build; only their
licence texts are vendored.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEST = ROOT / "kg" / "data" / "js"

# package, version, {file inside the tarball: vendored name}
PACKAGES: list[tuple[str, str, dict[str, str]]] = [
    ("sigma", "3.0.3", {"dist/sigma.min.js": "sigma.min.js", "LICENSE.txt": "LICENSE-sigma.txt"}),
    (
        "graphology",
        "0.26.0",
        {"dist/graphology.umd.min.js": "graphology.umd.min.js", "LICENSE.txt": "LICENSE-graphology.txt"},
    ),
    ("events", "3.3.0", {"LICENSE": "LICENSE-events.txt"}),
    ("graphology-utils", "2.5.2", {"LICENSE.txt": "LICENSE-graphology-utils.txt"}),
]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def fetch() -> dict[str, object]:
    """npm pack each pinned package into a temporary folder and copy the wanted files to DEST."""
    DEST.mkdir(parents=True, exist_ok=True)
    manifest: dict[str, object] = {"packages": []}
    with tempfile.TemporaryDirectory() as tmp:
        for name, version, files in PACKAGES:
            out = subprocess.run(
                ["npm", "pack", f"{name}@{version}", "--json", "--pack-destination", tmp],
                check=True,
                capture_output=True,
                text=True,
            )
            [info] = json.loads(out.stdout)
            entries = {}
            with tarfile.open(Path(tmp) / info["filename"]) as tar:
                for inner, target in sorted(files.items()):
                    member = tar.extractfile(f"package/{inner}")
                    if member is None:
                        raise SystemExit(f"{name}@{version}: no {inner} in the tarball")
                    data = member.read()
                    (DEST / target).write_bytes(data)
                    entries[target] = {"from": inner, "sha256": sha256(data), "bytes": len(data)}
            manifest["packages"].append(  # type: ignore[union-attr]
                {"name": name, "version": version, "integrity": info["integrity"], "files": entries}
            )
    (DEST / "manifest.json").write_text(
        json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    return manifest


def check() -> int:
    """Compare every vendored file with the manifest; return the number of mismatches."""
    manifest = json.loads((DEST / "manifest.json").read_text(encoding="utf-8"))
    bad = 0
    for pkg in manifest["packages"]:
        for target, entry in pkg["files"].items():
            path = DEST / target
            ok = path.is_file() and sha256(path.read_bytes()) == entry["sha256"]
            print(f"{'ok ' if ok else 'BAD'} {pkg['name']}@{pkg['version']} {target}")
            bad += not ok
    return bad


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="verify the vendored files only (no network)")
    args = ap.parse_args()
    if not args.check:
        fetch()
    sys.exit(1 if check() else 0)


if __name__ == "__main__":
    main()
