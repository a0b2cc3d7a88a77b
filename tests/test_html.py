"""The interactive HTML org chart (ice_graph.charts.html).

Static tests always run: the page is self-contained, its data matches the graph,
hostile text cannot break out of it, the bytes are deterministic, foreign and large
graphs work. Browser tests (marker ``browser``) drive the page in headless Chromium
with selenium and skip with the reason when selenium, chromium or chromedriver is
missing (Debian: ``apt-get install chromium chromium-driver``; ``pip install selenium``).
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

import ice_graph
from ice_graph.charts.html import AUTO_COLLAPSE_UNITS, build_payload, generate_html, script_json, write_html
from ice_graph.codec import citations, event_records
from ice_graph.errors import IceGraphError, RenderError
from ice_graph.synthetic import random_organization
from ice_graph.views import hierarchy

from .conftest import ROOT

HOSTILE = '</script><script>window.__pwned=1</script><!-- <img src=x onerror="window.__pwned=2">\u2028\u2029'


def _browser_mark() -> Any:
    """``pytest.mark.browser`` once pyproject registers it; until then (strict markers) no mark."""
    try:
        return pytest.mark.browser
    except pytest.fail.Exception:
        return lambda test: test


browser = _browser_mark()


def page(G: nx.DiGraph, **options: Any) -> str:
    return "".join(generate_html(G, **options))


def payload_of(text: str) -> dict[str, Any]:
    m = re.search(r'<script type="application/json" id="org-data">(.*?)</script>', text, re.S)
    assert m, "no data script in the page"
    data: dict[str, Any] = json.loads(m.group(1))
    return data


@pytest.fixture(scope="module")
def history() -> nx.DiGraph:
    return ice_graph.load(history=True)


def hostile_graph() -> nx.DiGraph:
    G = ice_graph.load()
    G = G.copy()
    G.nodes["hsi"]["name"] = HOSTILE
    G.nodes["ero"]["abbreviation"] = "<b>E</b>"
    G.nodes["opla"]["citations"] = json.dumps(
        [{"source": "evil", "quote": "quote </script> & <!-- end"}, {"source": ["not", "an id"], "quote": 5}]
    )
    registry = json.loads(G.graph["source_registry"])
    registry["evil"] = {"title": "<i>t</i>", "url": "javascript:alert(1)", "accessed": "2024-01-01"}
    G.graph["source_registry"] = json.dumps(registry)
    return G


# ---------------------------------------------------------------------------
# Static
# ---------------------------------------------------------------------------
def test_the_page_makes_no_network_request(history):
    text = page(history)
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", text, re.I)
    assert "<link" not in text.lower() and "@import" not in text
    assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", text)
    assert text.count("<script") == 2  # the data and the code, both inline
    assert 'input type="search"' in text and 'type="range"' in text


def test_the_data_matches_the_graph(history):
    data = payload_of(page(history))
    assert [r["i"] for r in data["nodes"]] == list(history)
    ids = [r["i"] for r in data["nodes"]]
    assert sorted((ids[u], ids[v]) for u, v, *_ in data["tree"]) == sorted(hierarchy(history).edges)
    assert len(data["tree"]) + len(data["links"]) == history.number_of_edges()
    hsi = data["nodes"][ids.index("hsi")]
    assert hsi["n"] == "Homeland Security Investigations" and hsi["a"] == "HSI"
    assert [data["quotes"][c[1]] for c in hsi["c"]] == [c["quote"] for c in citations(history, "hsi")]
    assert ["Office of Investigations", "", "", "2010-06-01"] in hsi["dn"]
    fps = data["nodes"][ids.index("fps")]
    assert (fps["f"], fps["u"]) == ("2003-03-01", "2009-10-28")
    assert data["history"] is True
    assert data["range"][0] <= "2003-01-01" and data["range"][1] == data["date"]
    collapsed = {ids[i] for i in data["collapse"]}
    assert len(hierarchy(history)) > AUTO_COLLAPSE_UNITS  # so it opens collapsed below the directorates
    assert {"hsi", "ero", "opla"} <= collapsed and not {"dhs", "ice"} & collapsed


def test_a_small_organization_opens_whole():
    G = nx.balanced_tree(3, 3, create_using=nx.DiGraph)
    assert payload_of(page(G))["collapse"] == []
    assert payload_of(page(G, collapse_below=1))["collapse"] == list(range(1, 40))


def test_a_snapshot_has_no_date_control(ice):
    data = payload_of(page(ice))
    assert data["history"] is False and data["range"] == []
    assert '<div class="when" id="when" hidden>' in page(ice)


def test_hostile_text_cannot_break_out():
    text = page(hostile_graph())
    assert text.count("</script>") == 2
    assert "<!--" not in text and "\u2028" not in text and "\u2029" not in text
    assert "<img" not in text and "<b>E</b>" not in text
    data = payload_of(text)
    names = {r["i"]: r for r in data["nodes"]}
    assert names["hsi"]["n"] == HOSTILE  # the text survives, as data
    assert "quote </script> & <!-- end" in data["quotes"]
    evil = next(s for s in data["sources"] if s["id"] == "evil")
    assert "url" not in evil and evil["title"] == "<i>t</i>"


def test_script_json_escapes_what_ends_a_script():
    text = script_json({"a": "</SCRIPT><!--\u2028&"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"a": "</SCRIPT><!--\u2028&"}


def test_same_graph_same_bytes(tmp_path):
    write_html(ice_graph.load(history=True), tmp_path / "a.html")
    write_html(ice_graph.load(history=True), tmp_path / "b.html")
    assert (tmp_path / "a.html").read_bytes() == (tmp_path / "b.html").read_bytes()


@pytest.mark.parametrize(
    "G",
    [
        nx.balanced_tree(3, 3, create_using=nx.DiGraph),
        nx.DiGraph([("a", "b"), ("b", "c"), ("c", "a")]),  # a cycle: no root, nothing breaks
        nx.path_graph(3000, create_using=nx.DiGraph),  # deeper than any call stack
        nx.DiGraph(),
    ],
    ids=["balanced-tree", "cycle", "deep-path", "empty"],
)
def test_foreign_graphs(G):
    data = payload_of(page(G))
    assert [r["i"] for r in data["nodes"]] == [str(n) for n in G]
    assert len(data["tree"]) == G.number_of_edges() and data["links"] == []
    assert all(data["kinds"][r["k"]]["k"] == "unit" for r in data["nodes"])


def test_a_csv_organization(tmp_path):
    (tmp_path / "units.csv").write_text(
        "id,parent,name,kind,source,quote\n"
        "top,,Top Office,agency,s,Top is an agency\n"
        "sub,top,Sub Office,office,s,Sub is under Top\n",
        encoding="utf-8",
    )
    (tmp_path / "sources.csv").write_text("id,title,accessed\ns,A source,2024-01-01\n", encoding="utf-8")
    data = payload_of(page(ice_graph.load(tmp_path)))
    assert [r["n"] for r in data["nodes"]] == ["Top Office", "Sub Office"]
    assert data["tree"] == [[0, 1]]


def test_a_big_organization_opens_collapsed_below_its_directorates():
    G = random_organization(3000)
    data = payload_of(page(G))
    kinds = [k["k"] for k in data["kinds"]]
    collapsed = set(data["collapse"])
    assert len(G) > AUTO_COLLAPSE_UNITS
    for i, r in enumerate(data["nodes"]):
        if kinds[r["k"]] == "directorate":
            assert i in collapsed
        if kinds[r["k"]] in ("department", "agency"):
            assert i not in collapsed
    assert payload_of(page(G, collapse_below=0))["collapse"][0] == 0


def test_ten_thousand_units_are_small_and_fast(tmp_path):
    G = random_organization(10_000)
    start = time.perf_counter()
    write_html(G, tmp_path / "big.html")
    elapsed = time.perf_counter() - start
    size = (tmp_path / "big.html").stat().st_size
    assert size < 3_000_000, f"{size:,} bytes"
    assert elapsed < 2.0, f"{elapsed:.2f} s"


@pytest.mark.parametrize(
    ("options", "match"),
    [
        ({"collapse_below": -1}, "collapse_below"),
        ({"collapse_below": "2"}, "collapse_below"),
        ({"as_of": "last year"}, "as_of"),
    ],
)
def test_bad_options(ice, options, match):
    with pytest.raises(RenderError, match=match):
        page(ice, **options)


def test_bad_graphs_and_unknown_options(ice, tmp_path):
    with pytest.raises(IceGraphError, match="directed"):
        page(nx.Graph([(1, 2)]))
    with pytest.raises(IceGraphError, match="DiGraph"):
        page("not a graph")  # type: ignore[arg-type]
    with pytest.raises(RenderError, match="unknown option.*colour"):
        write_html(ice, tmp_path / "x.html", colour="red")
    assert not (tmp_path / "x.html").exists()


def test_writes_to_a_file_object(ice):
    import io

    out = io.StringIO()
    write_html(ice, out)
    assert out.getvalue() == page(ice)


def test_as_of_sets_the_opening_date(history):
    assert payload_of(page(history, as_of="2005"))["open"] == "2005-01-01"
    assert build_payload(history)["title"] == history.graph["title"]
    assert build_payload(history, title="Mine")["title"] == "Mine"


# ---------------------------------------------------------------------------
# In a browser
# ---------------------------------------------------------------------------
def _chromium() -> tuple[str, str] | str:
    """(browser, driver) paths, or the reason they cannot be used."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "needs selenium (pip install selenium)"
    binary = next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None)
    driver = shutil.which("chromedriver") or next(
        (p for p in ("/usr/lib/chromium/chromedriver", "/usr/bin/chromedriver") if Path(p).exists()), None
    )
    if not binary or not driver:
        return "needs chromium and chromedriver (Debian: apt-get install chromium chromium-driver)"
    return binary, driver


