"""Reads requirements files with pip's own parser: a JSON list of texts on stdin, one result per text on stdout."""
import json
import os
import sys
import tempfile

from pip._internal.network.session import PipSession
from pip._internal.req.req_file import parse_requirements
from pip._vendor.packaging.requirements import Requirement
from pip._vendor.packaging.utils import canonicalize_name


def entries(path, session):
    out = []
    for parsed in parse_requirements(path, session=session):
        if parsed.is_editable:
            continue
        req = Requirement(parsed.requirement)
        pins = [s.version for s in req.specifier if s.operator in ("==", "===")]
        hashes = []
        for algo, digests in (parsed.options or {}).get("hashes", {}).items():
            hashes += [f"{algo}:{d}" for d in digests]
        source = " ".join(p for p in [req.url or "", " ".join(sorted(set(hashes)))] if p) or None
        out.append({"name": canonicalize_name(req.name), "version": pins[0] if len(pins) == 1 else "", "source": source})
    return out


def main():
    texts = json.load(sys.stdin)
    session = PipSession()
    results = []
    for item in texts:
        # a text, or {path, text, files}: the file at its repository path with the files it includes
        if isinstance(item, str):
            item = {"path": "requirements.txt", "text": item, "files": {}}
        with tempfile.TemporaryDirectory() as tmp:
            for rel, body in [(item["path"], item["text"]), *item["files"].items()]:
                full = os.path.join(tmp, rel)
                os.makedirs(os.path.dirname(full), exist_ok=True)
                with open(full, "w", encoding="utf-8") as f:
                    f.write(body)
            try:
                results.append({"entries": entries(os.path.join(tmp, item["path"]), session)})
            except BaseException as err:  # pip raises SystemExit-style errors too
                results.append({"error": f"{type(err).__name__}: {str(err).splitlines()[0] if str(err) else ''}"})
    json.dump(results, sys.stdout)


main()
