"""``khplan serve`` in real headless Chromium (Debian's ``chromium`` and ``chromium-driver``, driven by
Selenium, which is pointed at both so that it never downloads a browser): search, a plan with a highlighted
target and a wrong cell's tooltip, a PDF page with a finding's box, an upload archived. Each step is asserted
on the page's DOM, and its screenshot is saved under ``out/web/``."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import CASES, ROOT, SEEDS

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
SHOTS = ROOT / "out" / "web"
SEED_000 = SEEDS / "000_18cf555f364dcc13.txt"  # xã Cao Nhân: "tỉ lệ hộ cận nghèo xuống còn 1,4%"
SEED_001_PDF = SEEDS / "001_1747db98b33217c6.pdf"  # xã Sơn Tây: the per-unit table on page 2, Nam Nhe 1,56 %
UPLOAD = CASES / "amounts-chi-phi-thuong-quang.txt"

# Slow, and run in CI all the same: scripts/setup.sh installs Debian's chromium and chromium-driver, so a
# missing browser is a failure here, never a skip.
pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``khplan serve`` on a free port over an archive of seed 000 (text) and seed 001 (PDF, file kept)."""
    from extractor import extract_document
    from extractor.archive import Archive
    from tests.archive_fixtures import store_doc

    db = tmp_path_factory.mktemp("browser") / "plans.khplan"
    with Archive.open(db) as archive:
        store_doc(archive, extract_document(SEED_000))
        store_doc(archive, extract_document(SEED_001_PDF), source_file=SEED_001_PDF)
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "extractor.cli", "serve", "--db", str(db), "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(url + "/", timeout=2).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise AssertionError(
                    f"khplan serve did not start: {process.stderr.read().decode()}"
                ) from None
            time.sleep(0.2)
    try:
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    missing = [str(path) for path in (CHROMIUM, CHROMEDRIVER) if not path.exists()]
    assert not missing, (
        f"{', '.join(missing)} missing: bash scripts/setup.sh installs chromium, chromium-driver"
    )
    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager must never fetch a driver or a browser
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    SHOTS.mkdir(parents=True, exist_ok=True)
    try:
        yield driver
    finally:
        driver.quit()


def test_an_auditor_searches_reads_a_plan_and_uploads(server: str, browser: object) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as shown
    from selenium.webdriver.support.ui import WebDriverWait

    driver = browser
    wait = WebDriverWait(driver, 30)

    # 1. Search "ho ngheo" (no diacritics): results with "hộ nghèo" marked.
    driver.get(server + "/")
    box = driver.find_element(By.NAME, "q")
    box.send_keys("ho ngheo")
    box.submit()
    wait.until(shown.presence_of_element_located((By.CSS_SELECTOR, "ol.hits li.hit mark")))
    marks = driver.find_elements(By.CSS_SELECTOR, "ol.hits li.hit mark")
    assert marks and marks[0].text.lower() == "hộ nghèo"
    driver.save_screenshot(str(SHOTS / "01-search-ho-ngheo.png"))

    # 2. Open the first target hit of xã Cao Nhân: the plan's page, the target highlighted.
    link = driver.find_element(
        By.XPATH, "//li[contains(@class, 'kind-target')]//a[@class='doc' and contains(., 'Cao Nhân')]"
    )
    link.click()
    target = wait.until(shown.presence_of_element_located((By.CSS_SELECTOR, ".plan-text mark.k-target")))
    assert "nghèo" in target.text and target.get_attribute("title").startswith("Chỉ tiêu")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", target)
    driver.save_screenshot(str(SHOTS / "02-plan-highlighted-target.png"))

    # 3. Seed 001's PDF: the wrong cell of Nam Nhe (2 of 121 households is 1,65 %, not 1,56) and its tooltip.
    driver.get(server + "/documents")
    driver.find_element(By.XPATH, "//tr[td[contains(., 'Sơn Tây')]]//a").click()
    cell = wait.until(shown.presence_of_element_located((By.CSS_SELECTOR, "td#cell-t1-r5-4.wrong")))
    assert cell.text == "1,56"
    assert "ghi 1,56; đúng 1,65" in cell.get_attribute("title")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", cell)
    driver.save_screenshot(str(SHOTS / "03-table-wrong-cell.png"))

    # 4. Its page 2: the image with the boxes of the table's findings.
    driver.find_element(By.CSS_SELECTOR, "a[href$='/pages/2#box-f1']").click()
    rect = wait.until(
        shown.presence_of_element_located((By.CSS_SELECTOR, "svg.boxes rect#box-f1.finding-box"))
    )
    image = driver.find_element(By.CSS_SELECTOR, ".page-view img")
    wait.until(lambda _: driver.execute_script("return arguments[0].naturalWidth", image) > 0)
    assert rect.size["width"] > 0 and rect.size["height"] > 0
    # The box is drawn where the cell is: its PDF coordinates over the page's size, scaled to the image shown.
    svg = driver.find_element(By.CSS_SELECTOR, "svg.boxes")
    _, _, width_pt, height_pt = (float(v) for v in svg.get_dom_attribute("viewBox").split())
    page, drawn = image.rect, rect.rect
    left = page["x"] + float(rect.get_attribute("x")) / width_pt * page["width"]
    top = page["y"] + float(rect.get_attribute("y")) / height_pt * page["height"]
    assert abs(drawn["x"] - left) < 3 and abs(drawn["y"] - top) < 3
    assert page["x"] < drawn["x"] < page["x"] + page["width"] / 2  # Nam Nhe's % column, left of the middle
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", rect)
    driver.save_screenshot(str(SHOTS / "04-pdf-page-finding-box.png"))

    # 5. Upload a plan: the job page refreshes itself until the file is archived.
    driver.get(server + "/upload")
    driver.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(str(UPLOAD))
    driver.find_element(By.CSS_SELECTOR, "form.upload button[type=submit]").click()
    stored = WebDriverWait(driver, 120).until(
        shown.presence_of_element_located((By.CSS_SELECTOR, "tr.outcome-stored td a"))
    )
    assert stored.text == "đã lưu vào kho"
    assert driver.find_element(By.CSS_SELECTOR, "#job-state").get_attribute("data-state") == "done"
    assert driver.find_element(By.CSS_SELECTOR, "#job-files td").text == UPLOAD.name
    driver.save_screenshot(str(SHOTS / "05-upload-archived.png"))
    stored.click()
    wait.until(shown.presence_of_element_located((By.CSS_SELECTOR, "#metadata")))
    assert "Thượng Quảng" in driver.find_element(By.CSS_SELECTOR, "#metadata").text