@pytest.fixture(scope="module")
def driver() -> Iterator[Any]:
    found = _chromium()
    if isinstance(found, str):
        pytest.skip(found)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = found[0]
    profile = tempfile.mkdtemp(prefix="ice-graph-chromium-")
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
        "--window-size=1280,800",
    ):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    d = webdriver.Chrome(service=Service(found[1]), options=options)
    try:
        yield d
    finally:
        d.quit()
        shutil.rmtree(profile, ignore_errors=True)


def open_page(driver: Any, path: Path, width: int = 1280, height: int = 800, *, whole: bool = True) -> None:
    """Open the page; with ``whole``, fit the whole chart in view so that every box is drawn."""
    driver.set_window_size(width, height)
    driver.get(path.resolve().as_uri())
    for _ in range(100):
        if driver.execute_script("return document.documentElement.getAttribute('data-ready')"):
            break
        time.sleep(0.05)
    if whole:
        driver.execute_script("document.getElementById('expand-all').click()")
        fit(driver)
    driver.get_log("browser")  # keep this page's messages apart from the previous one's


def fit(driver: Any) -> None:
    """Fit the chart in view (boxes out of view are not drawn) and wait for the next frame."""
    driver.execute_script("document.getElementById('zoom-fit').click()")
    driver.execute_async_script("requestAnimationFrame(() => requestAnimationFrame(arguments[0]))")


