"""Local fake HTTP servers for HrFlow's API v1 and Mandrill, with fault injection.

Used by the tests and by `python catch.py fakes`. Tests drive the real ``hrflow`` and
``mailchimp_transactional`` SDKs over real HTTP against these servers (127.0.0.1, ephemeral
port). Standard library only.

    with FakeHrflow(api_secret="s3cret", api_user="me@example.com") as hf:
        hf.add_profile(sample_profile(hrflow_key("p1"), hrflow_key("src")))
        Hrflow(api_url=hf.url, api_secret="s3cret", api_user="me@example.com")

    with FakeMandrill(api_key="md-key") as md:
        client = mailchimp_transactional.Client("md-key")
        client.api_client.host = md.url
        md.script("/api/1.3/messages/send.json", [Reply(502, b"Bad gateway"), Drop()])
"""
import collections
import hashlib
import json
import math
import socket
import ssl
import sys
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

__all__ = ["Reply", "Hang", "Drop", "FakeHrflow", "FakeMandrill", "sample_profile",
           "sample_job", "hrflow_key", "unused_port"]


# --------------------------------------------------------------------------- replies
class Reply:
    """A canned HTTP reply: ``Reply(status, body=b"", headers=None, delay=0)``.

    ``body`` may be bytes, str (sent UTF-8 encoded) or a JSON-able object (dict/list),
    which is serialised and, unless ``headers`` sets one, gets
    ``Content-Type: application/json``. Bytes/str bodies get NO Content-Type unless
    given. ``Content-Length`` is always added unless ``headers`` sets it.
    ``delay`` seconds are waited before answering (cut short by ``stop()``).
    """

    def __init__(self, status, body=b"", headers=None, delay=0):
        self.status, self.delay = status, delay
        self.headers = dict(headers or {})
        lower = {k.lower() for k in self.headers}
        if isinstance(body, (bytes, bytearray)):
            self.body = bytes(body)
        elif isinstance(body, str):
            self.body = body.encode("utf-8")
        else:
            self.body = json.dumps(body).encode("utf-8")
            if "content-type" not in lower:
                self.headers["Content-Type"] = "application/json"
        if "content-length" not in lower:
            self.headers["Content-Length"] = str(len(self.body))

    def serve(self, handler, stopping):
        if self.delay and stopping.wait(self.delay):
            handler.close_connection = True  # server stopping: give up silently
            return
        handler.send_response(self.status)  # adds only Server and Date
        for name, value in self.headers.items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(self.body)

    def __repr__(self):
        return f"Reply({self.status}, {self.body[:40]!r})"


class Hang:
    """Read the request, then say nothing for ``seconds`` (or until ``stop()``),
    then close the connection without a reply."""

    def __init__(self, seconds=30.0):
        self.seconds = seconds

    def serve(self, handler, stopping):
        stopping.wait(self.seconds)
        handler.close_connection = True


class Drop:
    """Read the request, then close the connection without sending a single byte."""

    def serve(self, handler, stopping):
        handler.close_connection = True


def _json(status, obj, content_type="application/json"):
    return Reply(status, obj, {"Content-Type": content_type})


# --------------------------------------------------------------------------- server base
class _Handler(BaseHTTPRequestHandler):
    """HTTP/1.0 handler: one request per connection, so stop() never waits on keep-alive."""

    server_version = "FakeServer/1.0"

    def log_message(self, *args):  # quiet: no per-request stderr line
        pass

    def _any(self):
        self.server.fake._dispatch(self)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _any


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # server_close() must not join hung handler threads

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], ConnectionError):  # client went away: normal
            super().handle_error(request, client_address)


