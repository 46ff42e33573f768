#!/usr/bin/env python3
"""quire serve in a real browser: Debian's Chromium driven by Selenium (python3-selenium and
chromium-driver). Types a phrase and finds it highlighted as one <mark>; clicks a facet and sees the
chip and the counts change; brushes years on the histogram; builds a collection, excludes a result,
refreshes it and downloads RIS; checks that a hostile document renders inert and that a cross-origin
POST is refused; checks the page at 400 px and with the keyboard. Screenshots of the main views go
to SHOTS_DIR.

usage: test_browser.py QUIRE SOURCE_DIR SHOTS_DIR
Exits 77 (skipped) when Chromium, chromedriver or Selenium is missing.
"""

import http.server
import os
import re
import shutil
import sys
import tempfile
import threading
import time
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixture import Server, make_index, request  # noqa: E402

try:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait
except ImportError:
    webdriver = None

CHROMIUM, DRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
QUIRE = SOURCE = SHOTS = None
WORK = SERVER = BROWSER = DOWNLOADS = None


def setUpModule():
    global WORK, SERVER, BROWSER, DOWNLOADS
    WORK = tempfile.TemporaryDirectory(prefix="quire-serve-browser-")
    db = make_index(QUIRE, SOURCE, WORK.name)
    SERVER = Server(QUIRE, db)
    DOWNLOADS = os.path.join(WORK.name, "downloads")
    os.makedirs(DOWNLOADS)
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", "--window-size=1280,1000",
                 "--user-data-dir=" + os.path.join(WORK.name, "profile")]:
        opts.add_argument(flag)
    opts.add_experimental_option("prefs", {"download.default_directory": DOWNLOADS,
                                           "download.prompt_for_download": False})
    BROWSER = webdriver.Chrome(service=Service(executable_path=DRIVER), options=opts)
    BROWSER.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": DOWNLOADS})
    BROWSER.set_page_load_timeout(30)


def tearDownModule():
    if BROWSER:
        BROWSER.quit()
    if SERVER:
        assert SERVER.stop() == 0
    WORK.cleanup()


def go(path):
    BROWSER.get(SERVER.base + path)


def shot(name):
    BROWSER.save_screenshot(os.path.join(SHOTS, name + ".png"))


def wait(cond, timeout=30):
    # 30 s: CI runs this beside the sanitizer build on two cores, where one page can take seconds.
    return WebDriverWait(BROWSER, timeout).until(cond)


def click_to_new_page(element):
    """Clicks ELEMENT and waits until another document has loaded in its place. A mark set on the old
    window object tells the two apart, so a click answered before the wait began (staleness_of's race)
    and a slow answer (the sanitizer build) both end the wait correctly."""
    BROWSER.execute_script("window.__quire_old_page = true;")
    element.click()
    wait(lambda d: d.execute_script(
        "return window.__quire_old_page !== true && document.readyState === 'complete';"))


def count_text():
    return BROWSER.find_element(By.CSS_SELECTOR, ".bar .count").text


