"""Your own data in Chromium (issues 7 and 11): an uploaded CSV whose header and labels hold HTML,
a script and a Markdown link is shown literally everywhere (the preview, the class counts, the
legend, the tooltip, the axes' menus) and runs nothing; clicks on the plane add and remove points
while the network trains on (fixtures: browser_support.py)."""

import random

from browser_support import assert_no_errors, nnpg

IMG = "<img src=x onerror=window.__pwned=1;alert(1)>"
SCRIPT = "<script>window.__pwned=2;alert(2)</script>"
LINK = "[x](http://e.com)"
LABELS = ("<img src=y onerror=window.__pwned=3;alert(3)>", SCRIPT, LINK)
STATE = "document.querySelector('#nnpg-root').__nnpgState"
TABLES = ("[...document.querySelectorAll(\"section[data-testid='stSidebar'] [data-testid='stDataFrame']\")]"
          ".map(e => e.textContent).join(' ')")


def hostile_csv(path):
    rng = random.Random(0)
    rows = [f"{IMG},{LINK},{SCRIPT}"]
    for i in range(90):
        rows.append(f"{rng.random() + i % 3:.3f},{rng.random():.3f},{LABELS[i % 3]}")
    path.write_text("\n".join(rows) + "\n")
    return path


def upload(page, path):
    page.get_by_text("Your own data (CSV)").click()
    page.locator("section[data-testid='stSidebar'] input[type=file]").set_input_files(str(path))
    page.wait_for_function(f"{STATE}.scene && {STATE}.scene.dataset === {path.name!r}", timeout=30_000)


def test_hostile_names_are_shown_literally_and_run_nothing(open_page, tmp_path):
    page = open_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    upload(page, hostile_csv(tmp_path / "hostile.csv"))
    page.wait_for_timeout(1500)
    legend = page.locator(".nnpg-legend").inner_text()
    for name in LABELS:
        assert name in legend, legend
    wanted = " && ".join(f"t.includes({text!r})" for text in (IMG, *LABELS))
    page.wait_for_function(f"(t => {wanted})({TABLES})", timeout=15_000)  # dataframes draw late, one by one
    tables = page.evaluate(TABLES)
    assert IMG in tables  # the preview's header
    assert all(name in tables for name in LABELS)  # the class counts
    axes = page.locator("section[data-testid='stSidebar']").inner_html()
    assert "&lt;img src=x onerror" in axes and "<img src=\"x\"" not in axes  # the axes' menus: escaped text
    box = page.locator("#nnpg-boundary").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_timeout(300)
    tip = page.locator("#nnpg-root").inner_text()
    assert IMG in tip and LINK in tip  # the tooltip names the feature axes as text
    assert page.evaluate("window.__pwned") is None and not dialogs
    assert page.locator("img[src='x'], img[src='y']").count() == 0
    assert page.locator("a[href='http://e.com']").count() == 0
    assert nnpg(page)["mounts"] == 1
    assert_no_errors(page)


def test_a_bad_file_shows_its_message_literally_and_keeps_the_data(open_page, tmp_path):
    page = open_page()
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b,label\n" + "1,2,x\n3,4,y\n" * 3 + f"{LINK},4,y\n" + "5,6,x\n" * 12)  # beyond the preview
    page.get_by_text("Your own data (CSV)").click()
    page.locator("section[data-testid='stSidebar'] input[type=file]").set_input_files(str(bad))
    message = page.locator("section[data-testid='stSidebar'] [data-testid='stAlert']")
    message.wait_for(timeout=30_000)
    shown = message.inner_text().replace("\u2060", "")  # plain.literal's invisible joiners
    assert f"non-numeric value '{LINK}' in column 'a' on line 8" in shown and "still loaded" in shown
    assert page.locator("a[href='http://e.com']").count() == 0
    assert page.evaluate(f"{STATE}.scene.dataset") == "moons"
    assert_no_errors(page)


def points_shown(page) -> int:
    return page.evaluate(f"{STATE}.scene.points.length")


def click(page, u, v, modifiers=()):
    box = page.locator("#nnpg-boundary").bounding_box()
    before = page.evaluate(f"{STATE}.scene.edits")
    page.locator("#nnpg-boundary").click(position={"x": u * box["width"], "y": (1 - v) * box["height"]},
                                         modifiers=list(modifiers))
    page.wait_for_function(f"{STATE}.scene.edits > {before}", timeout=15_000)


def test_draw_a_dataset_on_a_blank_plane_and_train_it(open_page):
    page = open_page("?dataset=blank")
    assert points_shown(page) == 0
    for u, v in [(0.2, 0.2), (0.3, 0.25), (0.25, 0.3)]:
        click(page, u, v)  # the selected class: the first
    page.locator(".nnpg-class").nth(1).click()  # select the second class in the legend
    for u, v in [(0.8, 0.75), (0.7, 0.8)]:
        click(page, u, v)
    click(page, 0.75, 0.7, ["Shift"])  # shift: the other class (the first)
    labels = page.evaluate(f"{STATE}.scene.points.map(p => p.c)")
    assert labels == [0, 0, 0, 1, 1, 0]
    click(page, 0.75, 0.7, ["Alt"])  # removes the nearest: the one just added
    assert page.evaluate(f"{STATE}.scene.points.map(p => p.c)") == [0, 0, 0, 1, 1]
    page.locator(".st-key-play button").click()
    page.wait_for_function("window.__nnpg.epoch >= 100", timeout=30_000)
    assert page.evaluate("window.__nnpg.loss") < 0.3
    assert_no_errors(page)


def test_clicks_on_moons_keep_the_network_training(open_page):
    page = open_page()
    n = points_shown(page)
    page.locator(".st-key-play button").click()
    page.wait_for_function("window.__nnpg.epoch >= 30", timeout=30_000)
    run = nnpg(page)["run"]
    click(page, 0.5, 0.5)
    click(page, 0.1, 0.9, ["Shift"])
    assert points_shown(page) == n + 2
    epoch = nnpg(page)["epoch"]
    page.wait_for_function(f"window.__nnpg.epoch >= {epoch + 30}", timeout=30_000)
    assert nnpg(page)["run"] == run  # the same network: no new run, the epochs go on
    assert_no_errors(page)
