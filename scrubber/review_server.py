"""The local review page: a small HTTP server on the loopback interface, behind a random token.

The page shows scrubbed output (what is to be published) to one reviewer on this machine:

* bound to ``127.0.0.1`` only; every URL starts with a random token
  (``secrets.token_urlsafe``), and a request without it is refused (403); a request whose
  ``Host`` is not the loopback address and port is refused too (DNS rebinding), and so is a
  POST from another origin or without a JSON body (cross-site requests);
* no external assets: the page, its script and its style sheet come from this server;
  a strict Content-Security-Policy (``default-src 'none'``; script, style and fetches from
  ``'self'`` only; no inline script, style or event handlers), ``Referrer-Policy: no-referrer``
  (the token never leaves in a Referer header), ``Cache-Control: no-store``;
* decisions are written to ``REVIEW_DIR/review.jsonl`` by :class:`scrubber.review.ReviewStore`
  as they are made (offsets and types, never text); the server logs nothing.
"""

from __future__ import annotations

import hmac
import json
import secrets
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any

from scrubber.errors import ScrubberError
from scrubber.review import REVIEW_BAD_ARGUMENT, ReviewStore, Sample, _check_dataset, _texts

HOST = "127.0.0.1"
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
       "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
_ASSETS = {"app.js": "text/javascript; charset=utf-8", "app.css": "text/css; charset=utf-8", "": "text/html; charset=utf-8"}
_ASSET_FILES = {"": "review.html", "app.js": "review.js", "app.css": "review.css"}


def _asset(name: str) -> bytes:
    return resources.files("scrubber").joinpath("static", _ASSET_FILES[name]).read_bytes()


class ReviewServer:
    """Serve the review of ``dataset`` kept in ``review_dir`` (a sample drawn by :func:`scrubber.review.create_sample`).

    Example:
        >>> server = ReviewServer(Path("out"), Path("review"), reviewer="ana")  # doctest: +SKIP
        >>> server.start(); print(server.url)  # doctest: +SKIP
        http://127.0.0.1:40123/Jx3.../
    """

    def __init__(self, dataset: Path, review_dir: Path, *, reviewer: str, options=None, port: int = 0) -> None:
        from scrubber.io.readers import ReadOptions

        if not reviewer.strip():
            raise ScrubberError(REVIEW_BAD_ARGUMENT, "the reviewer's name is empty", "pass --reviewer NAME (recorded with every decision)")
        self.sample: Sample = _check_dataset(review_dir, dataset)
        self.store = ReviewStore(review_dir, self.sample)
        options = options or ReadOptions(**self.sample.options)
        self.texts = _texts(dataset, {(d.output, d.index) for d in self.sample.documents}, options)
        missing = [d for d in self.sample.documents if (d.output, d.index) not in self.texts]
        if missing:
            raise ScrubberError("E274", f"{len(missing)} sampled documents are no longer in {dataset}", "review the dataset as the scrub run wrote it (`scrubber check` tells what changed)")
        self.reviewer = reviewer.strip()
        self.token = secrets.token_urlsafe(24)
        self._lock = threading.Lock()
        self.httpd = ThreadingHTTPServer((HOST, port), _handler(self))
        self.httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return self.httpd.server_address[1]

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}/{self.token}/"

    def start(self) -> None:
        """Serve in a background thread (tests, or a caller with its own loop)."""
        self._thread = threading.Thread(target=self.httpd.serve_forever, name="review-server", daemon=True)
        self._thread.start()

    def serve_forever(self) -> None:
        """Serve until :meth:`stop` or Ctrl-C."""
        try:
            self.httpd.serve_forever()
        finally:
            self.httpd.server_close()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    # -- API ----------------------------------------------------------------------------------
    def state(self) -> dict[str, Any]:
        from recognizers import ENTITY_TYPES

        current = self.store.state()
        docs = []
        for i, d in enumerate(self.sample.documents):
            s = current[i]
            decided = sum(1 for l in d.leaks if (l["start"], l["end"]) in s["spans"])
            docs.append({"position": i, "doc": d.doc, "output": d.output, "index": d.index, "stratum": d.stratum,
                         "suspected": len(d.leaks), "decided": decided, "reviewed": s["reviewed"] is not None,
                         "found": sum(1 for v in s["spans"].values() if v["decision"] in ("leak", "missed"))})
        return {"reviewer": self.reviewer, "population": self.sample.population, "seed": self.sample.seed,
                "stratify": self.sample.stratify, "entity_types": list(ENTITY_TYPES), "documents": docs,
                "reviewed": sum(1 for d in docs if d["reviewed"])}

    def document(self, position: int) -> dict[str, Any]:
        if not 0 <= position < len(self.sample.documents):
            raise ScrubberError(REVIEW_BAD_ARGUMENT, "no such sampled document", "")
        d = self.sample.documents[position]
        s = self.store.state()[position]
        leaks = []
        scan_spans = set()
        for l in d.leaks:
            key = (int(l["start"]), int(l["end"]))
            scan_spans.add(key)
            decision = s["spans"].get(key)
            leaks.append({**l, "decision": decision["decision"] if decision else None})
        missed = [{"start": k[0], "end": k[1], "type": v.get("type")} for k, v in sorted(s["spans"].items())
                  if k not in scan_spans and v["decision"] == "missed"]
        return {"position": position, "doc": d.doc, "output": d.output, "index": d.index, "stratum": d.stratum,
                "text": self.texts[(d.output, d.index)], "leaks": leaks, "missed": missed, "reviewed": s["reviewed"] is not None}

    def decide(self, body: dict[str, Any]) -> dict[str, Any]:
        from recognizers import ENTITY_TYPES

        position = int(body.get("position", -1))
        if not 0 <= position < len(self.sample.documents):
            raise ScrubberError(REVIEW_BAD_ARGUMENT, "no such sampled document", "")
        d = self.sample.documents[position]
        decision = body.get("decision")
        with self._lock:
            if decision == "reviewed":
                state = self.store.state()[position]
                open_ = [l for l in d.leaks if (int(l["start"]), int(l["end"])) not in state["spans"]]
                if open_:
                    raise ScrubberError("E273", f"{len(open_)} suspected leaks in this document are undecided", "mark each as leak or not a leak first")
                self.store.append(position=position, decision="reviewed", reviewer=self.reviewer)
                return self.document(position)
            start, end = int(body.get("start", -1)), int(body.get("end", -1))
            text = self.texts[(d.output, d.index)]
            if not 0 <= start < end <= len(text):
                raise ScrubberError(REVIEW_BAD_ARGUMENT, "offsets outside the document", "select text inside the document")
            scan = next((l for l in d.leaks if (int(l["start"]), int(l["end"])) == (start, end)), None)
            if decision in ("leak", "not_leak"):
                if scan is None:
                    raise ScrubberError(REVIEW_BAD_ARGUMENT, "no suspected leak at these offsets", "")
                self.store.append(position=position, decision=decision, reviewer=self.reviewer, start=start, end=end,
                                  entity_type=scan["entity_type"], source="scan")
            elif decision == "missed":
                entity = body.get("type")
                if entity not in ENTITY_TYPES:
                    raise ScrubberError(REVIEW_BAD_ARGUMENT, f"unknown type {entity!r}", "choose a type from the list")
                self.store.append(position=position, decision="missed", reviewer=self.reviewer, start=start, end=end, entity_type=entity)
            elif decision == "withdrawn":
                self.store.append(position=position, decision="withdrawn", reviewer=self.reviewer, start=start, end=end,
                                  source="scan" if scan else "reviewer")
            else:
                raise ScrubberError(REVIEW_BAD_ARGUMENT, f"unknown decision {decision!r}", "")
            return self.document(position)


