"""Session isolation (issue 11): two browsers on one server, one training an uploaded CSV and the
other moons with other settings, playing at once, never see each other's data, network, upload or
progress (fixtures: browser_support.py; each open_page is its own browser context and session)."""

import random

from browser_support import assert_no_errors, nnpg

STATE = "document.querySelector('#nnpg-root').__nnpgState"
ROWS = 90


def three_blobs(path):
    rng = random.Random(1)
    lines = ["width,height,kind"]
    for i in range(ROWS):
        lines.append(f"{rng.gauss(i % 3, 0.2):.3f},{rng.gauss(i % 3 * 2, 0.3):.3f},kind{i % 3}")
    path.write_text("\n".join(lines) + "\n")
    return path


def scene(page) -> dict:
    return page.evaluate(f"({{dataset: {STATE}.scene.dataset, points: {STATE}.scene.points.length, "
                         f"sizes: {STATE}.scene.sizes, classes: {STATE}.scene.class_names}})")


def dataset_options(page) -> list[str]:
    page.locator(".st-key-dataset").click()
    options = page.locator("[role='option']").all_inner_texts()
    page.keyboard.press("Escape")
    return options


def play(page):
    page.locator(".st-key-play button").click()
    page.wait_for_function("window.__nnpg.playing === true", timeout=15_000)


def test_two_sessions_playing_at_once_never_see_each_other(open_page, tmp_path):
    uploader, other = open_page(), open_page("?hidden=3&lr=0.1&seed=4")
    uploader.get_by_text("Your own data (CSV)").click()
    uploader.locator("section[data-testid='stSidebar'] input[type=file]").set_input_files(
        str(three_blobs(tmp_path / "blobs.csv")))
    uploader.wait_for_function(f"{STATE}.scene && {STATE}.scene.dataset === 'blobs.csv'", timeout=60_000)
    play(uploader)
    play(other)
    for page in (uploader, other):
        page.wait_for_function("window.__nnpg.epoch >= 40", timeout=60_000)

    mine, theirs = scene(uploader), scene(other)
    assert mine == {"dataset": "blobs.csv", "points": ROWS, "sizes": [2, 8, 3], "classes": ["kind0", "kind1", "kind2"]}
    assert theirs["dataset"] == "moons" and theirs["points"] == 200 and theirs["sizes"] == [2, 3, 1]
    assert "Your data: blobs.csv" in dataset_options(uploader)
    assert not any("Your data" in option for option in dataset_options(other))
    assert "blobs.csv" not in other.locator("section[data-testid='stSidebar']").inner_text()

    # progress is each session's own: pausing one leaves the other playing, and their losses differ
    uploader.locator(".st-key-play button").click()
    uploader.wait_for_function("window.__nnpg.playing === false", timeout=15_000)
    uploader.wait_for_timeout(2000)  # the frames already on their way are shown, then nothing more
    paused_at = nnpg(uploader)["epoch"]
    running_from = nnpg(other)["epoch"]
    other.wait_for_function(f"window.__nnpg.epoch >= {running_from + 40}", timeout=60_000)
    uploader.wait_for_timeout(1000)
    assert nnpg(uploader)["epoch"] == paused_at and nnpg(uploader)["playing"] is False
    assert nnpg(other)["playing"] is True
    assert nnpg(uploader)["loss"] != nnpg(other)["loss"]

    # a new session of the other browser's kind (a reload) still has no upload
    other.reload()
    other.wait_for_function("window.__nnpg && window.__nnpg.framesPainted > 0", timeout=60_000)
    assert scene(other)["dataset"] == "moons"
    assert not any("Your data" in option for option in dataset_options(other))
    assert scene(uploader)["dataset"] == "blobs.csv"
    for page in (uploader, other):
        assert_no_errors(page)