def errors(driver: Any) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]


def node(driver: Any, node_id: str) -> Any:
    from selenium.webdriver.common.by import By

    found = driver.find_elements(By.CSS_SELECTOR, f'.node[data-id="{node_id}"]')
    return found[0] if found else None


def in_view(driver: Any, element: Any) -> bool:
    script = """
      var r = arguments[0].getBoundingClientRect(), c = document.getElementById('chart').getBoundingClientRect();
      return r.width > 0 && r.left >= c.left && r.right <= c.right && r.top >= c.top && r.bottom <= c.bottom;"""
    return bool(driver.execute_script(script, element))


def set_date(driver: Any, year: int, month: int = 1) -> None:
    driver.execute_script(
        "var d = document.getElementById('date'); d.value = String(arguments[0]);"
        "d.dispatchEvent(new Event('input', {bubbles: true}));",
        year * 12 + month - 1,
    )
    fit(driver)


@pytest.fixture(scope="module")
def ice_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("html") / "ice.html"
    write_html(ice_graph.load(history=True), path)
    return path


@browser
def test_opens_offline_without_errors(driver, ice_page):
    open_page(driver, ice_page)
    assert errors(driver) == []
    drawn = driver.execute_script("return [...document.querySelectorAll('.node')].map(e => e.dataset.id)")
    assert {"dhs", "ice", "hsi", "ero", "hsi-intelligence", "detention"} <= set(drawn)
    assert driver.execute_script("return performance.getEntriesByType('resource').length") == 0