class FakeServer:
    """Base of the fakes: lifecycle, request recording and scripted faults.

    Subclasses implement ``handle(record) -> Reply``. ``record`` is a dict with
    ``method``, ``path`` (no query), ``query`` (dict; single values as str, repeated
    ones as lists), ``headers`` (dict, original case), ``body`` (parsed JSON, else the
    raw text, else None when empty).
    """

    base_path = ""

    def __init__(self, port=0, tls=None):
        self._port = port
        self._tls = tls  # (certificate file, key file): serve HTTPS with them
        self._lock = threading.Lock()
        self._requests = []
        self._scripts = collections.defaultdict(collections.deque)
        self._stopping = threading.Event()
        self._httpd = self._thread = None

    # lifecycle ------------------------------------------------------------
    def start(self):
        """Bind 127.0.0.1 on a free port and serve in a daemon thread."""
        if self._httpd is not None:
            raise RuntimeError("already started")
        self._stopping.clear()
        self._httpd = _Server(("127.0.0.1", self._port), _Handler)
        if self._tls:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*self._tls)
            self._httpd.socket = context.wrap_socket(self._httpd.socket, server_side=True)
        self._httpd.fake = self
        self._thread = threading.Thread(target=self._httpd.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self):
        """Stop serving; wakes hung/delayed requests so this returns promptly."""
        if self._httpd is None:
            return
        self._stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=1)
        self._httpd = self._thread = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @property
    def port(self):
        return self._httpd.server_address[1]

    @property
    def url(self):
        return f"{'https' if self._tls else 'http'}://127.0.0.1:{self.port}{self.base_path}"

    # recording & faults ---------------------------------------------------
    @property
    def requests(self):
        """Snapshot list of every request received, faulted ones included."""
        with self._lock:
            return list(self._requests)

    @property
    def request_count(self):
        with self._lock:
            return len(self._requests)

    def script(self, path, replies):
        """Serve ``replies`` (Reply/Hang/Drop), in order, to the next requests whose
        path (without query) equals ``path``; normal behaviour resumes afterwards."""
        if isinstance(replies, (Reply, Hang, Drop)):
            replies = [replies]
        with self._lock:
            self._scripts[path].extend(replies)

    def _dispatch(self, handler):
        split = urlsplit(handler.path)
        query = {k: v[0] if len(v) == 1 else v
                 for k, v in parse_qs(split.query, keep_blank_values=True).items()}
        length = int(handler.headers.get("Content-Length") or 0)
        text = handler.rfile.read(length).decode("utf-8", "replace") if length else ""
        try:
            body = json.loads(text) if text else None
        except ValueError:
            body = text
        record = {"method": handler.command, "path": split.path, "query": query,
                  "headers": dict(handler.headers.items()), "body": body}
        with self._lock:
            self._requests.append(record)
            queue = self._scripts.get(split.path)
            reply = queue.popleft() if queue else None
        if reply is None:
            reply = self.handle(record)
        reply.serve(handler, self._stopping)

    def handle(self, record):
        raise NotImplementedError