def _handler(server: ReviewServer):
    class Handler(BaseHTTPRequestHandler):
        server_version = "scrubber-review"
        sys_version = ""

        def log_message(self, format, *args):  # noqa: A002 - nothing is logged (URLs carry the token)
            pass

        def _send(self, status: int, body: bytes, content_type: str = "application/json; charset=utf-8") -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Content-Security-Policy", CSP)
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Referrer-Policy", "no-referrer")
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Frame-Options", "DENY")
            self.send_header("Cross-Origin-Resource-Policy", "same-origin")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def _json(self, status: int, obj: Any) -> None:
            self._send(status, json.dumps(obj, ensure_ascii=False).encode("utf-8"))

        def _route(self) -> str | None:
            """The path after the token, or None (and a 403 sent) when the request is not allowed."""
            hosts = {f"{HOST}:{server.port}", f"localhost:{server.port}"}
            if self.headers.get("Host") not in hosts:
                self._send(403, b"forbidden: wrong host\n", "text/plain; charset=utf-8")
                return None
            parts = self.path.split("?", 1)[0].split("/", 2)  # "", token, rest
            if len(parts) < 3 or not hmac.compare_digest(parts[1].encode(), server.token.encode()):
                self._send(403, b"forbidden: open the URL printed by `scrubber review`, with its token\n", "text/plain; charset=utf-8")
                return None
            return parts[2]

        def do_GET(self) -> None:  # noqa: N802
            rest = self._route()
            if rest is None:
                return
            try:
                if rest in _ASSETS:
                    self._send(200, _asset(rest), _ASSETS[rest])
                elif rest == "favicon.ico":  # linked by the page, so the browser does not ask for /favicon.ico without the token
                    self._send(204, b"", "image/x-icon")
                elif rest == "api/state":
                    self._json(200, server.state())
                elif rest.startswith("api/doc/") and rest[8:].isdigit():
                    self._json(200, server.document(int(rest[8:])))
                else:
                    self._send(404, b"not found\n", "text/plain; charset=utf-8")
            except ScrubberError as exc:
                self._json(400, {"error": str(exc)})

        def do_POST(self) -> None:  # noqa: N802
            rest = self._route()
            if rest is None:
                return
            origin = self.headers.get("Origin")
            if origin is not None and origin not in (f"http://{HOST}:{server.port}", f"http://localhost:{server.port}"):
                self._send(403, b"forbidden: cross-origin request\n", "text/plain; charset=utf-8")
                return
            if (self.headers.get("Content-Type") or "").split(";")[0].strip() != "application/json":
                self._send(415, b"send JSON\n", "text/plain; charset=utf-8")
                return
            length = int(self.headers.get("Content-Length") or 0)
            if not 0 < length <= 10_000:
                self._send(400, b"bad request\n", "text/plain; charset=utf-8")
                return
            try:
                body = json.loads(self.rfile.read(length))
                if rest != "api/decision" or not isinstance(body, dict):
                    self._send(404, b"not found\n", "text/plain; charset=utf-8")
                    return
                self._json(200, server.decide(body))
            except (ValueError, TypeError):
                self._json(400, {"error": "bad request"})
            except ScrubberError as exc:
                self._json(409 if exc.code == "E273" else 400, {"error": str(exc)})

        do_HEAD = do_GET

    return Handler
