"""The graph pages in a real browser: headless Chromium opens them with the network off.

Each check copies the page into a temporary folder, appends a probe script (nothing is injected
into the product: the probe only exists in the copy), and drives Chromium through the DevTools
protocol over ``--remote-debugging-pipe`` (JSON messages ending in a NUL byte; the browser
reads its fd 3 and writes its fd 4), so it needs nothing but the standard library:

- the page runs under virtual time (``Emulation.setVirtualTimePolicy``, what
  ``--virtual-time-budget`` does), then ``Runtime.evaluate`` reads what the probe wrote into
  ``<pre id="mz-probe-result">``: the page's own ``window.mzReady`` ({nodes, clusters,
  visible}) and, when asked, the visible node count after ``network.openCluster`` on the first
  cluster;
- the page's requests are the ``Network.requestWillBeSent`` (and WebSocket/WebTransport) events
  of the page's own target and of every target it brings up: its frames and workers
  (auto-attached to the page) and windows it opens (their ``openerId``; popups are allowed,
  so a page cannot hide a request in one); then half a second without a browser event lets
  what the page started late be seen. The network is off
  (``--host-resolver-rules=MAP * ~NOTFOUND``: every host, IP literals too, fails with
  ERR_NAME_NOT_RESOLVED) but the attempt is still reported, so a page that tries a CDN fails;
- ``Page.captureScreenshot`` is read with zlib and struct only and must show a drawn graph.

Chromium's own background requests never belong to the page's targets, whatever Chromium adds
next: 150 asks for www.google.com/async/folae and android.clients.google.com/checkin, 156 for
clients2.google.com/time, update.googleapis.com and accounts.google.com/ListAccounts, even with
``--disable-background-networking``. They are not counted; ``--log-net-log`` records every URL
the network stack was asked for, and those that are not the page's are listed in
``PageCheck.ignored`` so a reader can see what was left out.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import struct
import subprocess
import sys
import time
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import require_tool

from modernize.analysis.graphs import analyze_estate
from modernize.explore.synthetic import synthetic_estate

pytest.importorskip("pyvis")
from modernize.explore.views import call_view  # noqa: E402 - needs pyvis

CHROMIUM = os.environ.get("CHROMIUM") or require_tool(
    "chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
if CHROMIUM is None:
    pytest.skip("no chromium binary found (scripts/setup installs Debian's chromium)",
                allow_module_level=True)

SAMPLES = Path(__file__).resolve().parents[1] / "legacy_samples"
WIDTH, HEIGHT = 1000, 700
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--host-resolver-rules=MAP * ~NOTFOUND", "--hide-scrollbars",
         "--disable-popup-blocking", f"--window-size={WIDTH},{HEIGHT}",
         "--remote-debugging-pipe")
LOCAL_SCHEMES = ("file:", "data:", "about:", "blob:")
DEADLINE = 180  # seconds for one page, start to exit
SETTLE = 0.5  # seconds without a browser event after the page's time is up

# Appended to the copy of the page: after the page's own script has run, report mzReady and,
# when OPEN is true, open the first cluster and count the visible nodes again.
PROBE = """<pre id="mz-probe-result" style="display:none">no result</pre>
<script>
setTimeout(function () {
  var out = {ready: window.mzReady || null};
  try {
    if (__OPEN__ && window.network) {
      var first = network.body.nodeIndices.filter(function (id) {
        return network.isCluster(id); })[0];
      network.openCluster(first);
      out.opened = {cluster: first, visible: network.body.nodeIndices.length};
    }
  } catch (error) { out.error = String(error); }
  document.getElementById("mz-probe-result").textContent = JSON.stringify(out);
}, 500);
</script>"""
READ_PROBE = ("(function () { var e = document.getElementById('mz-probe-result');"
              " return e ? e.textContent : 'no result'; })()")


# --------------------------------------------------------------------------- the protocol


class DevToolsError(RuntimeError):
    pass


class DevTools:
    """One headless Chromium driven over ``--remote-debugging-pipe``.

    Every target the browser brings up is auto-attached (flat sessions), paused until its
    Network domain is on, and then let run; its requests are kept per session, together with
    who the session belongs to, so ``requests_of`` can tell the page's traffic from the rest.
    """

    def __init__(self, args: Sequence[str], stderr: Path, deadline: float) -> None:
        self.deadline = time.monotonic() + deadline
        to_browser, self._to_browser = self._pipe()
        self._from_browser, from_browser = self._pipe()

        def on_fds_3_and_4() -> None:  # runs in the child, before exec
            os.dup2(to_browser, 3)
            os.dup2(from_browser, 4)

        with open(stderr, "wb") as err:
            self.process = subprocess.Popen(
                [*args], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err,
                pass_fds=(3, 4), preexec_fn=on_fds_3_and_4)
        os.close(to_browser)
        os.close(from_browser)
        self.stderr = stderr
        self._buffer = b""
        self._next_id = 0
        self._replies: dict[int, dict] = {}
        self.last_event = time.monotonic()
        self.events: list[dict] = []
        # session id -> (target id, parent session or None, opener target or None)
        self.sessions: dict[str, tuple[str, str | None, str | None]] = {}
        self.requests: list[tuple[str, str]] = []  # (session id, URL), in order

    @staticmethod
    def _pipe() -> tuple[int, int]:
        """A pipe whose ends are above 4, so the child can put its ends on 3 and 4."""
        ends = []
        for end in os.pipe():
            ends.append(fcntl.fcntl(end, fcntl.F_DUPFD_CLOEXEC, 10))
            os.close(end)
        return ends[0], ends[1]

    # -- sending
    def post(self, method: str, params: dict | None = None, session: str | None = None) -> int:
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        data = json.dumps(message).encode() + b"\0"
        while data:
            data = data[os.write(self._to_browser, data):]
        return self._next_id

    def send(self, method: str, params: dict | None = None,
             session: str | None = None) -> dict:
        """Send a command and wait for its result (events keep being handled meanwhile)."""
        wanted = self.post(method, params, session)
        self.pump(lambda: wanted in self._replies, f"no reply to {method}")
        reply = self._replies.pop(wanted)
        if "error" in reply:
            raise DevToolsError(f"{method}: {reply['error']}")
        return reply.get("result", {})

    # -- receiving
    def pump(self, done: Callable[[], bool], what: str) -> None:
        """Handle messages until ``done()``; fail at the deadline or if the browser exits."""
        while not done():
            if b"\0" in self._buffer:
                raw, self._buffer = self._buffer.split(b"\0", 1)
                self._handle(json.loads(raw))
                continue
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise DevToolsError(f"timed out: {what}")
            if select.select([self._from_browser], [], [], min(left, 0.05))[0]:
                chunk = os.read(self._from_browser, 1 << 20)
                if not chunk:
                    raise DevToolsError(f"chromium exited: {what}; "
                                        f"{self.stderr.read_text(errors='replace')[-2000:]}")
                self._buffer += chunk

    def settle(self, quiet: float, longest: float = 5.0) -> None:
        """Handle events until none has come for ``quiet`` seconds (or ``longest`` have
        passed): what the page started late (a worker, a window) gets to make its requests."""
        end = time.monotonic() + longest
        self.pump(lambda: time.monotonic() - self.last_event >= quiet
                  or time.monotonic() >= end, "the page never settled")

    def wait_for(self, method: str, session: str | None = None,
                 where: Callable[[dict], bool] = lambda params: True) -> dict:
        """The first event ``method`` (of ``session``) whose params satisfy ``where``, seen
        before or after this call."""
        def found() -> dict | None:
            return next((e for e in self.events if e["method"] == method and
                         (session is None or e.get("sessionId") == session) and
                         where(e.get("params", {}))), None)
        self.pump(lambda: found() is not None, f"no {method} event")
        return found()["params"]

    def _handle(self, message: dict) -> None:
        if "id" in message:
            self._replies[message["id"]] = message
            return
        self.events.append(message)
        self.last_event = time.monotonic()
        method, params = message.get("method"), message.get("params", {})
        session = message.get("sessionId")
        if method == "Target.attachedToTarget":
            child, info = params["sessionId"], params["targetInfo"]
            self.sessions[child] = (info["targetId"], session, info.get("openerId") or None)
            for command, arguments in (
                    ("Network.enable", {}),
                    ("Target.setAutoAttach", {"autoAttach": True, "flatten": True,
                                              "waitForDebuggerOnStart": True}),
                    ("Runtime.runIfWaitingForDebugger", {})):
                self.post(command, arguments, child)  # replies (errors too) are not awaited
        elif method == "Network.requestWillBeSent":
            self.requests.append((session, params["request"]["url"]))
        elif method in ("Network.webSocketCreated", "Network.webTransportCreated"):
            self.requests.append((session, params["url"]))

    def session_of(self, target: str) -> str:
        """The session the browser attached to ``target`` itself (waiting for it)."""
        def find() -> str | None:
            return next((s for s, (t, parent, _) in self.sessions.items()
                         if t == target and parent is None), None)
        self.pump(lambda: find() is not None, f"target {target} was not attached")
        return find()

    def requests_of(self, target: str) -> list[str]:
        """The URLs requested by ``target``, its frames and workers, and the windows it (or
        they) opened, in order, each once."""
        targets, sessions = {target}, set()
        grew = True
        while grew:
            grew = False
            for session, (target_id, parent, opener) in self.sessions.items():
                if session not in sessions and (target_id in targets or parent in sessions
                                                or opener in targets):
                    sessions.add(session)
                    targets.add(target_id)
                    grew = True
        urls: list[str] = []
        for session, url in self.requests:
            if session in sessions and url not in urls:
                urls.append(url)
        return urls

    def close(self) -> None:
        """Close the browser (so the NetLog is complete), reading what it still writes until
        it exits; kill it if it does not."""
        end = time.monotonic() + max(5.0, min(30.0, self.deadline - time.monotonic()))
        try:
            self.post("Browser.close")
            while self.process.poll() is None and time.monotonic() < end:
                if select.select([self._from_browser], [], [], 0.1)[0] and \
                        not os.read(self._from_browser, 1 << 20):
                    break  # the browser closed its end: it is exiting
            self.process.wait(timeout=max(0.1, end - time.monotonic()))
        except (OSError, subprocess.TimeoutExpired):
            pass
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
            os.close(self._to_browser)
            os.close(self._from_browser)


# --------------------------------------------------------------------------- one page


@dataclass
class PageCheck:
    """What Chromium saw of one page."""

    ready: dict | None  # window.mzReady
    opened: dict | None  # {cluster, visible} after openCluster, when asked
    requests: list[str]  # every URL the page (its frames, workers, windows) asked for
    ignored: list[str]  # URLs the browser asked for that were not the page's (its own)
    ink: int  # non-white pixels inside the graph's frame
    colours: int  # distinct colours there
    error: str | None = None
    problems: list[str] = field(default_factory=list)


class GraphPageError(AssertionError):
    def __init__(self, check: PageCheck) -> None:
        super().__init__("; ".join(check.problems))
        self.check = check


def check_graph_page(page: Path, work: Path, *, open_cluster: bool = False,
                     budget_ms: int = 2500, background: Sequence[str] = ()) -> PageCheck:
    """Open ``page`` in headless Chromium offline; raise GraphPageError unless it drew a
    non-empty graph (and, with ``open_cluster``, opening a cluster showed more nodes) without
    requesting anything from the network.

    ``background`` are URLs other tabs of the same browser load meanwhile: traffic that is
    not the page's, as Chromium's own is, and must not be counted (the test of the test)."""
    work.mkdir(parents=True, exist_ok=True)
    probed = work / f"probed-{page.name}"
    probe = PROBE.replace("__OPEN__", "true" if open_cluster else "false")
    text = page.read_text(encoding="utf-8")
    probed.write_text(text.replace("</body>", probe + "\n</body>", 1) if "</body>" in text
                      else text + probe, encoding="utf-8")
    netlog, png = work / "netlog.json", work / "screenshot.png"
    browser = DevTools([CHROMIUM, *FLAGS, f"--user-data-dir={work / 'profile'}",
                        f"--log-net-log={netlog}", "about:blank"], work / "chromium.log",
                       DEADLINE)
    try:
        browser.send("Target.setAutoAttach", {"autoAttach": True, "flatten": True,
                                              "waitForDebuggerOnStart": True})
        others = [browser.send("Target.createTarget", {"url": url})["targetId"]
                  for url in background]
        target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = browser.session_of(target)
        browser.send("Emulation.setDeviceMetricsOverride", {
            "width": WIDTH, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": False}, session)
        browser.send("Emulation.setVirtualTimePolicy", {"policy": "pause"}, session)
        browser.send("Page.navigate", {"url": probed.as_uri()}, session)
        browser.send("Emulation.setVirtualTimePolicy", {
            "policy": "pauseIfNetworkFetchesPending", "budget": budget_ms}, session)
        browser.wait_for("Emulation.virtualTimeBudgetExpired", session)
        browser.settle(SETTLE)
        for other in others:  # each background load has run to its (failed) end
            browser.wait_for("Network.loadingFailed", browser.session_of(other))
        value = browser.send("Runtime.evaluate", {"expression": READ_PROBE,
                                                  "returnByValue": True}, session)
        shot = browser.send("Page.captureScreenshot", {"format": "png"}, session)
        png.write_bytes(base64.b64decode(shot["data"]))
        requests = [url for url in browser.requests_of(target) if url != probed.as_uri()]
    finally:
        browser.close()
    text = value.get("result", {}).get("value", "no result")
    result = {} if text == "no result" else json.loads(text)
    ignored = [url for url in logged_urls(netlog)
               if url not in requests and not url.startswith(LOCAL_SCHEMES)]
    ink, colours = ink_of(png)
    check = PageCheck(ready=result.get("ready"), opened=result.get("opened"), requests=requests,
                      ignored=ignored, ink=ink, colours=colours, error=result.get("error"))
    ready = check.ready or {}
    if not ready:
        check.problems.append("the page never set window.mzReady (no graph was drawn)")
    elif ready.get("nodes", 0) < 1 or ready.get("visible", 0) < 1:
        check.problems.append(f"the graph is empty: window.mzReady = {ready}")
    if check.error:
        check.problems.append(f"script error: {check.error}")
    if open_cluster and not (check.opened and check.opened["visible"] > ready.get("visible", 0)):
        check.problems.append(f"opening a cluster showed no more nodes: {check.opened}")
    external = [url for url in requests if not url.startswith(LOCAL_SCHEMES)]
    if external:
        check.problems.append(f"the page requested {len(external)} external URL(s): "
                              + ", ".join(external))
    if ink < 2000 or colours < 16:
        check.problems.append(f"the screenshot is blank: {ink} non-white pixels in "
                              f"{colours} colours inside the graph frame")
    if check.problems:
        raise GraphPageError(check)
    return check


def logged_urls(netlog: Path) -> list[str]:
    """Every URL in a NetLog file, in order, each once (a log cut short by a crash too)."""
    text = netlog.read_text(encoding="utf-8", errors="replace").rstrip()
    try:
        log = json.loads(text)
    except json.JSONDecodeError:
        log = json.loads(text.rstrip(",") + "]}")
    urls: list[str] = []
    for event in log.get("events", []):
        url = (event.get("params") or {}).get("url")
        if isinstance(url, str) and url and url not in urls:
            urls.append(url)
    return urls


def ink_of(png: Path) -> tuple[int, int]:
    """Non-white pixels and distinct colours inside the graph's frame (the page's bar and the
    frame's border left out), decoding the 8-bit RGB(A) PNG with zlib and struct."""
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, chunks = 8, []
    while pos < len(data):
        (size,), kind = struct.unpack(">I", data[pos:pos + 4]), data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + size]
        if kind == b"IHDR":
            width, height, depth, colour_type, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and colour_type in (2, 6) and not interlace, "unexpected PNG"
        elif kind == b"IDAT":
            chunks.append(body)
        pos += size + 12
    raw, bpp = zlib.decompress(b"".join(chunks)), 3 if colour_type == 2 else 4
    stride = width * bpp
    previous, ink, colours = bytearray(stride), 0, set()
    for y in range(height):
        start = y * (stride + 1)
        kind, row = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        if kind == 2:  # up
            row = bytearray(map(lambda a, b: (a + b) & 255, row, previous))
        elif kind in (1, 3, 4):  # sub, average, paeth
            for i in range(stride):
                a = row[i - bpp] if i >= bpp else 0
                b, c = previous[i], (previous[i - bpp] if i >= bpp else 0)
                if kind == 1:
                    row[i] = (row[i] + a) & 255
                elif kind == 3:
                    row[i] = (row[i] + (a + b) // 2) & 255
                else:
                    p = a + b - c
                    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                    row[i] = (row[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) \
                        & 255
        previous = row
        if 48 <= y < min(height, 640) - 8:  # the canvas is 640px high, under the title bar
            for x in range(20, width - 20):
                pixel = bytes(row[x * bpp:x * bpp + 3])
                if pixel != b"\xff\xff\xff":
                    ink += 1
                    colours.add(pixel)
    return ink, len(colours)


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The samples analysed once with the CLI, and their call graph and a CFG drawn by it."""
    root = tmp_path_factory.mktemp("samples")
    cli = [sys.executable, "-m", "modernize.cli"]
    subprocess.run([*cli, "analyze", str(SAMPLES), "--out", str(root / "out"), "--quiet"],
                   check=True, capture_output=True)
    drawn = {"call": root / "call.html", "cfg": root / "cfg-posttran.html"}
    subprocess.run([*cli, "graph", str(root / "out"), "--view", "call", "--out",
                    str(drawn["call"])], check=True, capture_output=True)
    subprocess.run([*cli, "graph", str(root / "out"), "--view", "cfg", "--program", "POSTTRAN",
                    "--out", str(drawn["cfg"])], check=True, capture_output=True)
    return drawn


# --------------------------------------------------------------------------- the pages


def test_samples_call_graph_renders_offline(pages: dict[str, Path], tmp_path: Path) -> None:
    check = check_graph_page(pages["call"], tmp_path)
    assert check.ready == {"nodes": 11, "clusters": 0, "visible": 11}
    assert check.requests == []


def test_samples_cfg_renders_offline(pages: dict[str, Path], tmp_path: Path) -> None:
    check = check_graph_page(pages["cfg"], tmp_path)
    assert check.ready["clusters"] == 0 and check.ready["visible"] == check.ready["nodes"] > 5


def test_synthetic_call_view_opens_aggregated_and_drills_down(tmp_path: Path) -> None:
    estate = synthetic_estate(2000)
    view = call_view(estate, analyze_estate(estate))
    assert view.aggregated_by == "job"
    check = check_graph_page(view.save(tmp_path / "call.html"), tmp_path / "run",
                             open_cluster=True, budget_ms=3000)
    ready = check.ready
    assert ready["nodes"] == view.nodes > 2000 and ready["clusters"] == 40
    assert ready["visible"] == view.visible < ready["nodes"]
    assert check.opened["cluster"].startswith("cluster:job JOB")
    assert ready["visible"] < check.opened["visible"] < ready["nodes"]


# --------------------------------------------------------------------------- the check itself


def test_check_fails_on_a_blank_page(tmp_path: Path) -> None:
    blank = tmp_path / "blank.html"
    blank.write_text('<!DOCTYPE html><html><head><title>blank</title></head><body>'
                     '<div id="mynetwork" style="height:640px"></div></body></html>')
    with pytest.raises(GraphPageError) as failure:
        check_graph_page(blank, tmp_path / "run")
    problems = failure.value.check.problems
    assert len(problems) == 2, problems
    assert "never set window.mzReady" in problems[0]
    assert "screenshot is blank" in problems[1]


def test_check_fails_on_a_page_that_requests_a_cdn(pages: dict[str, Path],
                                                   tmp_path: Path) -> None:
    page = tmp_path / "with-cdn.html"
    page.write_text(pages["call"].read_text(encoding="utf-8").replace(
        "</body>", '<script src="https://cdn.example.com/x.js"></script>\n</body>', 1),
        encoding="utf-8")
    with pytest.raises(GraphPageError) as failure:
        check_graph_page(page, tmp_path / "run")
    check = failure.value.check
    # the graph still drew: the attempted request alone (logged though it failed) is the fault
    assert check.problems == ["the page requested 1 external URL(s): https://cdn.example.com/x.js"]
    assert check.ready == {"nodes": 11, "clusters": 0, "visible": 11}


def test_check_leaves_out_the_browsers_own_traffic(pages: dict[str, Path],
                                                   tmp_path: Path) -> None:
    """Chromium asks for URLs of its own (which ones changes with every version); another
    tab of the same browser loading a URL stands in for them, so there surely is some."""
    background = "https://clients.example.com/checkin"
    check = check_graph_page(pages["call"], tmp_path, background=[background])
    assert check.requests == []
    assert background in check.ignored  # the browser did ask for it: logged, not counted
    assert not any(url.startswith(LOCAL_SCHEMES) for url in check.ignored)


def test_check_counts_what_the_page_brings_up(pages: dict[str, Path], tmp_path: Path) -> None:
    """A frame, a window, a worker, a WebSocket and a fetch the page starts are the page's."""
    wanted = {"https://frame.example.com/f.html", "https://popup.example.com/p.html",
              "https://worker.example.com/w", "wss://ws.example.com/s",
              "https://fetch.example.com/x"}
    extra = """<iframe src="https://frame.example.com/f.html"></iframe><script>
window.open("https://popup.example.com/p.html");
new Worker(URL.createObjectURL(new Blob(['fetch("https://worker.example.com/w")'])));
try { new WebSocket("wss://ws.example.com/s"); } catch (error) {}
fetch("https://fetch.example.com/x").catch(function () {});
</script>"""
    page = tmp_path / "spawns.html"
    page.write_text(pages["call"].read_text(encoding="utf-8").replace(
        "</body>", extra + "\n</body>", 1), encoding="utf-8")
    with pytest.raises(GraphPageError) as failure:
        check_graph_page(page, tmp_path / "run")
    check = failure.value.check
    external = [url for url in check.requests if not url.startswith(LOCAL_SCHEMES)]
    assert set(external) == wanted, check.requests  # (and the worker's blob:, error pages)
    assert check.problems == [f"the page requested 5 external URL(s): {', '.join(external)}"]
    assert not wanted & set(check.ignored)


def test_requests_are_told_apart_by_the_target_that_made_them() -> None:
    """The attribution alone: the page's frames, their workers and the windows they open
    belong to the page; another tab, its frames and the browser's own requests do not."""
    browser = DevTools.__new__(DevTools)
    browser.sessions = {"S-page": ("PAGE", None, None), "S-frame": ("FRAME", "S-page", None),
                        "S-worker": ("WORKER", "S-frame", None),
                        "S-popup": ("POPUP", None, "FRAME"),
                        "S-popup-frame": ("POPUP-FRAME", "S-popup", None),
                        "S-tab": ("TAB", None, None), "S-tab-frame": ("TF", "S-tab", None),
                        "S-tab-popup": ("TP", None, "TAB")}
    browser.requests = [("S-page", "https://a/"), ("S-tab", "https://tab/"),
                        ("S-worker", "https://w/"), ("S-popup-frame", "https://pf/"),
                        ("S-tab-frame", "https://tf/"), ("S-tab-popup", "https://tp/"),
                        (None, "https://browser/"), ("S-frame", "https://a/")]
    assert browser.requests_of("PAGE") == ["https://a/", "https://w/", "https://pf/"]
    assert browser.requests_of("TAB") == ["https://tab/", "https://tf/", "https://tp/"]


def test_netlog_urls_even_from_a_log_cut_short(tmp_path: Path) -> None:
    events = [{"params": {"url": "https://x/"}}, {"params": {"url": ""}}, {"params": {}},
              {"params": {"url": "https://y/"}}, {"params": {"url": "https://x/"}}]
    whole = tmp_path / "whole.json"
    whole.write_text(json.dumps({"constants": {}, "events": events}))
    cut = tmp_path / "cut.json"  # what a crashed browser leaves: no closing brackets
    cut.write_text('{"constants": {},\n"events": [\n' +
                   "".join(json.dumps(e) + ",\n" for e in events))
    assert logged_urls(whole) == logged_urls(cut) == ["https://x/", "https://y/"]