# --------------------------------------------------------------------------- HrFlow
class FakeHrflow(FakeServer):
    """HrFlow API v1. ``url`` ends with ``/v1/`` (the SDK concatenates endpoints).

    Every request must carry ``X-API-KEY == api_secret`` and
    ``X-USER-EMAIL == api_user``, else 401. Successful replies use exactly
    ``Content-Type: application/json`` (hrflow 4.3.0 compares it with ``==``).

    Scoring replies (``GET /v1/jobs/scoring`` and ``/v1/profiles/scoring``)::

        {"code": 200, "message": "Jobs scoring results",
         "meta": {"page": 1, "maxPage": 1, "count": 2, "total": 2},
         "data": {"jobs": [job, ...], "predictions": [[1 - score, score], ...]}}

    (``"profiles"`` instead of ``"jobs"``). As in HrFlow, objects carry no score of
    their own: the score of ``data.jobs[i]`` is ``data.predictions[i][1]``. Results
    are filtered to the requested ``board_keys``/``source_keys``, paginated with
    ``limit``/``page`` and, for ``sort_by=scoring``, sorted by score (``order_by``).
    """

    base_path = "/v1/"

    def __init__(self, api_secret="test-api-secret", api_user="tester@example.com", port=0):
        super().__init__(port)
        self.api_secret, self.api_user = api_secret, api_user
        self.profiles = {}  # (source_key, key) -> profile
        self.jobs = {}  # (board_key, key) -> job
        self.job_scoring = {}  # profile_key or None (any) -> [(job, score)]
        self.profile_scoring = {}  # job_key or None (any) -> [(profile, score)]

    def add_profile(self, profile):
        """Store a profile (needs ``key`` and ``source.key``); returns it."""
        with self._lock:
            self.profiles[(profile["source"]["key"], profile["key"])] = profile
        return profile

    def add_job(self, job):
        """Store a job (needs ``key`` and ``board.key``); returns it."""
        with self._lock:
            self.jobs[(_board_key(job), job["key"])] = job
        return job

    def set_job_scoring(self, results, profile_key=None):
        """Jobs returned by /jobs/scoring: ``[(job, score), ...]``, for ``profile_key``
        (or for any profile without a specific entry when None)."""
        with self._lock:
            self.job_scoring[profile_key] = list(results)

    def set_profile_scoring(self, results, job_key=None):
        """Profiles returned by /profiles/scoring: ``[(profile, score), ...]``."""
        with self._lock:
            self.profile_scoring[job_key] = list(results)

    def handle(self, record):
        headers = {k.lower(): v for k, v in record["headers"].items()}
        if (headers.get("x-api-key") != self.api_secret
                or headers.get("x-user-email") != self.api_user):
            return _json(401, {"code": 401, "message": "Unauthorized. Invalid secret key: ****"})
        q = record["query"]
        routes = {
            "/v1/profile/indexing": lambda: self._get(self.profiles, q.get("source_key"), q, "profile"),
            "/v1/job/indexing": lambda: self._get(self.jobs, q.get("board_key"), q, "job"),
            "/v1/jobs/scoring": lambda: self._score(
                q, "jobs", "board_keys", _board_key, self.job_scoring, q.get("profile_key")),
            "/v1/profiles/scoring": lambda: self._score(
                q, "profiles", "source_keys", lambda p: p["source"]["key"],
                self.profile_scoring, q.get("job_key")),
        }
        if record["path"] not in routes:
            return _json(404, {"code": 404, "message": f"Not found: {record['path']}"})
        if record["method"] != "GET":
            return _json(405, {"code": 405, "message": "Method not allowed"})
        return routes[record["path"]]()

    def _get(self, store, provider, q, kind):
        key, ref = q.get("key"), q.get("reference")
        with self._lock:
            for (prov, obj_key), obj in store.items():
                if prov == provider and ((key and obj_key == key)
                                         or (not key and ref and obj.get("reference") == ref)):
                    return _json(200, {"code": 200, "message": f"{kind.capitalize()} retrieved",
                                       "data": obj})
        return _json(400, {"code": 400, "message": f"Unable to find object: {kind}", "data": []})

    def _score(self, q, kind, list_param, owner, table, subject):
        try:
            providers = json.loads(q.get(list_param, ""))
            limit, page = int(q.get("limit", 30)), int(q.get("page", 1))
            assert isinstance(providers, list) and limit > 0 and page > 0
        except (ValueError, AssertionError):
            return _json(400, {"code": 400, "message": f"Invalid parameters. {list_param}, limit or page"})
        with self._lock:
            rows = list(table.get(subject, table.get(None, [])))
        rows = [(obj, score) for obj, score in rows if owner(obj) in providers]
        if q.get("sort_by") == "scoring":
            rows.sort(key=lambda row: row[1], reverse=q.get("order_by") != "asc")
        chunk = rows[(page - 1) * limit: page * limit]
        return _json(200, {
            "code": 200, "message": f"{kind.capitalize()} scoring results",
            "meta": {"page": page, "maxPage": math.ceil(len(rows) / limit),
                     "count": len(chunk), "total": len(rows)},
            "data": {kind: [obj for obj, _ in chunk],
                     "predictions": [[1 - score, score] for _, score in chunk]}})


