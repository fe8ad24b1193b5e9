"""The graph pages in a real browser: headless Chromium opens them with the network off.

Each check copies the page into a temporary folder, appends a probe script (nothing is injected
into the product: the probe only exists in the copy), and runs Chromium from its command line:

- ``--dump-dom`` after ``--virtual-time-budget`` reads what the probe wrote into
  ``<pre id="mz-probe-result">``: the page's own ``window.mzReady`` ({nodes, clusters,
  visible}) and, when asked, the visible node count after ``network.openCluster`` on the first
  cluster;
- ``--log-net-log`` lists every URL the browser's network stack was asked for. The network is
  off (``--host-resolver-rules=MAP * ~NOTFOUND``: every host, IP literals too, fails with
  ERR_NAME_NOT_RESOLVED) but the attempt is still logged, so a page that tries a CDN fails;
- ``--screenshot`` is read with zlib and struct only and must show a drawn graph.

Even with ``--disable-background-networking --disable-component-update --disable-sync`` this
Chromium (156) starts three requests of its own, which are left out precisely: a URL is ignored
only when a URL_REQUEST for exactly that URL has no initiator (``"not an origin"``: the browser
process, not a document) and carries one of these traffic annotations. The annotation id in the
log is Chromium's hash of the annotation's name (``_annotation_hash``), so they are named here:

- ``network_time_component``: clients2.google.com/time/1/current, the secure clock;
- ``update_client``: update.googleapis.com/service/update2/json, an on-demand ("fg") check for
  the "Optimization Guide On DeviceModels Manifest" component, which --disable-component-update
  does not stop;
- ``gaia_auth_list_accounts``: accounts.google.com/ListAccounts, the Google sign-in cookie check.
"""

from __future__ import annotations

import html
import json
import os
import struct
import subprocess
import sys
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import require_tool

from modernize.graphs import analyze_estate
from modernize.synthetic import synthetic_estate

pytest.importorskip("pyvis")
from modernize.views import call_view  # noqa: E402 - needs pyvis

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
         f"--window-size={WIDTH},{HEIGHT}")
LOCAL_SCHEMES = ("file:", "data:", "about:", "blob:")
BROWSER_INTERNAL = ("network_time_component", "update_client", "gaia_auth_list_accounts")

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


def _annotation_hash(unique_id: str) -> int:
    """COMPUTE_NETWORK_TRAFFIC_ANNOTATION_ID_HASH of net/traffic_annotation."""
    value = ord(unique_id[0])
    for char in unique_id[1:]:
        value = (value * 31 + ord(char)) % 138003713
    return value


@dataclass
class PageCheck:
    """What Chromium saw of one page."""

    ready: dict | None  # window.mzReady
    opened: dict | None  # {cluster, visible} after openCluster, when asked
    requests: list[str]  # every URL the page made the browser ask for
    ignored: list[str]  # Chromium's own requests, left out (see the module docstring)
    ink: int  # non-white pixels inside the graph's frame
    colours: int  # distinct colours there
    error: str | None = None
    problems: list[str] = field(default_factory=list)


class GraphPageError(AssertionError):
    def __init__(self, check: PageCheck) -> None:
        super().__init__("; ".join(check.problems))
        self.check = check


def check_graph_page(page: Path, work: Path, *, open_cluster: bool = False,
                     budget_ms: int = 2500) -> PageCheck:
    """Open ``page`` in headless Chromium offline; raise GraphPageError unless it drew a
    non-empty graph (and, with ``open_cluster``, opening a cluster showed more nodes) without
    requesting anything from the network."""
    work.mkdir(parents=True, exist_ok=True)
    probed = work / f"probed-{page.name}"
    probe = PROBE.replace("__OPEN__", "true" if open_cluster else "false")
    text = page.read_text(encoding="utf-8")
    probed.write_text(text.replace("</body>", probe + "\n</body>", 1) if "</body>" in text
                      else text + probe, encoding="utf-8")
    netlog, png = work / "netlog.json", work / "screenshot.png"
    run = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={work / 'profile'}",
                          f"--virtual-time-budget={budget_ms}", f"--log-net-log={netlog}",
                          f"--screenshot={png}", "--dump-dom", probed.as_uri()],
                         capture_output=True, text=True, timeout=180)
    if run.returncode != 0 or not png.exists():
        raise RuntimeError(f"chromium failed ({run.returncode}): {run.stderr[-2000:]}")
    dumped = run.stdout.split('<pre id="mz-probe-result" style="display:none">', 1)[1]
    text = html.unescape(dumped.split("</pre>", 1)[0])
    result = {} if text == "no result" else json.loads(text)
    requests, ignored = requested_urls(netlog)
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


def requested_urls(netlog: Path) -> tuple[list[str], list[str]]:
    """(URLs requested, Chromium's own requests left out) from a NetLog JSON file."""
    log = json.loads(netlog.read_text(encoding="utf-8"))
    internal_ids = {_annotation_hash(name) for name in BROWSER_INTERNAL}
    url_request = log["constants"]["logSourceType"]["URL_REQUEST"]
    urls, facts = [], {}
    for event in log["events"]:
        params = event.get("params") or {}
        if "url" in params and params["url"] not in urls:
            urls.append(params["url"])
        if event["source"]["type"] == url_request:
            fact = facts.setdefault(event["source"]["id"], {})
            fact.update({k: params[k] for k in ("url", "initiator", "traffic_annotation")
                         if k in params})
    internal = {f["url"] for f in facts.values() if f.get("initiator") == "not an origin"
                and f.get("traffic_annotation") in internal_ids and "url" in f}
    internal -= {f["url"] for f in facts.values() if "url" in f and not (
        f.get("initiator") == "not an origin" and f.get("traffic_annotation") in internal_ids)}
    return [u for u in urls if u not in internal], [u for u in urls if u in internal]


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
