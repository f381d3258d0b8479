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
import argparse, json, os, shutil, subprocess, sys, tempfile, time
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
        import axe_playwright_python  # noqa: F401
    except ImportError:
        if subprocess.run([sys.executable, "-m", "pip", "--version"], capture_output=True).returncode != 0:
            apt("python3-pip")
        pip = [sys.executable, "-m", "pip", "install", "--quiet", "playwright", "axe-playwright-python"]
        if subprocess.run(pip).returncode != 0:
            subprocess.run(pip + ["--break-system-packages"], check=True)
    if not os.path.exists(CHROMIUM) or not os.path.exists("/usr/share/fonts/opentype/fonts-hosny-amiri"):
        apt("chromium", "fonts-hosny-amiri")
    # The PDF find-in-page check needs a real window: a virtual display, keys and a clipboard
    # to type into it, and its screenshots (ImageMagick).
    if not all(shutil.which(t) for t in ("Xvfb", "xdotool", "xclip", "import")):
        apt("xvfb", "xdotool", "xclip", "imagemagick")


def prepare(home):
    """Ingest the fixture box; return the token, two records, the access code and a query."""
    sijill(home, "ingest", str(ROOT / "Fixtures/boxes/box-folder"), ok=(0, 3))
    sijill(home, "ingest", str(ROOT / "Fixtures/rescan/blank-page.png"), ok=(0, 3))  # flagged for re-scan
    token = json.loads(sijill(home, "token", "create", "--role", "clerk", "--name", "browser", "--json"))["token"]
    results = json.loads(sijill(home, "search", "طلب", "--json", "--limit", "10"))["results"]
    ids = list(dict.fromkeys(r["record"] for r in results))
    if len(ids) < 2:
        raise RuntimeError(f"search for طلب found {len(ids)} records; need 2")
    mine, other = ids[0], ids[1]
    other_image = next(r for r in results if r["record"] == other)["pages"][0]["page_id"]
    code = json.loads(sijill(home, "access", "grant", mine, "--expires", "1d", "--json"))["code"]
    sijill(home, "keys", "init")  # certified copies need the archive's signing key
    admin = json.loads(sijill(home, "token", "create", "--role", "admin", "--name", "admin-browser", "--json"))["token"]
    archivist = json.loads(sijill(home, "token", "create", "--role", "archivist", "--name", "upload", "--json"))["token"]
    expected = json.loads((ROOT / "Fixtures/expected.json").read_text())
    first = expected["boxes"]["box-folder"]["records"][0]
    name = first["name_plain"]
    hits = json.loads(sijill(home, "search", first["number"], "--json", "--limit", "1"))["results"]
    return dict(token=token, mine=mine, other=other, other_image=other_image, code=code, name=name, archivist=archivist, admin=admin,
                pdf_record=hits[0]["record"] if hits else None, pdf_name=first["name"], pdf_number=first["number"])


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


AXE = None
AXE_PAGES = []


def accessible(page, name):
    """axe-core (axe-playwright-python) on the page as it is now: a serious or critical
    violation fails the check; lesser ones are printed."""
    global AXE
    if AXE is None:
        from axe_playwright_python.sync_playwright import Axe
        AXE = Axe()
    violations = AXE.run(page).response.get("violations", [])
    bad = [v for v in violations if v.get("impact") in ("serious", "critical")]
    minor = [f"{v['id']} ({v.get('impact')})" for v in violations if v not in bad]
    detail = "; ".join(f"{v['id']} ({v['impact']}): {v['nodes'][0]['target'] if v.get('nodes') else ''}" for v in bad)
    AXE_PAGES.append(name)
    check(not bad, f"axe: {name}: no serious or critical violations{' — ' + detail if bad else ''}"
          f"{' (minor: ' + ', '.join(minor) + ')' if minor else ''}")