def _board_key(job):
    return (job.get("board") or {}).get("key") or job.get("board_key")


# --------------------------------------------------------------------------- Mandrill
class FakeMandrill(FakeServer):
    """Mandrill (Mailchimp Transactional) API 1.3. ``url`` has no trailing slash.

    Serves POST ``/api/1.3/messages/send.json`` and ``/messages/send-template.json``.
    Wrong ``key`` -> HTTP 500 ``Invalid_Key`` error (Mandrill's real behaviour).
    ``recipient_status[email] = ("rejected", "hard-bounce")`` (or just ``"invalid"``,
    ``"queued"``, ``"scheduled"``...) sets a recipient's result; default "sent".
    Accepted calls are appended to ``sent``:
    ``{"path", "message", "template_name", "template_content", "results"}``.
    """

    base_path = "/api/1.3"
    SEND = "/api/1.3/messages/send.json"
    SEND_TEMPLATE = "/api/1.3/messages/send-template.json"

    def __init__(self, api_key="test-mandrill-key", port=0, on_send=None, tls=None):
        super().__init__(port, tls)
        self.api_key = api_key
        self.on_send = on_send  # called with each accepted message record, e.g. to print it
        self.recipient_status = {}
        self.sent = []

    @staticmethod
    def _error(status, name, message):
        return _json(status, {"status": "error", "code": -1, "name": name, "message": message},
                     "application/json; charset=utf-8")

    def handle(self, record):
        path, body = record["path"], record["body"]
        if record["method"] != "POST" or path not in (self.SEND, self.SEND_TEMPLATE):
            return self._error(404, "Unknown_Method", f"Unknown method {path}")
        body = body if isinstance(body, dict) else {}
        if body.get("key") != self.api_key:
            return self._error(500, "Invalid_Key", "Invalid API key")
        message = body.get("message")
        if not isinstance(message, dict):
            return self._error(500, "ValidationError", "You must specify a message value")
        if path == self.SEND_TEMPLATE and not body.get("template_name"):
            return self._error(500, "ValidationError", "You must specify a template_name value")
        statuses = {k.lower(): v for k, v in self.recipient_status.items()}
        results = []
        for to in message.get("to") or []:
            email = to.get("email", "")
            status = statuses.get(email.lower(), "sent")
            status, reason = (status, None) if isinstance(status, str) else status
            results.append({"email": email, "status": status, "_id": uuid.uuid4().hex,
                            "reject_reason": reason if status == "rejected" else None,
                            "queued_reason": reason if status == "queued" else None})
        record = {"path": path, "message": message, "template_name": body.get("template_name"),
                  "template_content": body.get("template_content"), "results": results}
        with self._lock:
            self.sent.append(record)
        if self.on_send is not None:
            self.on_send(record)
        return _json(200, results, "application/json; charset=utf-8")


