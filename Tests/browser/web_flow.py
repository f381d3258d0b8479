#!/usr/bin/env python3
"""Browser test of Sijill's server-rendered web pages (clerk and citizen flows).

Usage: Tests/browser/web_flow.py [--artifacts DIR] [--keep]

Ingests Fixtures/boxes/box-folder into a temporary home, creates a clerk token and
an access code, starts `sijill serve` on a free port and drives headless Chromium
(system /usr/bin/chromium, via Playwright) through sign-in, search, a record page,
query escaping and the citizen access-code flow. Prints `ok   ...` / `FAIL ...` per
check; exits 1 if any check failed. Screenshots go to --artifacts (default
.build/browser-artifacts). --keep keeps the temporary home. The binary is $SIJILL,
else .build/debug/sijill.
"""
import argparse, json, os, shutil, subprocess, sys, tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "Tests/support"))
from sijill_process import ServeProcess, sijill  # noqa: E402
CHROMIUM = "/usr/bin/chromium"
failures = []


def check(ok, message):
    print(("ok   " if ok else "FAIL ") + message, flush=True)
    if not ok:
        failures.append(message)
    return ok


def ensure_tools():
    """Playwright from PyPI (Debian's python may lack pip or refuse user installs) and Debian's
    chromium with an Arabic font, only when missing."""
    def apt(*packages):
        sudo = [] if os.geteuid() == 0 else ["sudo"]
        subprocess.run(sudo + ["apt-get", "update", "-qq"], check=True)
        subprocess.run(sudo + ["apt-get", "install", "-y", "-qq", *packages], check=True,
                       env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
    try:
        import playwright  # noqa: F401
    except ImportError:
        if subprocess.run([sys.executable, "-m", "pip", "--version"], capture_output=True).returncode != 0:
            apt("python3-pip")
        pip = [sys.executable, "-m", "pip", "install", "--quiet", "playwright"]
        if subprocess.run(pip).returncode != 0:
            subprocess.run(pip + ["--break-system-packages"], check=True)
    if not os.path.exists(CHROMIUM) or not os.path.exists("/usr/share/fonts/opentype/fonts-hosny-amiri"):
        apt("chromium", "fonts-hosny-amiri")


def prepare(home):
    """Ingest the fixture box; return the token, two records, the access code and a query."""
    sijill(home, "ingest", str(ROOT / "Fixtures/boxes/box-folder"), ok=(0, 3))
    token = json.loads(sijill(home, "token", "create", "--role", "clerk", "--name", "browser", "--json"))["token"]
    results = json.loads(sijill(home, "search", "طلب", "--json", "--limit", "10"))["results"]
    ids = list(dict.fromkeys(r["record"] for r in results))
    if len(ids) < 2:
        raise RuntimeError(f"search for طلب found {len(ids)} records; need 2")
    mine, other = ids[0], ids[1]
    other_image = next(r for r in results if r["record"] == other)["pages"][0]["page_id"]
    code = json.loads(sijill(home, "access", "grant", mine, "--expires", "1d", "--json"))["code"]
    archivist = json.loads(sijill(home, "token", "create", "--role", "archivist", "--name", "upload", "--json"))["token"]
    expected = json.loads((ROOT / "Fixtures/expected.json").read_text())
    name = expected["boxes"]["box-folder"]["records"][0]["name_plain"]
    return dict(token=token, mine=mine, other=other, other_image=other_image, code=code, name=name, archivist=archivist)


def image_loaded(page, selector="section.page-view img"):
    img = page.locator(selector).first
    img.scroll_into_view_if_needed()  # images are loading="lazy"
    page.wait_for_function("i => i.complete", arg=img.element_handle(), timeout=10000)
    return img.evaluate("i => i.naturalWidth") > 0


def submit(page, action):
    """Run `action` (a click or a key press) and wait for the page it navigates to."""
    with page.expect_navigation():
        action()


def unlabelled_inputs(page):
    return page.evaluate("""() => [...document.querySelectorAll('input')]
        .filter(i => i.type !== 'hidden' && i.offsetParent !== null)
        .filter(i => !i.id || !document.querySelector(`label[for="${CSS.escape(i.id)}"]`))
        .map(i => i.outerHTML)""")


def clerk_flow(browser, base, data, out):
    page = browser.new_context(base_url=base).new_page()
    page.goto("/login")
    check(page.locator("html[lang=ar][dir=rtl]").count() == 1, "login: <html lang=ar dir=rtl>")
    bad = unlabelled_inputs(page)
    check(not bad, f"login: every visible input has <label for>{' ' + str(bad) if bad else ''}")
    page.fill("#token", "sjt_wrong")
    submit(page, lambda: page.click("form[action='/login'] button[type=submit]"))
    check(page.locator("p.error[role=alert]").is_visible(), "login: wrong token shows p.error[role=alert]")
    page.focus("#token")
    page.keyboard.type(data["token"])
    submit(page, lambda: page.keyboard.press("Enter"))
    check(page.url.split("?")[0].endswith("/search"), f"login: real token via keyboard lands on /search ({page.url})")

    page.fill("#q", data["name"])
    submit(page, lambda: page.click("form[role=search] button[type=submit]"))
    bad = unlabelled_inputs(page)
    check(not bad, f"search: every visible input has <label for>{' ' + str(bad) if bad else ''}")
    results = page.locator("ol.results li.result").count()
    check(results >= 1, f"search: {data['name']} gives >= 1 result ({results})")
    check(page.locator("ol.results mark").count() >= 1, "search: snippets contain <mark>")
    check(page.input_value("#q") == data["name"], "search: the query box keeps the words as typed (spaces, not +)")
    page.screenshot(path=str(out / "search.png"), full_page=True)
    phone = browser.new_context(base_url=base, viewport={"width": 390, "height": 844})
    phone.add_cookies(page.context.cookies())
    phone_page = phone.new_page()
    phone_page.goto(page.url)
    phone_page.screenshot(path=str(out / "search-phone.png"), full_page=True)
    phone.close()

    if results:
        submit(page, lambda: page.locator("ol.results li.result h3 a").first.click())
        check("/records/" in page.url, f"search: first result opens a record page ({page.url})")
        check(page.locator("section.page-view").count() >= 1, "record: has section.page-view")
        check(image_loaded(page), "record: first page image loaded (naturalWidth > 0)")
        text = page.locator("section.page-view div.text pre").first.inner_text().strip()
        check(bool(text), "record: first <pre> has OCR text")
        page.screenshot(path=str(out / "record.png"), full_page=True)

    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    attack = "<script>alert(1)</script>"
    page.goto("/search")
    page.fill("#q", attack)
    submit(page, lambda: page.click("form[role=search] button[type=submit]"))
    page.wait_for_timeout(300)
    check(not dialogs, f"escaping: no script ran for {attack} (dialogs: {dialogs})")
    check(page.input_value("#q") == attack, "escaping: query box shows the raw text")
    check(page.locator("main script").count() == 0, "escaping: no <script> element in the page body")
    page.context.close()


def citizen_flow(browser, base, data, out):
    page = browser.new_context(base_url=base).new_page()
    page.goto("/access")
    check(page.locator("html[lang=ar][dir=rtl]").count() == 1, "access: <html lang=ar dir=rtl>")
    bad = unlabelled_inputs(page)
    check(not bad, f"access: every visible input has <label for>{' ' + str(bad) if bad else ''}")
    page.fill("#code", "AAAAA-BBBBB-CCCCC-DDDDD-EEEEE")
    submit(page, lambda: page.click("form[action='/access'] button[type=submit]"))
    check(page.locator("p.error").is_visible(), "access: wrong code shows p.error")
    page.fill("#code", data["code"].lower().replace("-", " "))
    submit(page, lambda: page.click("form[action='/access'] button[type=submit]"))
    check(page.url.endswith("/access/record"), f"access: real code (lower case, spaces) lands on /access/record ({page.url})")
    check(data["mine"] in page.locator("dl.fields").inner_text(), "access: record page shows the granted record id")
    if page.locator("section.page-view img").count():
        check(image_loaded(page), "access: page image loaded (naturalWidth > 0)")
        check(bool(page.locator("section.page-view pre").first.inner_text().strip()), "access: page text shown")
    else:
        check(False, "access: record page has section.page-view img")
    page.screenshot(path=str(out / "citizen.png"), full_page=True)

    page.goto(f"/records/{data['other']}")
    check(page.url.split("?")[0].endswith("/login"), f"citizen: /records/OTHER ends on /login ({page.url})")
    page.goto("/search?q=x")
    check(page.url.split("?")[0].endswith("/login"), f"citizen: /search ends on /login ({page.url})")
    response = page.request.get(f"/v1/objects/{data['other_image']}")
    check(response.status == 404, f"citizen: GET /v1/objects/OTHER_IMAGE is 404 ({response.status})")
    page.context.close()


def archivist_flow(browser, base, data, out):
    """Upload a box in the browser (no script), watch the page refresh until the report shows,
    rejected entries first."""
    page = browser.new_context(base_url=base).new_page()
    page.goto("/login")
    page.fill("#token", data["archivist"])
    submit(page, lambda: page.click("form[action='/login'] button[type=submit]"))
    page.goto("/boxes")
    check(page.locator("a[href='/boxes']").count() >= 1, "boxes: the navigation links the upload page")
    bad = unlabelled_inputs(page)
    check(not bad, f"boxes: every visible input has <label for>{' ' + str(bad) if bad else ''}")
    page.set_input_files("#box", str(ROOT / "Fixtures/layouts/misplaced.zip"))
    submit(page, lambda: page.click("form[action='/boxes'] button[type=submit]"))
    check("/boxes/" in page.url, f"boxes: the upload opens its job page ({page.url})")
    for _ in range(60):  # the page refreshes itself every 5 s while the box is read
        if page.locator("table.report").count():
            break
        page.wait_for_timeout(1000)
        page.reload()
    check(page.locator("table.report").count() >= 2, "boxes: the report is shown when the box is done")
    first = page.locator("table.report").first.inner_text()
    check("missing-file" in first and "scans/page.png" in first,
          "boxes: rejected entries come first, with the did-you-mean hint")
    page.screenshot(path=str(out / "box-report.png"), full_page=True)
    page.goto("/boxes")
    check(page.locator("table.jobs tr.job-failed").count() == 1, "boxes: the list shows the box with rejections as failed")
    page.screenshot(path=str(out / "boxes.png"), full_page=True)
    page.context.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--artifacts", default=str(ROOT / ".build/browser-artifacts"))
    parser.add_argument("--keep", action="store_true", help="keep the temporary home")
    args = parser.parse_args()
    out = Path(args.artifacts)
    out.mkdir(parents=True, exist_ok=True)
    ensure_tools()
    from playwright.sync_api import sync_playwright

    home = tempfile.mkdtemp(prefix="sijill-browser-")
    server = None
    try:
        data = prepare(home)
        server = ServeProcess(home, out / "server.log")
        base = server.base
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=[
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            for flow in (clerk_flow, citizen_flow, archivist_flow):
                try:
                    flow(browser, base, data, out)
                except Exception as error:  # a broken step fails the flow, not the whole run
                    check(False, f"{flow.__name__}: {type(error).__name__}: {error}")
            browser.close()
    except Exception as error:
        check(False, f"setup: {type(error).__name__}: {error}")
    finally:
        if server:
            server.stop()
        if args.keep:
            print(f"home kept at {home}")
        else:
            shutil.rmtree(home, ignore_errors=True)
    print(f"{'FAILED' if failures else 'PASSED'}: {len(failures)} failure(s); artifacts in {out}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