@browser
def test_search_brings_the_match_into_view(driver, ice_page):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    open_page(driver, ice_page)
    driver.execute_script("document.getElementById('zoom-out').click(); document.getElementById('zoom-out').click()")
    box = driver.find_element(By.CSS_SELECTOR, "input[type=search]")
    box.send_keys("Cyber Crimes Sec")
    time.sleep(0.3)
    box.send_keys(Keys.ENTER)
    time.sleep(0.3)
    target = node(driver, "cyber-crimes-section")
    assert target is not None and in_view(driver, target)
    assert "selected" in target.get_attribute("class")
    assert errors(driver) == []


@browser
def test_search_expands_the_ancestors(driver, tmp_path):
    path = tmp_path / "big.html"
    G = random_organization(3000, seed=1)
    H = hierarchy(G)
    deep = max(H, key=lambda n: len(nx.ancestors(H, n)))
    write_html(G, path)
    open_page(driver, path)
    assert node(driver, deep) is None  # collapsed away at first
    box = driver.find_element("css selector", "input[type=search]")
    box.send_keys(G.nodes[deep]["name"])
    time.sleep(0.4)
    box.send_keys("\n")
    time.sleep(0.3)
    target = node(driver, deep)
    assert target is not None and in_view(driver, target)
    assert errors(driver) == []


@browser
def test_search_for_a_unit_of_the_past_moves_the_date(driver, ice_page):
    open_page(driver, ice_page)
    assert node(driver, "fps") is None
    box = driver.find_element("css selector", "input[type=search]")
    box.send_keys("Federal Protective")
    time.sleep(0.3)
    box.send_keys("\n")
    time.sleep(0.3)
    fps = node(driver, "fps")
    assert fps is not None and in_view(driver, fps)
    assert driver.find_element("id", "date-label").text == "Sep 2009"  # the last month it was part of ICE
    driver.find_element("id", "date-now").click()
    box.clear()
    box.send_keys("Office of Detention")
    time.sleep(0.3)
    box.send_keys("\n")
    time.sleep(0.3)
    assert driver.find_element("id", "date-label").text == "May 2010"  # the last month of that name
    assert "Office of Detention and Removal" in node(driver, "ero").text
    assert errors(driver) == []


@browser
def test_enter_on_a_focused_box_expands_and_collapses_it(driver, ice_page):
    from selenium.webdriver.common.keys import Keys

    open_page(driver, ice_page, whole=False)  # opens collapsed below the directorates
    fit(driver)
    hsi = node(driver, "hsi")
    assert hsi.get_attribute("tabindex") == "0" and hsi.get_attribute("aria-expanded") == "false"
    assert node(driver, "hsi-intelligence") is None
    driver.execute_script("arguments[0].focus()", hsi)
    driver.switch_to.active_element.send_keys(Keys.ENTER)
    fit(driver)
    assert node(driver, "hsi").get_attribute("aria-expanded") == "true"
    assert node(driver, "hsi-intelligence") is not None
    assert driver.switch_to.active_element.get_attribute("data-id") == "hsi"  # focus stays on the box
    driver.switch_to.active_element.send_keys(Keys.ENTER)
    assert node(driver, "hsi-intelligence") is None


@browser
def test_tab_reaches_the_boxes(driver, ice_page):
    from selenium.webdriver.common.keys import Keys

    open_page(driver, ice_page)
    driver.execute_script("document.getElementById('zoom-fit').focus()")
    seen = []
    for _ in range(20):
        driver.switch_to.active_element.send_keys(Keys.TAB)
        seen.append(driver.switch_to.active_element.get_attribute("data-id"))
    assert "dhs" in seen and "ice" in seen