class Search(unittest.TestCase):
    def test_a_typed_phrase_is_highlighted_as_one_span_in_the_first_passage(self):
        go("/")
        box = BROWSER.find_element(By.ID, "q")
        box.send_keys('"strategic cooperative partnership"')
        box.send_keys(Keys.ENTER)
        wait(EC.presence_of_element_located((By.CSS_SELECTOR, "ol.results li.result")))
        first = BROWSER.find_element(By.CSS_SELECTOR, "ol.results li.result blockquote.passage")
        marks = [m.text for m in first.find_elements(By.TAG_NAME, "mark")]
        self.assertTrue(marks, first.text)
        self.assertEqual(marks[0].lower(), "strategic cooperative partnership")
        # The citation is there with a copy button the script revealed.
        button = BROWSER.find_element(By.CSS_SELECTOR, "li.result button.copy")
        self.assertTrue(button.is_displayed())
        shot("search-results")

    def test_the_all_weather_quick_start_page(self):
        go("/?q=%22all-weather%22")
        marks = BROWSER.find_elements(By.CSS_SELECTOR, "li.result blockquote mark")
        self.assertEqual(marks[0].text.lower(), "all-weather")
        facets = BROWSER.find_elements(By.CSS_SELECTOR, "aside.facets section.facet h3")
        self.assertEqual([f.text for f in facets],
                         ["Actors named", "Themes", "Published", "Years mentioned", "Speakers", "Publisher",
                          "Actor pairs", "By"])

    def test_a_facet_click_adds_a_chip_and_changes_the_counts(self):
        go("/?q=pakistan")
        before = count_text()
        self.assertFalse(BROWSER.find_elements(By.CSS_SELECTOR, ".chips .chip"))
        # The actor with the fewest documents, so the count must fall.
        links = BROWSER.find_elements(By.CSS_SELECTOR, "section.facet[data-facet=actor] li a")
        counts = [int(a.find_element(By.CSS_SELECTOR, ".count").text) for a in links]
        target = links[counts.index(min(counts))]
        label = target.find_element(By.CSS_SELECTOR, ".label").text
        target.click()
        wait(EC.presence_of_element_located((By.CSS_SELECTOR, ".chips .chip")))
        chip = BROWSER.find_element(By.CSS_SELECTOR, ".chips .chip")
        self.assertIn(label, chip.text)
        self.assertNotEqual(count_text(), before)
        self.assertTrue(count_text().startswith(str(min(counts)) + " document"), count_text())
        shot("facet-chip")
        click_to_new_page(chip)  # removing the chip restores the search
        wait(lambda d: not d.find_elements(By.CSS_SELECTOR, ".chips .chip"))
        self.assertEqual(count_text(), before)

    def test_brushing_years_filters_a_range(self):
        go("/?q=china")
        hist = BROWSER.find_element(By.CSS_SELECTOR, "svg.hist")
        lo, hi = int(hist.get_attribute("data-min")), int(hist.get_attribute("data-max"))
        self.assertLess(lo, hi)
        w = hist.size["width"]
        actions = webdriver.ActionChains(BROWSER)
        actions.move_to_element_with_offset(hist, int(-w / 2) + 2, 0).click_and_hold()
        actions.move_by_offset(int(w) - 4, 0).release().perform()
        wait(EC.presence_of_element_located((By.CSS_SELECTOR, ".chips .chip")))
        query = urllib.parse.parse_qs(urllib.parse.urlparse(BROWSER.current_url).query)
        self.assertEqual(query["published"], ["%d..%d" % (lo, hi)])

    def test_passages_mode_and_sorting(self):
        go("/?q=china")
        BROWSER.find_element(By.LINK_TEXT, "passages").click()
        wait(EC.url_contains("passages=1"))
        self.assertIn("passage", count_text())
        BROWSER.find_element(By.LINK_TEXT, "newest").click()
        wait(EC.url_contains("sort=newest"))
        dates = [m.text.split(" \u00b7 ")[0] for m in BROWSER.find_elements(By.CSS_SELECTOR, "li.result p.meta")]
        years = [d for d in dates if re.fullmatch(r"\d{4}(-\d\d){0,2}", d)]
        self.assertEqual(years, sorted(years, reverse=True))

    def test_the_document_view(self):
        go("/?q=%22all-weather%22")
        BROWSER.find_element(By.CSS_SELECTOR, "li.result h2 a").click()
        wait(EC.presence_of_element_located((By.CSS_SELECTOR, "main.document")))
        self.assertGreater(len(BROWSER.find_elements(By.CSS_SELECTOR, "section.text blockquote")), 5)
        self.assertTrue(BROWSER.find_elements(By.CSS_SELECTOR, "section.text mark"))
        self.assertTrue(BROWSER.find_elements(By.CSS_SELECTOR, "section.tags li"))
        shot("document")

    def test_keyboard_and_a_narrow_window(self):
        go("/?q=china")
        BROWSER.find_element(By.TAG_NAME, "body").send_keys("/")
        self.assertEqual(BROWSER.switch_to.active_element.get_attribute("id"), "q")
        # Every control can be reached with Tab and shows where the focus is.
        go("/?q=china")
        seen = set()
        for _ in range(25):
            webdriver.ActionChains(BROWSER).send_keys(Keys.TAB).perform()
            el = BROWSER.switch_to.active_element
            seen.add(el.tag_name)
            outline = el.value_of_css_property("outline-style")
            self.assertNotEqual(outline, "none", el.get_attribute("outerHTML")[:120])
        self.assertTrue({"a", "input", "button"} <= seen, seen)
        # Labels for every input.
        for inp in BROWSER.find_elements(By.CSS_SELECTOR, "input:not([type=hidden]), select"):
            self.assertTrue(BROWSER.find_elements(By.CSS_SELECTOR, "label[for='%s']" % inp.get_attribute("id")))
        # Headless Chromium keeps windows at least 500 px wide: emulate a 400 px screen instead.
        BROWSER.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                {"width": 400, "height": 900, "deviceScaleFactor": 1, "mobile": False})
        try:
            for path in ["/?q=china", "/doc/hostile-doc", "/?q=%22all-weather%22&passages=1"]:
                with self.subTest(path=path):
                    go(path)
                    self.assertEqual(BROWSER.execute_script("return window.innerWidth"), 400)
                    width = BROWSER.execute_script("return document.documentElement.scrollWidth")
                    self.assertLessEqual(width, 400)
            go("/?q=china")
            shot("narrow-400px")
        finally:
            BROWSER.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