def clerk_flow(browser, base, data, out):
    page = browser.new_context(base_url=base).new_page()
    page.goto("/login")
    check(page.locator("html[lang=ar][dir=rtl]").count() == 1, "login: <html lang=ar dir=rtl>")
    bad = unlabelled_inputs(page)
    check(not bad, f"login: every visible input has <label for>{' ' + str(bad) if bad else ''}")
    accessible(page, "/login")
    page.fill("#token", "sjt_wrong")
    submit(page, lambda: page.click("form[action='/login'] button[type=submit]"))
    check(page.locator("p.error[role=alert]").is_visible(), "login: wrong token shows p.error[role=alert]")
    accessible(page, "/login (error)")
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
    meta = page.locator("ol.results p.meta").first.inner_text()
    check("السلسلة" not in meta, f"search: no empty series label on a record without one ({meta})")
    dates = page.locator("ol.results .main-date").all_inner_texts()
    check(any("هـ" in d and "تاريخ المعاملة" in d for d in dates),
          f"search: a result shows its transaction date in both calendars ({dates[:2]})")
    accessible(page, "/search (results)")
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
        accessible(page, "/records/{id}")
        check(page.locator("form[action='/copies'] input[name=record]").count() == 1,
              "record: a clerk can ask for a certified copy at the counter")
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
    accessible(page, "/access")
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
    accessible(page, "/access/record")
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
    accessible(page, "/boxes/{id}")
    first = page.locator("table.report").first.inner_text()
    check("missing-file" in first and "scans/page.png" in first,
          "boxes: rejected entries come first, with the did-you-mean hint")
    page.screenshot(path=str(out / "box-report.png"), full_page=True)
    page.goto("/boxes")
    check(page.locator("table.jobs tr.job-failed").count() == 1, "boxes: the list shows the box with rejections as failed")
    accessible(page, "/boxes")
    page.screenshot(path=str(out / "boxes.png"), full_page=True)
    page.goto("/rescan")
    check(page.locator("section.page-view img").count() >= 1 and page.locator("section.page-view pre").count() >= 1,
          "rescan: each flagged page is shown as its image beside its text")
    check("rescan-0001.png," in page.locator("main").inner_text(), "rescan: each page has its manifest row for the re-scan")
    accessible(page, "/rescan")
    page.screenshot(path=str(out / "rescan.png"), full_page=True)
    page.context.close()