@browser
def test_the_date_control_shows_the_organization_of_the_time(driver, ice_page):
    open_page(driver, ice_page)
    assert driver.find_element("id", "date").get_attribute("type") == "range"
    set_date(driver, 2004)
    ero = node(driver, "ero")
    assert "Office of Detention and Removal" in ero.text and "Enforcement and Removal" not in ero.text
    assert "Office of Investigations" in node(driver, "hsi").text
    assert node(driver, "fps") is not None and node(driver, "management-and-administration") is None
    set_date(driver, 2002)
    assert node(driver, "ice") is None and node(driver, "ins") is not None
    set_date(driver, 2010, 8)
    assert "changed" in node(driver, "ero").get_attribute("class")  # renamed in June 2010: marked
    driver.find_element("id", "date-now").click()
    fit(driver)
    assert "Enforcement and Removal Operations" in node(driver, "ero").text
    assert node(driver, "fps") is None
    assert errors(driver) == []


@browser
def test_the_date_steps_to_each_change_and_a_year_at_a_time(driver, ice_page):
    """A month is under a pixel of the slider: the arrows step to the dated changes, PageUp/PageDown a year."""
    from selenium.webdriver.common.keys import Keys

    months = sorted({e.date[:7] for e in event_records(ice_graph.load(history=True)) if len(e.date) >= 7})
    label = "%s %s"
    names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    def shown() -> str:
        return str(driver.find_element("id", "date-label").text)

    def as_label(month: str) -> str:
        return label % (names[int(month[5:7]) - 1], month[:4])

    open_page(driver, ice_page)
    set_date(driver, 2004)
    after = next(m for m in months if m > "2004-01")
    driver.find_element("id", "date-next").click()
    assert shown() == as_label(after)
    driver.find_element("id", "date-prev").click()
    assert shown() == as_label(max(m for m in months if m < after))
    set_date(driver, 2004, 6)
    driver.find_element("id", "date").send_keys(Keys.PAGE_UP)
    assert shown() == "Jun 2005"
    driver.find_element("id", "date").send_keys(Keys.PAGE_DOWN, Keys.PAGE_DOWN)
    assert shown() == "Jun 2003"
    set_date(driver, 1900)  # before the range: the control holds its first month; no change lies before it
    first = shown()
    driver.find_element("id", "date-prev").click()
    assert shown() == first
    assert errors(driver) == []


@browser
def test_the_side_panel_shows_sources_with_quotes(driver, ice_page):
    open_page(driver, ice_page)
    node(driver, "hsi").click()
    panel = driver.find_element("id", "panel")
    assert panel.is_displayed()
    quotes = [q.text.strip("\u201c\u201d") for q in panel.find_elements("css selector", "blockquote.quote")]
    H = ice_graph.load(history=True)
    assert quotes == [c["quote"] for c in citations(H, "hsi")]
    assert "Office of Investigations" in panel.text and "10,000" in panel.text
    for a in panel.find_elements("css selector", "a"):
        assert a.get_attribute("href").startswith(("http://", "https://"))
        assert "noopener" in a.get_attribute("rel")


@browser
def test_the_panel_lists_the_counties_of_a_split_state(driver, ice_page):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    from ice_graph.codec import counties

    open_page(driver, ice_page)
    box = driver.find_element(By.CSS_SELECTOR, "input[type=search]")
    box.send_keys("Houston Field Office")
    time.sleep(0.3)
    box.send_keys(Keys.ENTER)
    time.sleep(0.3)
    node(driver, "ero-field-office-houston").click()
    panel = driver.find_element("id", "panel")
    texas = counties(ice_graph.load(), "ero-field-office-houston")["TX"]
    assert f"TX ({len(texas)} counties)" in panel.text
    assert ", ".join(texas) in panel.text  # Angelina, ..., Harris, ...
    assert errors(driver) == []