class Collections(unittest.TestCase):
    def test_build_exclude_refresh_and_download_ris(self):
        go("/?q=china")
        total = int(count_text().split()[0])
        BROWSER.find_element(By.ID, "cname").send_keys("browser-set")
        BROWSER.find_element(By.CSS_SELECTOR, "form.new-collection button").click()
        wait(EC.presence_of_element_located((By.CSS_SELECTOR, ".collection-bar")))
        self.assertIn("c=browser-set", BROWSER.current_url)
        first = BROWSER.find_element(By.CSS_SELECTOR, "li.result")
        excluded = first.get_attribute("data-id")
        first.find_element(By.CSS_SELECTOR, "form.collect button.exclude").click()
        wait(EC.presence_of_element_located(
            (By.CSS_SELECTOR, "li.result[data-id='%s'] form.collect button.add" % excluded)))
        shot("collecting")
        link = BROWSER.find_element(By.CSS_SELECTOR, ".collection-bar a")
        click_to_new_page(link)
        wait(EC.presence_of_element_located((By.ID, "refresh")))
        ids = [li.get_attribute("data-id") for li in BROWSER.find_elements(By.CSS_SELECTOR, "ol.cdocs li")]
        self.assertEqual(len(ids), total - 1)
        self.assertNotIn(excluded, ids)
        button = BROWSER.find_element(By.ID, "refresh")
        click_to_new_page(button)  # the page before had a refresh section too (the one at creation)
        wait(EC.presence_of_element_located((By.CSS_SELECTOR, "section.refresh")))
        refresh = BROWSER.find_element(By.CSS_SELECTOR, "section.refresh").text
        self.assertRegex(refresh, r"%d matched, 0 new, 0 gone" % total)
        shot("collection")
        BROWSER.find_element(By.LINK_TEXT, "ris").click()
        path = os.path.join(DOWNLOADS, "browser-set.ris")
        deadline = time.time() + 15
        while time.time() < deadline and not os.path.exists(path):
            time.sleep(0.1)
        with open(path, encoding="utf-8") as f:
            ris = f.read()
        records = [r for r in ris.split("ER  -") if r.strip()]
        self.assertEqual(len(records), total - 1)
        got = sorted(re.findall(r"^ID  - (.+)$", ris, re.M))
        self.assertEqual(got, sorted(ids))
        for r in records:
            self.assertRegex(r.strip(), r"^TY  - ")