# --------------------------------------------------------------------------- helpers
def unused_port():
    """A 127.0.0.1 port where nothing listens (for 'connection refused' tests)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def hrflow_key(seed):
    """Deterministic 40-hex key, the format HrFlow uses for keys (KEY_REGEX)."""
    return hashlib.sha1(str(seed).encode()).hexdigest()


def _location(city, lat, lng):
    return {"text": f"{city}, France", "lat": lat, "lng": lng,
            "fields": {"city": city, "country": "France", "postcode": None, "state": None,
                       "text": f"{city}, France"}}


def sample_profile(key, source_key, first_name="Ada", last_name="Lovelace",
                   email="ada.lovelace@example.com", phone="+33 6 12 34 56 78",
                   city="Paris", reference=None, skills=("Python", "SQL"), **extra):
    """A profile shaped like HrFlow's Profile object (validates against
    ``hrflow.schemas.HrFlowProfile``). ``extra`` overrides top-level fields."""
    full = f"{first_name} {last_name}"
    summary = f"{full} is a data engineer with 6 years of experience."
    profile = {
        "key": key, "reference": reference, "source": {"key": source_key, "name": "Fake source"},
        "archived_at": None, "created_at": "2024-01-15T09:30:00+0000",
        "updated_at": "2024-01-15T09:30:00+0000",
        "info": {"full_name": full, "first_name": first_name, "last_name": last_name,
                 "email": email, "phone": phone, "date_birth": None,
                 "location": _location(city, 48.8566, 2.3522),
                 "urls": [{"type": "linkedin", "url": f"https://www.linkedin.com/in/{first_name.lower()}"}],
                 "picture": None, "gender": None, "summary": summary},
        "text_language": "en", "text": f"{full}\n{email}\n{summary}",
        "experiences_duration": 6.0, "educations_duration": 2.0,
        "experiences": [{"key": hrflow_key(f"{key}-exp"), "company": "Analytical Engines Ltd",
                         "logo": None, "title": "Data Engineer", "description": "Built data pipelines.",
                         "location": _location(city, 48.8566, 2.3522),
                         "date_start": "2018-01-01T00:00:00", "date_end": None,
                         "skills": [{"name": s, "type": "hard", "value": None} for s in skills],
                         "certifications": [], "courses": [], "tasks": [], "languages": [],
                         "interests": []}],
        "educations": [{"key": hrflow_key(f"{key}-edu"), "school": "University of London",
                        "logo": None, "title": "MSc Mathematics", "description": None,
                        "location": _location("London", 51.5072, -0.1276),
                        "date_start": "2016-09-01T00:00:00", "date_end": "2018-06-30T00:00:00",
                        "skills": [], "certifications": [], "courses": [], "tasks": [],
                        "languages": [], "interests": []}],
        "attachments": [], "skills": [{"name": s, "type": "hard", "value": None} for s in skills],
        "languages": [{"name": "English", "value": None}], "certifications": [], "courses": [],
        "tasks": [{"name": "Data pipelines", "value": None}], "interests": [],
        "tags": [{"name": "status", "value": "active"}], "metadatas": [], "labels": [],
    }
    profile.update(extra)
    return profile


def sample_job(key, board_key, name="Data Engineer", city="Paris", reference=None,
               skills=("Python", "Spark"), **extra):
    """A job shaped like HrFlow's Job object (validates against
    ``hrflow.schemas.HrFlowJob``). ``extra`` overrides top-level fields."""
    job = {
        "key": key, "reference": reference, "board_key": board_key,
        "board": {"key": board_key, "name": "Fake board", "type": "api", "subtype": "python",
                  "environment": "production"},
        "name": name, "url": f"https://careers.example.com/jobs/{key[:8]}",
        "summary": f"We are hiring a {name} in {city}.",
        "location": _location(city, 48.8566, 2.3522),
        "sections": [{"name": "description", "title": "Description",
                      "description": f"As a {name} you will build reliable data products."}],
        "culture": None, "benefits": "Remote friendly", "responsibilities": None,
        "requirements": "3+ years of experience", "interviews": None,
        "skills": [{"name": s, "type": "hard", "value": None} for s in skills],
        "languages": [{"name": "English", "value": None}], "certifications": [], "courses": [],
        "tasks": [], "tags": [{"name": "contract", "value": "CDI"}], "metadatas": [],
        "ranges_float": [{"name": "salary", "value_min": 50000.0, "value_max": 65000.0, "unit": "EUR"}],
        "ranges_date": [], "archived_at": None,
        "created_at": "2024-01-10T08:00:00+0000", "updated_at": "2024-01-10T08:00:00+0000",
    }
    job.update(extra)
    return job
