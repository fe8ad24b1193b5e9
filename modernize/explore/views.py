"""Interactive graph views: the model's graphs drawn with pyvis (vis-network), working offline.

The only module that imports pyvis. Every view is a standalone HTML page: vis-network is inlined
(``cdn_resources="in_line"``) and the Bootstrap tags pyvis adds from a CDN are taken out, so the
page makes no request. In a notebook a ``GraphView`` displays inline; elsewhere ``save`` writes
the page.

Each view also carries a static picture (``GraphView.picture``, SVG drawn here from the graph:
layered from its roots, no physics, so the same graph always gives the same bytes). A notebook
output holds it twice: as ``image/svg+xml`` and as an ``<img>`` under the interactive frame in
the HTML. An untrusted notebook (JupyterLab before it is run, GitHub, nbviewer) has its frames
taken out, so it shows the picture; once the notebook runs, the page covers it.

Large graphs stay usable: above ``max_nodes`` nodes the page opens aggregated (one node per JCL
job, or per community of the call graph), and a double-click opens an aggregate into its
members. A double-click on a program opens its paragraphs (and closes them again). A search box
finds a node by name.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
from pyvis.network import Network

from ..analysis.graphs import (
    ENTRY,
    EstateAnalysis,
    call_graph,
    control_flow_graph,
    crud_matrix,
    include_graph,
    paragraph_complexity,
    reachable_procedures,
)
from ..core.escape import html_text, script_json
from ..core.model import Estate, Program

DEFAULT_MAX_NODES = 300

# kind → (colour, shape); unreachable and unresolved things are red so they stand out
STYLE = {
    "program": ("#4e79a7", "dot"),
    "program:online": ("#f28e2b", "dot"),
    "program:subprogram": ("#59a14f", "dot"),
    "external": ("#bab0ac", "diamond"),
    "unresolved": ("#e15759", "triangle"),
    "copybook": ("#b07aa1", "box"),
    "missing-copybook": ("#e15759", "box"),
    "system-copybook": ("#d4d4d4", "box"),
    "dataset": ("#76b7b2", "database"),
    "sql-table": ("#9c755f", "database"),
    "cics-file": ("#edc948", "database"),
    "paragraph": ("#4e79a7", "box"),
    "section": ("#86bcb6", "box"),
    "unreachable": ("#e15759", "box"),
    "entry": ("#222222", "star"),
    "cluster": ("#d3d3d3", "hexagon"),
}
_CDN_TAG = re.compile(r"<(link|script)\b[^>]*?(?:href|src)=\"https?://[^\"]*\"[^>]*>(\s*</script>)?",
                      re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class GraphView:
    """A drawn graph: a standalone offline HTML page, and a static SVG picture of it."""

    title: str
    html: str
    nodes: int  # nodes in the page's data
    visible: int  # nodes shown when the page opens (fewer when aggregated)
    aggregated_by: str | None = None
    picture: str = ""  # SVG, as the page opens (aggregated when it is)

    def save(self, path: Path | str) -> Path:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.html, encoding="utf-8")
        return path

    def show(self, path: Path | str, height: int = 660) -> ShownView:
        """Write the page and show it in a notebook through an iframe that loads the file, so
        the notebook keeps a one-line output (and the picture) instead of the whole page."""
        return ShownView(self, self.save(path), height)

    def __repr__(self) -> str:
        shown = f", {self.visible} shown (by {self.aggregated_by})" if self.aggregated_by else ""
        return f"<GraphView {self.title!r}: {self.nodes} nodes{shown}>"

    def _repr_html_(self) -> str:
        """Inline in a notebook: the page in a sandboxed iframe, so its script runs apart, over
        the picture (which is all that shows where the frame is taken out)."""
        frame = (f'<iframe title="{html_text(self.title)}" srcdoc="{html_text(self.html)}" '
                 f'style="{_FRAME_STYLE}height:660px" sandbox="allow-scripts"></iframe>')
        return _over_picture(self, frame, 660)

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, str]:
        return _bundle(self, self._repr_html_())


@dataclass(frozen=True)
class ShownView:
    view: GraphView
    path: Path
    height: int

    def __repr__(self) -> str:
        return f"{self.view!r} in {self.path.as_posix()}"

    def _repr_html_(self) -> str:
        src = html_text(self.path.as_posix())
        frame = (f'<iframe src="{src}" title="{html_text(self.view.title)}" '
                 f'style="{_FRAME_STYLE}height:{self.height}px"></iframe>')
        return (_over_picture(self.view, frame, self.height) +
                f'<div style="font-size:smaller">{html_text(repr(self))} — '
                f'<a href="{src}" target="_blank">open in a tab</a></div>')

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, str]:
        return _bundle(self.view, self._repr_html_())


_FRAME_STYLE = "grid-area:1/1;width:100%;border:1px solid #ddd;background:#fff;"


def _over_picture(view: GraphView, frame: str, height: int) -> str:
    """The frame laid over the picture (both in one grid cell, the frame last, opaque): the
    page covers it once it runs; a reader that takes frames out (an untrusted notebook,
    GitHub, nbviewer) shows the picture, scaled to the width, and no empty space."""
    if not view.picture:
        return frame
    data = base64.b64encode(view.picture.encode("utf-8")).decode("ascii")
    return (f'<div style="display:grid">'
            f'<img src="data:image/svg+xml;base64,{data}" '
            f'alt="{html_text(view.title)}: a static picture of the graph" '
            f'style="grid-area:1/1;max-width:100%;max-height:{height}px">'
            f'{frame}</div>')


def _bundle(view: GraphView, page: str) -> dict[str, str]:
    bundle = {"text/html": page}
    if view.picture:
        bundle["image/svg+xml"] = view.picture
    return bundle


def _style(kind: str) -> dict:
    colour, shape = STYLE.get(kind, STYLE["program"])
    return {"color": colour, "shape": shape}


def _matches(name: str, pattern: str | None) -> bool:
    return pattern is None or re.search(pattern, name, re.IGNORECASE) is not None


def render(graph: nx.DiGraph, title: str, *, clusters: dict[str, str] | None = None,
           details: dict[str, dict] | None = None, max_nodes: int = DEFAULT_MAX_NODES,
           aggregated_by: str | None = None) -> GraphView:
    """Draw a graph whose nodes carry ``label``, ``kind``, ``tooltip`` and ``size``.

    ``clusters`` maps node → aggregate name; it is used when the graph has more than
    ``max_nodes`` nodes. ``details`` maps node → {"nodes": [...], "edges": [...]} shown on a
    double-click (a program's paragraphs).
    """
    aggregate = bool(clusters) and graph.number_of_nodes() > max_nodes
    net = Network(height="640px", width="100%", directed=True, cdn_resources="in_line",
                  notebook=False, heading="")
    for node, data in graph.nodes(data=True):
        extra = {"cid": clusters[node]} if aggregate and clusters and node in clusters else {}
        net.add_node(str(node), label=data.get("label", str(node)),
                     title=data.get("tooltip", str(node)), value=data.get("size", 1),
                     kind=data.get("kind", ""), **_style(data.get("kind", "")), **extra)
    seen: set[tuple[str, str]] = set()
    for source, target, data in graph.edges(data=True):
        if (str(source), str(target)) in seen:
            continue  # several calls between two programs: one arrow, all lines in its title
        seen.add((str(source), str(target)))
        style = {"color": data["color"]} if data.get("color") else {}
        net.add_edge(str(source), str(target), title=data.get("tooltip", ""),
                     label=data.get("label", ""), dashes=bool(data.get("dashes")), **style)
    large = graph.number_of_nodes() > 100
    net.set_options(json.dumps({
        "layout": {"improvedLayout": not large},
        "physics": {"stabilization": {"enabled": not aggregate, "iterations": 200},
                    "barnesHut": {"gravitationalConstant": -8000, "springLength": 140}},
        "interaction": {"hover": True, "navigationButtons": False, "tooltipDelay": 150},
        "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
                  "smooth": {"enabled": not large}, "font": {"size": 10}},
        "nodes": {"font": {"size": 14},
                  "scaling": {"min": 8, "max": 40, "label": {"enabled": False}}},
    }))
    page = _CDN_TAG.sub("", net.generate_html())
    cluster_info: dict[str, dict] = {}
    if aggregate and clusters:
        for name in clusters.values():
            cluster_info.setdefault(name, {"count": 0})["count"] += 1
    # one pass, so a value holding a placeholder's name is never substituted again
    values = {"__CLUSTERS__": script_json(cluster_info), "__DETAILS__": script_json(details or {}),
              "__TITLE__": script_json(title)}
    script = _PLACEHOLDER.sub(lambda m: values[m[0]], _SCRIPT)
    page = page.replace("</body>", script + "\n</body>", 1)
    page = page.replace("<head>", f"<head>\n<title>{html_text(title)}</title>", 1)
    visible = len(cluster_info) + sum(1 for n in graph if not clusters or n not in clusters) \
        if aggregate else graph.number_of_nodes()
    shown = _aggregated(graph, clusters) if aggregate and clusters else graph
    caption = (f"{graph.number_of_nodes()} nodes aggregated by {aggregated_by} into "
               f"{len(cluster_info)} groups" if aggregate else "")
    return GraphView(title=title, html=page, nodes=graph.number_of_nodes(), visible=visible,
                     aggregated_by=aggregated_by if aggregate else None,
                     picture=picture(shown, title, caption=caption, limit=max_nodes))


_PLACEHOLDER = re.compile(r"__(CLUSTERS|DETAILS|TITLE)__")

# Runs after pyvis's drawGraph(): aggregates, drill-down, search, and a flag tests can read.
_SCRIPT = """<div id="mz-bar" style="position:absolute;top:6px;left:8px;z-index:10;
 font:13px sans-serif;background:#fffc;padding:4px 6px;border-radius:4px">
 <b id="mz-title"></b> <input id="mz-find" placeholder="find a name" size="18">
 <span id="mz-hint" style="color:#666"></span></div>
<script type="text/javascript">
(function () {
  var clusters = __CLUSTERS__, details = __DETAILS__;
  document.getElementById("mz-title").textContent = __TITLE__;
  var names = Object.keys(clusters);
  names.forEach(function (name) {
    network.cluster({
      joinCondition: function (node) { return node.cid === name; },
      clusterNodeProperties: {
        id: "cluster:" + name, label: name + " (" + clusters[name].count + ")",
        shape: "hexagon", color: "#d3d3d3", value: clusters[name].count,
        title: name + ": " + clusters[name].count + " members; double-click to open",
        kind: "cluster"
      }
    });
  });
  var hint = [];
  if (names.length) hint.push("double-click an aggregate to open it");
  if (Object.keys(details).length) hint.push("double-click a program for its paragraphs");
  document.getElementById("mz-hint").textContent = hint.join("; ");
  var open = {};
  network.on("doubleClick", function (params) {
    if (params.nodes.length !== 1) return;
    var id = params.nodes[0];
    if (network.isCluster(id)) { network.openCluster(id); return; }
    var more = details[id];
    if (!more) return;
    if (open[id]) {
      nodes.remove(more.nodes.map(function (n) { return n.id; }));
      delete open[id];
    } else {
      nodes.add(more.nodes); edges.add(more.edges); open[id] = true;
    }
  });
  document.getElementById("mz-find").addEventListener("change", function (event) {
    var wanted = event.target.value.toUpperCase();
    var hit = nodes.get({filter: function (n) {
      return String(n.label).toUpperCase().indexOf(wanted) >= 0; }})[0];
    if (!hit) return;
    var owner = network.findNode(hit.id);
    if (owner.length > 1) network.openCluster(owner[0]);
    network.selectNodes([hit.id]); network.focus(hit.id, {scale: 1.2});
  });
  if (names.length) network.stabilize(150);
  window.mzReady = {nodes: nodes.length, clusters: names.length,
                    visible: network.body.nodeIndices.length};
})();
</script>"""


# --------------------------------------------------------------------------- the static picture

_COLUMN, _ROW, _PER_ROW, _MARGIN, _TOP = 132, 78, 10, 24, 64
_LABEL_CHARS = 20
_HALO = 'text-anchor="middle" stroke="#fff" stroke-width="3" paint-order="stroke"'


def _aggregated(graph: nx.DiGraph, clusters: dict[str, str]) -> nx.DiGraph:
    """The graph as an aggregated page opens: one node per group, edges between groups."""
    counts: dict[str, int] = {}
    for name in clusters.values():
        counts[name] = counts.get(name, 0) + 1
    shown = nx.DiGraph()

    def node_of(node: object) -> object:
        return f"cluster:{clusters[node]}" if node in clusters else node

    for node, data in graph.nodes(data=True):
        if node in clusters:
            name = clusters[node]
            shown.add_node(f"cluster:{name}", label=f"{name} ({counts[name]})", kind="cluster",
                           size=counts[name])
        else:
            shown.add_node(node, **data)
    for source, target, data in graph.edges(data=True):
        start, end = node_of(source), node_of(target)
        if start != end and not shown.has_edge(start, end):
            shown.add_edge(start, end, dashes=bool(data.get("dashes")), color=data.get("color"))
    return shown


def _layers(graph: nx.DiGraph) -> list[list[object]]:
    """Nodes in layers: breadth-first from the roots (nodes nothing points to; for a cycle
    nothing enters, its first node), each layer ordered by where its predecessors stand."""
    order = {node: index for index, node in enumerate(graph)}
    depth: dict[object, int] = {}

    def walk(starts: list[object]) -> None:
        frontier = [n for n in starts if n not in depth]
        depth.update(dict.fromkeys(frontier, 0))
        while frontier:
            following = []
            for node in frontier:
                for successor in graph.successors(node):
                    if successor not in depth:
                        depth[successor] = depth[node] + 1
                        following.append(successor)
            frontier = following

    walk([n for n in graph if graph.in_degree(n) == graph.number_of_edges(n, n)])
    for node in graph:  # what only a cycle reaches
        if node not in depth:
            walk([node])
    layers: list[list[object]] = [[] for _ in range(max(depth.values(), default=-1) + 1)]
    for node in graph:
        layers[depth[node]].append(node)
    place: dict[object, float] = {}

    def arrange(layer: list[object], neighbours) -> None:  # noqa: ANN001 - a graph method
        """Order a layer by where each node's neighbours in other layers stand."""
        members = set(layer)

        def key(node: object) -> tuple[float, int]:
            near = [place[n] for n in neighbours(node) if n in place and n not in members]
            return (sum(near) / len(near) if near else place.get(node, math.inf), order[node])

        layer.sort(key=key)
        for index, node in enumerate(layer):
            place[node] = index - (len(layer) - 1) / 2

    for layer in layers:  # down, up and down again: callers over their callees
        arrange(layer, graph.predecessors)
    for layer in reversed(layers[:-1]):
        arrange(layer, graph.successors)
    for layer in layers[1:]:
        arrange(layer, graph.predecessors)
    return layers


def _shape(kind: str, x: int, y: int, r: int, colour: str) -> str:
    shape = STYLE.get(kind, STYLE["program"])[1]
    fill = f'fill="{colour}" stroke="#fff" stroke-width="1"'
    if shape in ("box", "database"):
        corner = ' rx="3"' if shape == "database" else ""
        return (f'<rect x="{x - r}" y="{y - r * 3 // 4}" width="{2 * r}" height="{r * 3 // 2}"'
                f'{corner} {fill}/>')
    corners = {"diamond": 4, "triangle": 3, "hexagon": 6, "star": 10}.get(shape)
    if corners is None:
        return f'<circle cx="{x}" cy="{y}" r="{r}" {fill}/>'
    points = []
    for i in range(corners):
        angle = -math.pi / 2 + 2 * math.pi * i / corners
        reach = r * (0.45 if shape == "star" and i % 2 else 1.15 if shape == "star" else 1)
        points.append(f"{x + reach * math.cos(angle):.1f},{y + reach * math.sin(angle):.1f}")
    return f'<polygon points="{" ".join(points)}" {fill}/>'


def picture(graph: nx.DiGraph, title: str, *, caption: str = "",
            limit: int = DEFAULT_MAX_NODES) -> str:
    """A static SVG of a graph whose nodes carry ``label``, ``kind`` and ``size`` (edges
    ``color``, ``dashes``, ``label``), as ``render`` takes it: layers top-down from the roots,
    styled like the page. At most ``limit`` nodes are drawn (the first layers); every text is
    escaped; the same graph gives the same bytes."""
    layers, drawn = [], 0
    for layer in _layers(graph):
        layer = layer[:max(limit - drawn, 0)]
        if layer:
            layers.append(layer)
            drawn += len(layer)
    rows: list[list[object]] = []
    for layer in layers:
        rows += [layer[i:i + _PER_ROW] for i in range(0, len(layer), _PER_ROW)]
    columns = max((len(row) for row in rows), default=1)
    width = max(2 * _MARGIN + columns * _COLUMN, 360)
    height = _TOP + len(rows) * _ROW + 40
    at: dict[object, tuple[int, int, int]] = {}
    for index, row in enumerate(rows):
        left = (width - len(row) * _COLUMN) // 2
        for column, node in enumerate(row):
            size = graph.nodes[node].get("size", 1) or 1
            radius = 7 + min(int(math.sqrt(max(float(size), 1.0)) * 1.5), 9)
            at[node] = (left + column * _COLUMN + _COLUMN // 2, _TOP + index * _ROW + 18, radius)
    colours = sorted({str(data.get("color") or "#8c8c8c")
                      for s, t, data in graph.edges(data=True) if s in at and t in at})
    # ids unique to this picture: several may share one page (a notebook shown inline)
    stem = hashlib.sha256("\0".join([title, *map(str, at)]).encode("utf-8", "replace"))
    marker = {colour: f"mz{stem.hexdigest()[:8]}-{i}" for i, colour in enumerate(colours)}
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11">',
           f"<title>{html_text(title)}</title>",
           "<defs>" + "".join(
               f'<marker id="{marker[c]}" viewBox="0 0 10 10" refX="9" refY="5" '
               f'markerWidth="7" markerHeight="7" orient="auto">'
               f'<path d="M0,0L10,5L0,10z" fill="{html_text(c)}"/></marker>'
               for c in colours) + "</defs>",
           f'<rect width="{width}" height="{height}" fill="#fff"/>',
           f'<text x="{_MARGIN // 2}" y="20" font-size="14" font-weight="bold">'
           f"{html_text(title)}</text>"]
    for source, target, data in graph.edges(data=True):
        if source not in at or target not in at:
            continue
        colour = str(data.get("color") or "#8c8c8c")
        style = (f'fill="none" stroke="{html_text(colour)}" stroke-width="1.2" '
                 f'marker-end="url(#{marker[colour]})"' +
                 (' stroke-dasharray="5 4"' if data.get("dashes") else ""))
        (x1, y1, r1), (x2, y2, r2) = at[source], at[target]
        if source == target:
            out.append(f'<path d="M{x1 - 5},{y1 - r1} C{x1 - 22},{y1 - r1 - 26} '
                       f'{x1 + 22},{y1 - r1 - 26} {x1 + 5},{y1 - r1}" {style}/>')
            continue
        bend = 0.12 if y1 != y2 else 0.25
        # a quadratic curve bent to the left of its way: A→B and B→A stay apart, an edge
        # along a row bows clear of the nodes between its ends
        cx, cy = (x1 + x2) / 2 + bend * (y2 - y1), (y1 + y2) / 2 - bend * (x2 - x1)
        start = _toward(x1, y1, cx, cy, r1)
        end = _toward(x2, y2, cx, cy, r2 + 2)
        out.append(f'<path d="M{start[0]:.1f},{start[1]:.1f} Q{cx:.1f},{cy:.1f} '
                   f'{end[0]:.1f},{end[1]:.1f}" {style}/>')
        if data.get("label"):
            out.append(f'<text x="{(x1 + 2 * cx + x2) / 4:.1f}" y="{(y1 + 2 * cy + y2) / 4:.1f}" '
                       f'font-size="9" fill="#555" {_HALO}>'
                       f'{html_text(_short(data["label"]))}</text>')
    for node, (x, y, radius) in at.items():
        data = graph.nodes[node]
        kind = str(data.get("kind") or "")
        label = str(data.get("label", node))
        out.append(f"<g><title>{html_text(label)}</title>"
                   + _shape(kind, x, y, radius, STYLE.get(kind, STYLE["program"])[0])
                   + f'<text x="{x}" y="{y + radius + 12}" {_HALO}>'
                   f"{html_text(_short(label))}</text></g>")
    notes = [caption] if caption else []
    if drawn < graph.number_of_nodes():
        notes.append(f"the first {drawn} of {graph.number_of_nodes()} nodes")
    notes.append("a static picture: run the notebook (or open the page) for the interactive "
                 "graph")
    out.append(f'<text x="{_MARGIN // 2}" y="{height - 12}" fill="#666">'
               f'{html_text("; ".join(notes))}</text></svg>')
    return "\n".join(out)


def _toward(x: float, y: float, tx: float, ty: float, distance: float) -> tuple[float, float]:
    """The point ``distance`` from (x, y) toward (tx, ty)."""
    length = math.hypot(tx - x, ty - y) or 1.0
    return x + (tx - x) * distance / length, y + (ty - y) * distance / length


def _short(label: object) -> str:
    text = " ".join(str(label).split())
    return text if len(text) <= _LABEL_CHARS else text[:_LABEL_CHARS - 1] + "…"


# --------------------------------------------------------------------------- the four views


def _program_kind(data: dict) -> str:
    kind = data.get("kind", "program")
    if kind == "program" and data.get("program_kind") in ("online", "subprogram"):
        return f"program:{data['program_kind']}"
    return kind


def call_view(estate: Estate, analysis: EstateAnalysis | None = None, *,
              kinds: Iterable[str] | None = None, pattern: str | None = None,
              max_nodes: int = DEFAULT_MAX_NODES, with_paragraphs: bool = True) -> GraphView:
    """The estate call graph: programs (batch, online, subprogram), external and unresolved
    targets. Size by lines; tooltip with id, file, kind and metrics. Aggregated by JCL job (or
    by community) above ``max_nodes``; a double-click on a program shows its paragraphs."""
    source = call_graph(estate)
    wanted = set(kinds) if kinds else None
    programs = {p.id: p for p in estate.programs}
    graph = nx.DiGraph()
    for node, data in source.nodes(data=True):
        kind = _program_kind(data)
        if wanted is not None and kind.split(":")[0] not in wanted and kind not in wanted:
            continue
        if not _matches(str(data.get("name", node)), pattern):
            continue
        facts = analysis.programs.get(node) if analysis else None
        tooltip = [str(node), f"{data.get('path', '')}" + (f":{data['line']}" if data.get("line")
                                                           else "")]
        if facts:
            tooltip += [f"{data.get('program_kind', '')} program, {data.get('lines', 0)} lines",
                        f"complexity {facts.complexity}, fan-in {facts.fan_in}, "
                        f"fan-out {facts.fan_out}"]
            if facts.unreachable_paragraphs:
                tooltip.append("unreachable: " + ", ".join(facts.unreachable_paragraphs))
        graph.add_node(node, label=str(data.get("name", node)), kind=kind,
                       size=max(int(data.get("lines", 0) or 0) // 20, 1),
                       tooltip="\n".join(t for t in tooltip if t))
    for source_node, target, data in source.edges(data=True):
        if source_node in graph and target in graph:
            line = f"{data.get('kind')} at {data.get('file')}:{data.get('line')}"
            if graph.has_edge(source_node, target):
                graph.edges[source_node, target]["tooltip"] += "\n" + line
            else:
                graph.add_edge(source_node, target, tooltip=line,
                               dashes=data.get("kind") != "static")
    details = {}
    if with_paragraphs:
        for node in graph:
            if node in programs:
                details[node] = _paragraph_details(programs[node], analysis)
    clusters = _call_clusters(estate, graph)
    by = "job" if clusters and any(v.startswith("job ") for v in clusters.values()) \
        else "community"
    return render(graph, "Call graph", clusters=clusters, details=details,
                  max_nodes=max_nodes, aggregated_by=by)


def _paragraph_details(program: Program, analysis: EstateAnalysis | None) -> dict:
    """A program's paragraphs as extra nodes and edges for its double-click."""
    cfg = control_flow_graph(program)
    reached = reachable_procedures(program, cfg)
    nodes, edges = [], []
    for key, data in cfg.nodes(data=True):
        if key == ENTRY:
            continue
        kind = "unreachable" if key not in reached else data.get("kind", "paragraph")
        colour, shape = STYLE[kind]
        nodes.append({"id": f"{program.id}::{key}", "label": key, "color": colour,
                      "shape": shape, "size": 8, "font": {"size": 10},
                      "title": f"{program.name} {key}\n{data.get('file')}:{data.get('line')}"})
    for source, target, data in cfg.edges(data=True):
        start = program.id if source == ENTRY else f"{program.id}::{source}"
        edges.append({"from": start, "to": f"{program.id}::{target}",
                      "dashes": data.get("kind") == "fall-through", "color": "#999"})
    return {"nodes": nodes, "edges": edges}


def _call_clusters(estate: Estate, graph: nx.DiGraph) -> dict[str, str]:
    """Aggregate by the JCL job that runs a program when jobs cover most programs, else by
    community of the call graph; targets outside the estate go with their callers."""
    job_of: dict[str, str] = {}
    for job in estate.jobs:
        for step in job.steps:
            if step.program:
                job_of.setdefault(f"cobol:{step.program}", f"job {job.name}")
    programs = [n for n, d in graph.nodes(data=True) if str(d.get("kind")).startswith("program")]
    clusters: dict[str, str] = {}
    if programs and sum(n in job_of for n in programs) >= len(programs) / 2:
        for node in programs:
            clusters[node] = job_of.get(node, "no job")
    elif programs:
        undirected = graph.subgraph(programs).to_undirected()
        communities = nx.community.louvain_communities(undirected, seed=0)
        for community in sorted(communities, key=lambda c: (-len(c), min(c))):
            label = max(community, key=lambda n: (graph.degree(n), n))
            name = f"around {graph.nodes[label].get('label', label)}"
            for node in community:
                clusters[node] = name
    for node in graph:
        if node not in clusters:
            callers = [clusters[s] for s, _ in graph.in_edges(node) if s in clusters]
            clusters[node] = callers[0] if callers else "outside the estate"
    return clusters


def include_view(estate: Estate, *, pattern: str | None = None,
                 max_nodes: int = DEFAULT_MAX_NODES) -> GraphView:
    """Programs and the copybooks they pull in (nested copies from their copybook);
    missing copybooks in red, IBM-supplied ones in grey."""
    source = include_graph(estate)
    graph = nx.DiGraph()
    for node, data in source.nodes(data=True):
        if not _matches(str(data.get("name", node)), pattern) and data.get("kind") == "program":
            continue
        graph.add_node(node, label=data.get("name", node), kind=data.get("kind"),
                       tooltip=f"{node}\n{data.get('path') or 'not in the repo'}",
                       size=1 + source.in_degree(node))
    for source_node, target, data in source.edges(data=True):
        if source_node in graph and target in graph:
            graph.add_edge(source_node, target,
                           tooltip=f"COPY at {data.get('file')}:{data.get('line')}" +
                           (" REPLACING" if data.get("replacing") else ""))
    graph.remove_nodes_from([n for n in list(graph) if graph.degree(n) == 0 and
                             not str(n).startswith("cobol:")])
    clusters = {n: f"{n.split(':', 1)[1][:2]}…" for n in graph if str(n).startswith("cobol:")}
    for node in graph:
        if node not in clusters:
            users = [clusters[s] for s, _ in graph.in_edges(node) if s in clusters]
            clusters[node] = users[0] if users else "shared"
    return render(graph, "Copybook includes", clusters=clusters, max_nodes=max_nodes,
                  aggregated_by="program name")


def crud_view(estate: Estate, *, kinds: Iterable[str] | None = None,
              pattern: str | None = None, max_nodes: int = DEFAULT_MAX_NODES) -> GraphView:
    """Programs ↔ datasets (by DD name), SQL tables and CICS files, edges labelled C/R/U/D."""
    wanted = set(kinds) if kinds else None
    graph = nx.DiGraph()
    for entry in crud_matrix(estate):
        kind = entry.resource.split(":", 1)[0]
        if wanted is not None and kind not in wanted:
            continue
        if not (_matches(entry.program, pattern) or _matches(entry.resource, pattern)):
            continue
        program = f"cobol:{entry.program}"
        graph.add_node(program, label=entry.program, kind="program", tooltip=program)
        graph.add_node(entry.resource, label=entry.resource.split(":", 1)[1], kind=kind,
                       tooltip=entry.resource)
        graph.add_edge(program, entry.resource, label=entry.ops,
                       tooltip=f"{entry.program} {entry.ops} {entry.resource}")
    for node in graph:
        graph.nodes[node]["size"] = 1 + graph.degree(node)
    clusters = {n: ("programs" if str(n).startswith("cobol:") else n.split(":", 1)[0] + "s")
                for n in graph}
    return render(graph, "CRUD: programs and data", clusters=clusters, max_nodes=max_nodes,
                  aggregated_by="kind")


def cfg_view(program: Program, analysis: EstateAnalysis | None = None) -> GraphView:
    """A program's paragraphs and sections: PERFORM (solid), GO TO (orange), fall-through
    (dashed); unreachable ones in red, size by complexity, the entry as a star."""
    cfg = control_flow_graph(program)
    reached = reachable_procedures(program, cfg)
    complexity = paragraph_complexity(program)
    procedures = {p.key: p for p in (*program.sections, *program.paragraphs)}
    graph = nx.DiGraph()
    for key, data in cfg.nodes(data=True):
        if key == ENTRY:
            graph.add_node(key, label="entry", kind="entry", tooltip=f"{program.name} entry")
            continue
        proc = procedures.get(key)
        kind = "unreachable" if key not in reached else data.get("kind", "paragraph")
        lines = f"{data.get('file')}:{data.get('line')}"
        if proc is not None and proc.end_line:
            lines += f"-{proc.end_line}"
        graph.add_node(key, label=key, kind=kind, size=complexity.get(key, 1),
                       tooltip=f"{program.id}/{key}\n{lines}\ncomplexity "
                               f"{complexity.get(key, 1)}" +
                               ("\nunreachable" if key not in reached else ""))
    colours = {"goto": "#f28e2b", "fall-through": "#aaaaaa", "perform": "#4e79a7"}
    for source, target, data in cfg.edges(data=True):
        kind = data.get("kind", "")
        graph.add_edge(source, target, dashes=kind == "fall-through",
                       color=colours.get(kind, "#59a14f"),
                       tooltip=f"{kind}" + (f" at line {data['line']}" if data.get("line")
                                            else "") +
                       (f" THRU {data['thru']}" if data.get("thru") else ""))
    return render(graph, f"{program.name}: control flow")


VIEWS = ("call", "include", "crud", "cfg")


def view_of(estate: Estate, analysis: EstateAnalysis, view: str,
            program: str | None = None) -> GraphView:
    """One of ``VIEWS`` by name (what `modernize graph --view` draws)."""
    if view == "call":
        return call_view(estate, analysis)
    if view == "include":
        return include_view(estate)
    if view == "crud":
        return crud_view(estate)
    if view == "cfg":
        found = estate.program(program or "")
        if found is None:
            raise KeyError(program)
        return cfg_view(found, analysis)
    raise ValueError(view)