class Hostile(unittest.TestCase):
    def test_a_hostile_document_renders_inert(self):
        for path in ["/?q=zanzibarite", "/?q=zanzibarite&passages=1", "/doc/hostile-doc?q=zanzibarite"]:
            with self.subTest(path=path):
                go(path)
                self.assertIsNone(BROWSER.execute_script("return window.__pwned"))
                scripts = [s.get_attribute("src") for s in BROWSER.find_elements(By.TAG_NAME, "script")]
                self.assertEqual(scripts, [SERVER.base + "/static/app.js"])
                self.assertFalse(BROWSER.find_elements(By.CSS_SELECTOR, "main img, main b, main i, main svg[onload]"))
                self.assertIn("<script>window.__pwned", BROWSER.find_element(By.TAG_NAME, "main").text)
                for a in BROWSER.find_elements(By.CSS_SELECTOR, "a[href]"):
                    self.assertFalse((a.get_dom_attribute("href") or "").strip().lower().startswith("javascript"))
                for el in BROWSER.find_elements(By.CSS_SELECTOR, "main *"):
                    self.assertFalse(any(el.get_attribute(a) for a in ("onerror", "onload", "onmouseover")))
        go("/doc/hostile-doc?q=zanzibarite")
        shot("hostile-document")


class CrossOrigin(unittest.TestCase):
    def test_a_cross_origin_post_is_refused(self):
        # The attacker's page, on another origin, knows the token (the worst case) and posts a form.
        token = request(SERVER.base, "/api/token")[2].decode().split('"csrf":"')[1].split('"')[0]
        request(SERVER.base, "/api/collections", method="POST",
                body=b'{"name": "target", "q": "china"}',
                headers={"Content-Type": "application/json", "X-CSRF-Token": token})
        page = ("<!DOCTYPE html><form id=f method=post action='%s/collections/target/delete'>"
                "<input name=csrf value='%s'></form>"
                "<script>if (location.hash === '#go') document.getElementById('f').submit()</script>"
                % (SERVER.base, token)).encode()

        class Evil(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.end_headers()
                self.wfile.write(page)

            def log_message(self, *args):
                pass

        evil = http.server.HTTPServer(("127.0.0.1", 0), Evil)
        threading.Thread(target=evil.serve_forever, daemon=True).start()
        try:
            BROWSER.get("http://localhost:%d/#go" % evil.server_port)
            wait(EC.url_contains("/collections/target/delete"))
            time.sleep(0.3)
            self.assertIn("cross-origin request refused", BROWSER.find_element(By.TAG_NAME, "body").text)
            # And fetch() from that origin cannot read an answer or change anything.
            BROWSER.get("http://localhost:%d/" % evil.server_port)
            result = BROWSER.execute_async_script(
                "const done = arguments[arguments.length - 1];"
                "fetch('%s/api/collections/target', {method: 'POST', headers: {'Content-Type': 'application/json',"
                "'X-CSRF-Token': '%s'}, body: JSON.stringify({action: 'delete'})})"
                ".then(r => done('read ' + r.status), e => done('blocked'))" % (SERVER.base, token))
            self.assertEqual(result, "blocked")
        finally:
            evil.shutdown()
        self.assertEqual(request(SERVER.base, "/api/collections/target")[0], 200)


if __name__ == "__main__":
    QUIRE, SOURCE, SHOTS = sys.argv[1], sys.argv[2], sys.argv[3]
    missing = [p for p in (CHROMIUM, DRIVER) if not os.path.exists(p)]
    if webdriver is None or missing:
        print("skipped: needs python3-selenium, chromium and chromium-driver", missing)
        sys.exit(77)
    shutil.rmtree(SHOTS, ignore_errors=True)
    os.makedirs(SHOTS)
    unittest.main(argv=[sys.argv[0], "-v"])