@browser
def test_filters_hide_programs_and_areas(driver, ice_page):
    open_page(driver, ice_page)
    assert node(driver, "detention") is not None
    driver.find_element("css selector", "#filters summary").click()
    driver.find_element("css selector", "[data-filter=mission_area]").click()
    assert node(driver, "detention") is None and node(driver, "operation-predator") is not None
    driver.find_element("css selector", "[data-filter=units]").click()  # only units that carry what is shown
    fit(driver)
    drawn = set(driver.execute_script("return [...document.querySelectorAll('.node.unit')].map(e => e.dataset.id)"))
    S = ice_graph.as_of(ice_graph.load(history=True), ice_graph.load().graph["as_of"])
    H = hierarchy(S)
    carriers = {u for u, v, a in S.edges(data=True) if a["relation"] in ("runs", "partners_with")}
    expected = {u for u in H if H.in_degree(u) == 0 or (({u} | nx.descendants(H, u)) & carriers)}
    assert drawn == expected and node(driver, "opla") is None
    assert driver.find_element("id", "legend").get_attribute("textContent")


@browser
def test_hostile_names_show_as_text(driver, tmp_path):
    path = tmp_path / "hostile.html"
    write_html(hostile_graph(), path)
    open_page(driver, path)
    assert errors(driver) == []
    assert driver.execute_script("return window.__pwned === undefined && !document.querySelector('#stage img')")
    hsi = node(driver, "hsi")
    assert driver.execute_script("return arguments[0].querySelector('.name').textContent", hsi) == HOSTILE
    node(driver, "opla").click()
    panel = driver.find_element("id", "panel")
    assert "quote </script> & <!-- end" in panel.text
    assert panel.find_elements("css selector", "a") == []  # a javascript: address is no link


@browser
def test_readable_on_a_phone(driver, ice_page):
    open_page(driver, ice_page, 390, 844, whole=False)
    width = driver.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1]
    outside = driver.execute_script(
        "var w = document.documentElement.clientWidth; return [...document.querySelectorAll('.bar *')]"
        ".filter(e => e.getBoundingClientRect().right > w + 0.5).map(e => e.id || e.className || e.tagName)"
    )
    assert outside == []  # every control of the bar within the screen
    assert driver.find_element("css selector", "input[type=search]").is_displayed()
    assert driver.find_element("id", "date").is_displayed()
    font = driver.execute_script(
        "var e = document.querySelector('.node[data-id=ice] .name'); "
        "return parseFloat(getComputedStyle(e).fontSize) * e.getBoundingClientRect().height / e.offsetHeight"
    )
    assert font >= 7.5  # the boxes open readable, not shrunk to fit the whole chart
    open_page(driver, ice_page)


@browser
def test_ten_thousand_units_paint_quickly(driver, tmp_path):
    path = tmp_path / "big.html"
    write_html(random_organization(10_000), path)
    open_page(driver, path)
    ready = int(driver.execute_script("return document.documentElement.getAttribute('data-ready')"))
    assert ready < 3000, f"{ready} ms"
    assert errors(driver) == []
    shown = driver.execute_script("return document.querySelectorAll('.node').length")
    assert 0 < shown < 400


# -- the entry points: render, export, build ------------------------------------------------


def test_render_and_export_write_the_same_page(tmp_path, capsys):
    from .test_cli import run

    code, _, _ = run(capsys, "render", "-o", str(tmp_path / "a.html"))
    assert code == 0
    code, _, _ = run(capsys, "export", "html", "-o", str(tmp_path / "b.html"))
    assert code == 0
    page = (tmp_path / "a.html").read_bytes()
    assert page == (tmp_path / "b.html").read_bytes()
    assert b'type="range"' in page  # the history's date control: the CLI passes every dated fact


def test_library_render_writes_html(tmp_path):
    assert ice_graph.render(ice_graph.load(history=True), tmp_path / "x.html") is None
    assert (tmp_path / "x.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_render_refuses_an_extension_that_contradicts_the_format(tmp_path, capsys):
    from .test_cli import run

    code, _, err = run(capsys, "render", "--format", "svg", "-o", str(tmp_path / "chart.png"))
    assert code == 2 and "ends in .png but the svg format" in err
    assert not (tmp_path / "chart.png").exists()


def test_a_spreadsheets_own_columns_are_in_the_panel_data():
    G = ice_graph.load(ROOT / "notebooks" / "example-agency" / "org-chart.csv")
    page = "".join(generate_html(G))
    assert '"x":[["staff",1200]' in page  # the spreadsheet's staff column, as a number
    assert '"x":' not in "".join(generate_html(ice_graph.load()))  # ICE's attributes all have their places