def copy_flow(browser, base, data, out):
    """A citizen on a phone, keyboard only, with JavaScript off: signs in with the code, asks for
    a certified copy of page 1 for an office, watches the page until the copy is ready,
    downloads the PDF and its .p7s. Then the receiving office uploads that PDF on /verify."""
    context = browser.new_context(base_url=base, viewport={"width": 390, "height": 844}, java_script_enabled=False,
                                  accept_downloads=True)
    page = context.new_page()
    page.goto("/access")
    page.keyboard.press("Tab")  # the skip link first
    page.keyboard.press("Tab")
    for _ in range(8):  # then the brand link, the code box ...
        if page.evaluate("document.activeElement && document.activeElement.id") == "code":
            break
        page.keyboard.press("Tab")
    check(page.evaluate("document.activeElement.id") == "code", "copy: the code box is reachable with Tab")
    page.keyboard.type(data["code"])
    submit(page, lambda: page.keyboard.press("Enter"))
    check(page.url.endswith("/access/record"), f"copy: keyboard sign-in with the code ({page.url})")
    form = page.locator("form[action='/copies']")
    check(form.count() == 1, "copy: the record page has the copy request form")
    page.check("#scope-range")
    page.fill("#copy-from", "1")
    page.fill("#copy-to", "1")
    page.focus("#copy-for")
    page.keyboard.type("مديرية المالية")
    submit(page, lambda: page.keyboard.press("Enter"))
    if not check("/copies/" in page.url, f"copy: the request opens its progress page ({page.url})"):
        print(page.locator("main").inner_text()[:300])
    waiting = page.locator("main").inner_text()
    check(any(w in waiting for w in ("في الانتظار", "تُجهَّز", "جاهزة")), "copy: the page says where the request is")
    accessible_later = page.url
    for _ in range(60):  # the page reloads itself every 2 s (no script); reload here the same way
        if page.locator("a[href$='/pdf']").count():
            break
        page.wait_for_timeout(1000)
        page.reload()
    check(page.locator("a[href$='/pdf']").count() == 1 and page.locator("a[href$='/p7s']").count() == 1,
          "copy: when ready, the PDF and its .p7s can be downloaded")
    check("رمز QR" in page.locator("main").inner_text(), "copy: the page explains the QR code and how to verify")
    page.screenshot(path=str(out / "copy-ready-phone.png"), full_page=True)
    with page.expect_download() as download:
        page.locator("a[href$='/pdf']").click()
    pdf_path = out / "copy.pdf"
    download.value.save_as(str(pdf_path))
    check(pdf_path.read_bytes()[:4] == b"%PDF", f"copy: the download is a PDF ({download.value.suggested_filename})")
    with page.expect_download() as signature:
        page.locator("a[href$='/p7s']").click()
    check(signature.value.suggested_filename.endswith(".p7s"), "copy: the .p7s downloads")
    context.close()

    # axe needs script: the same pages in a normal context.
    normal = browser.new_context(base_url=base)
    page = normal.new_page()
    page.goto("/access")
    page.fill("#code", data["code"])
    submit(page, lambda: page.click("form[action='/access'] button[type=submit]"))
    page.goto(accessible_later)
    accessible(page, "/copies/{request}")

    # The receiving office: no account, a phone, uploads the file it was handed.
    page.goto("/verify")
    accessible(page, "/verify")
    page.set_input_files("#pdf", str(pdf_path))
    submit(page, lambda: page.click("form[action='/verify'] button[type=submit]"))
    verdict = page.locator("section.verdict").inner_text()
    check("نسخة صحيحة" in verdict, f"verify: the uploaded copy is valid ({verdict[:60]!r})")
    check("١" in page.locator("dl.fields").inner_text() or "1" in page.locator("dl.fields").inner_text(),
          "verify: the verdict lists the copy's pages")
    accessible(page, "/verify (verdict)")
    page.screenshot(path=str(out / "verify.png"), full_page=True)
    tampered = out / "tampered.pdf"
    data_bytes = bytearray(pdf_path.read_bytes())
    data_bytes[len(data_bytes) // 2] ^= 0x08
    tampered.write_bytes(bytes(data_bytes))
    page.goto("/verify")
    page.set_input_files("#pdf", str(tampered))
    submit(page, lambda: page.click("form[action='/verify'] button[type=submit]"))
    check("نسخة معدَّلة" in page.locator("section.verdict").inner_text(), "verify: a changed byte shows modified")
    normal.close()


def staff_flow(browser, base, data, out):
    """An administrator makes an auditor's token and a citizen's access code (the printable slip),
    visits holds, disposition and keys; the auditor signs in with the new token and reads the
    retention report and the audit log (filtered, chain verified, CSV)."""
    page = browser.new_context(base_url=base).new_page()
    page.goto("/login")
    page.fill("#token", data["admin"])
    submit(page, lambda: page.click("form[action='/login'] button[type=submit]"))
    for href in ("/admin/tokens", "/admin/access", "/admin/holds", "/admin/disposition", "/admin/keys", "/reports", "/audit-log"):
        check(page.locator(f"header nav a[href='{href}']").count() == 1, f"admin: the navigation links {href}")
    page.goto("/admin/tokens")
    accessible(page, "/admin/tokens")
    page.fill("#name", "auditor-browser")
    page.select_option("#role", "auditor")
    submit(page, lambda: page.click("form[action='/admin/tokens'] button[type=submit]"))
    secret = page.locator("p.secret-value code").inner_text().strip()
    check(secret.startswith("sjt_"), "admin: the new token is shown once on the page")
    accessible(page, "/admin/tokens (secret shown)")
    page.screenshot(path=str(out / "admin-tokens.png"), full_page=True)
    page.goto("/admin/access")
    page.fill("#record", data["mine"])
    page.fill("#days", "14")
    submit(page, lambda: page.click("form[action='/admin/access'] button[type=submit]"))
    check(page.locator(".slip img[src='/static/access-qr.svg']").count() == 1, "admin: the access-code slip has the QR code")
    check(page.locator(".slip .code").inner_text().count("-") >= 3, "admin: the slip shows the code")
    accessible(page, "/admin/access (slip)")
    page.emulate_media(media="print")
    check(not page.locator("header.top nav").is_visible() and page.locator(".slip").is_visible(),
          "admin: printing shows the slip without navigation and forms")
    page.screenshot(path=str(out / "admin-slip-print.png"), full_page=True)
    page.emulate_media(media="screen")
    for path in ("/admin/holds", "/admin/disposition", "/admin/keys"):
        page.goto(path)
        check(page.locator("h1").count() == 1, f"admin: {path} opens")
        accessible(page, path)
    page.context.close()

    page = browser.new_context(base_url=base).new_page()
    page.goto("/login")
    page.fill("#token", secret)
    submit(page, lambda: page.click("form[action='/login'] button[type=submit]"))
    page.goto("/reports")
    check(page.locator("table.report").count() >= 2, "auditor: /reports shows the series summary and the records")
    check(page.locator("a[href^='/v1/retention/report?format=csv']").count() == 1, "auditor: the report downloads as CSV")
    response = page.request.get(page.locator("a[href^='/v1/retention/report?format=csv']").get_attribute("href"))
    check(response.status == 200 and response.body()[:3] == b"\xef\xbb\xbf", f"auditor: the CSV downloads with a BOM ({response.status})")
    accessible(page, "/reports")
    page.screenshot(path=str(out / "auditor-reports.png"), full_page=True)
    page.goto("/audit-log")
    page.fill("#action", "token.create")
    submit(page, lambda: page.click("form[action='/audit-log'] button[type=submit]"))
    check("السلسلة سليمة" in page.locator("main").inner_text(), "auditor: the audit log shows the chain verified")
    check("auditor-browser" in page.locator("table.report").inner_text(), "auditor: the filter finds the admin's token.create")
    accessible(page, "/audit-log")
    page.screenshot(path=str(out / "auditor-audit-log.png"), full_page=True)
    page.goto("/admin/tokens")
    check("غير مسموح" in page.locator("h1").inner_text(), "auditor: the admin pages are refused")
    page.context.close()


def highlighted(path, before):
    """Pixels of the page view (below the toolbar, right of the thumbnails) that differ from
    `before` and are the find highlight's blue."""
    def rgb(p):
        raw = subprocess.run(["convert", str(p), "-depth", "8", "rgb:-"], capture_output=True, check=True).stdout
        return raw
    size = subprocess.run(["identify", "-format", "%w %h", str(path)], capture_output=True, text=True, check=True).stdout.split()
    width, height = int(size[0]), int(size[1])
    a, b = rgb(path), rgb(before)
    count = 0
    for y in range(150, height):
        row = y * width * 3
        for x in range(310, width):
            i = row + 3 * x
            r, g, bl = a[i], a[i + 1], a[i + 2]
            if (r, g, bl) != (b[i], b[i + 1], b[i + 2]) and bl > r + 40 and bl > 120:
                count += 1
    return count


def pdf_find_flow(data, out):
    """Chromium's own PDF viewer (PDFium), in a real window on a virtual display: the clerk
    opens an exported record and finds the applicant's name with find-in-page (Ctrl+F in the
    browser's find bar, typed as a person would). The match is highlighted on the page image;
    a word that is not in the text highlights nothing."""
    from playwright.sync_api import sync_playwright
    if not data.get("pdf_record"):
        return check(False, "pdf: no record found for the fixture's number")
    read, write = os.pipe()
    xlog = open(out / "xvfb.log", "w")
    xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", "1200x900x24", "-nolisten", "tcp"],
                            pass_fds=(write,), stdout=xlog, stderr=xlog)
    os.close(write)
    number = b""
    while not number.endswith(b"\n"):
        chunk = os.read(read, 16)
        if not chunk:
            break
        number += chunk
    os.close(read)
    display = ":" + number.decode().strip()
    env = {**os.environ, "DISPLAY": display}
    # The server answers before the browser starts (xdotool asks it for the screen size).
    for _ in range(50):
        if subprocess.run(["xdotool", "getdisplaygeometry"], env=env, capture_output=True).returncode == 0:
            break
        time.sleep(0.2)
    else:
        xvfb.terminate()
        return check(False, f"pdf: Xvfb display {display!r} does not answer; see {out / 'xvfb.log'}")

    def screen(name):
        subprocess.run(["import", "-display", display, "-window", "root", str(out / name)], check=True, env=env)
        return out / name

    def find(text, shot):
        subprocess.run(["xdotool", "key", "--clearmodifiers", "ctrl+f"], env=env, check=True)
        subprocess.run(["xdotool", "key", "--clearmodifiers", "ctrl+a", "BackSpace"], env=env, check=True)
        # Pasted from the clipboard: xdotool types characters missing from the keymap through
        # a remapped key, and drops some of them.
        subprocess.run(["xclip", "-selection", "clipboard"], input=text.encode(), env=env, check=True)
        subprocess.run(["xdotool", "key", "--clearmodifiers", "ctrl+v"], env=env, check=True)
        time.sleep(2)
        return screen(shot)

    try:
        with sync_playwright() as p:
            for attempt in range(3):
                try:
                    browser = p.chromium.launch(executable_path=CHROMIUM, headless=False, env=env, args=[
                        "--no-sandbox", "--disable-gpu", "--window-position=0,0", "--window-size=1200,900"])
                    break
                except Exception as error:  # logged with the X server's state, then tried again
                    print(f"pdf: launch {attempt + 1} failed on {display} (Xvfb {'running' if xvfb.poll() is None else 'exited'}): {str(error)[:300]}")
                    if attempt == 2:
                        raise
                    time.sleep(2)
            context = browser.new_context(no_viewport=True, extra_http_headers={"Authorization": f"Bearer {data['token']}"})
            page = context.new_page()
            page.goto(f"{data['base']}/v1/records/{data['pdf_record']}/pdf", wait_until="load")
            time.sleep(3)
            check(page.evaluate("document.contentType") == "application/pdf" and len(page.frames) > 1,
                  "pdf: Chromium opens the export inline in its PDF viewer")
            before = screen("pdf-open.png")
            name = highlighted(find(data["pdf_name"], "pdf-find-name.png"), before)
            check(name > 50, f"pdf: find-in-page highlights the applicant's name {data['pdf_name']} ({name} px)")
            number = highlighted(find(data["pdf_number"], "pdf-find-number.png"), before)
            check(number > 50, f"pdf: find-in-page highlights the transaction number {data['pdf_number']} ({number} px)")
            absent = highlighted(find("زخرفةمستحيلة", "pdf-find-absent.png"), before)
            check(absent == 0, f"pdf: a word not on the page highlights nothing ({absent} px)")
            browser.close()
    finally:
        xvfb.terminate()


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
            for flow in (clerk_flow, citizen_flow, archivist_flow, copy_flow, staff_flow):
                try:
                    flow(browser, base, data, out)
                except Exception as error:  # a broken step fails the flow, not the whole run
                    check(False, f"{flow.__name__}: {type(error).__name__}: {error}")
            browser.close()
        data["base"] = base
        try:
            pdf_find_flow(data, out)
        except Exception as error:
            check(False, f"pdf_find_flow: {type(error).__name__}: {error}")
    except Exception as error:
        check(False, f"setup: {type(error).__name__}: {error}")
    finally:
        if server:
            server.stop()
        if args.keep:
            print(f"home kept at {home}")
        else:
            shutil.rmtree(home, ignore_errors=True)
    print(f"axe-core ran on {len(AXE_PAGES)} pages: {', '.join(AXE_PAGES)}")
    print(f"{'FAILED' if failures else 'PASSED'}: {len(failures)} failure(s); artifacts in {out}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
