"""Browser tests: a real Veikart build on a free loopback port with a fresh database, driven by
Debian's Chromium through Playwright (never a downloaded browser)."""
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = Path(os.environ.get("VEIKART_TEST_OUTPUT", ROOT / "test-output"))
TODAY = "2026-11-22"

# Every main page; later capabilities add theirs here so they are born tested.
MAIN_PAGES = {
    "forside": "/",
    "mal": "/mal/2",
    "delmal": "/delmal/2.C",
    "tiltak": "/tiltak/pll",
    "aktorer": "/aktorer",
    "aktor": "/aktorer/helse-vest",
    "veikart": "/veikart",
    "veikart-filtrert": "/veikart?aktor=helse-vest&fase=innforing",
    "prioriterte": "/veikart/prioriterte",
    "sok": "/sok?q=legemiddel",
    "indikatorer": "/indikatorer",
    "indikator": "/indikatorer/epj-effektivt",
    "indikator-trend": "/indikatorer/velferdsteknologi-mottakere",
    "indikator-metode": "/indikatorer/metode",
    "dashbord": "/dashbord",
    "statusrapporter": "/status",
    "statusrapport": "/status/2024-Q1",
    "prioritering": "/prioritering",
    "poengmodeller": "/prioritering/modeller",
    "prioriteringsrunde": "/prioritering/ehelseradet-2022-09-21?sammenlign=pll&sammenlign=dbep",
    "rad": "/rad",
    "rad-strategiradet": "/rad/strategiradet",
    "mote": "/rad/strategiradet/moter/2022-09-21",
    "innkalling": "/rad/fagradet/moter/2026-01-21/innkalling",
    "ikke-funnet": "/finnes-ikke",
    "logg-inn": "/logg-inn",
    "versjoner": "/veikart/versjoner",
    "veikart-versjon": "/veikart?versjon=1.0",
    "endringer": "/veikart/endringer?fra=1.0&til=naa",
    "milepaeltrend": "/tiltak/pasientens-provesvar/milepaeltrend",
}

# Pages only a signed-in reporter sees; checked the same way with a signed-in browser.
SIGNED_IN_PAGES = {
    "rediger-aktivitet": "/aktivitet/pll-hv-innforing/rediger",
    "historikk": "/aktivitet/pll-hv-innforing/historikk",
    "tiltak-innlogget": "/tiltak/pll",
    "utkast": "/utkast",
    "konto": "/konto",
    "mitt-arbeid": "/mitt-arbeid",
    "mitt-arbeid-filtrert": "/mitt-arbeid?maneder=12&aktor=helse-vest&vis=flagget",
    "ny-rapportor": "/ny",
    "avviklet-rapportor": "/avviklet",
    "ny-aktivitet": "/aktivitet/ny?tiltak=pll&aktor=helse-vest",
    "ny-milepael": "/milepael/ny?tiltak=pll",
    "avvikle-aktivitet": "/aktivitet/pll-hv-innforing/avvikle",
    "flytt-aktivitet": "/aktivitet/pll-hv-innforing/flytt",
    "flytt-milepael": "/milepael/ki-hv-api/flytt",
    "rapportering": "/rapportering",
    "rapporteringsrunde": "/rapportering/2024-Q1",
}

# Pages only an editor (redaktor) sees: adding and retiring the structure, and what has been retired
# (with at least one retired record: tests that check these pages use the `retired_example` fixture).
EDITOR_PAGES = {
    "ny-redaktor": "/ny",
    "avviklet-redaktor": "/avviklet",
    "nytt-tiltak": "/tiltak/ny",
    "nytt-mal": "/mal/ny",
    "nytt-delmal": "/delmal/ny?mal=2",
    "ny-aktor": "/aktor/ny",
    "ny-indikator": "/indikator/ny",
    "ny-milepael-redaktor": "/milepael/ny",
    "avvikle-tiltak-med-avhengige": "/tiltak/pll/avvikle",
    "avvikle-delmal": "/delmal/2.C/avvikle",
    "avvikle-indikator": "/indikator/epj-effektivt/avvikle",
    "indikator-verdier": "/indikatorer/epj-effektivt/verdier",
    "indikator-verdi-endre": "/indikatorer/epj-effektivt/verdier?periode=2025&dimensjon=region&medlem=Helse%20Vest",
    "indikator-verdi-fjern": "/indikatorer/epj-effektivt/verdier/fjern?periode=2025",
    "rapportering-redaktor": "/rapportering",
    "rapporteringsrunde-redaktor": "/rapportering/2024-Q1",
    "ny-runde": "/rapportering/ny",
    "ny-versjon": "/veikart/versjoner/ny",
}

# Forms sent with errors, as the browser receives the 422 answer: (who, form, {field name: value}, button).
# Nothing here is saved; the axe and Nu checks read the error summary and the fields marked invalid.
ERROR_STATES = {
    "ny-aktivitet-feil": ("redaktor@example.no", "/aktivitet/ny?tiltak=pll&aktor=helse-vest",
                          {"start": "2027-Q3", "end": "2027-Q1"}, "Opprett og publiser"),
    "nytt-tiltak-feil": ("redaktor@example.no", "/tiltak/ny", {}, "Opprett og publiser"),
    "ny-milepael-feil": ("vest@example.no", "/milepael/ny?tiltak=pll", {"date": "2027-13"}, "Opprett og publiser"),
    "flytt-feil": ("vest@example.no", "/aktivitet/pll-hv-innforing/flytt",
                   {"end": "2028-Q2", "delayKind": "innforing"}, "Lagre ny dato"),
    "verdi-feil": ("redaktor@example.no", "/indikatorer/epj-effektivt/verdier", {"periode": "2026", "verdi": "mye"}, "Lagre verdien"),
    "ny-runde-feil": ("redaktor@example.no", "/rapportering/ny", {"periode": "", "frist": "15.12.2026"}, "Åpne runden"),
    # A case whose rows are half filled: a presenter without a name, a follow-up without what to do.
    "ny-sak-feil": ("sekretariat@example.no", "/rad/fagradet/moter/2026-01-21/saker/ny",
                    {"tittel": "", "innleder.1.organisasjon": "FHI", "oppfolging.1.ansvarlig": "NHN"}, "Opprett saken"),
}

# Forms whose answer is a page of its own (200), checked like the others: (who, form, {field: value}, button).
ANSWER_PAGES = {
    "import-forhandsvisning": ("redaktor@example.no", "/indikatorer/epj-effektivt/importer",
                               {"tekst": "periode,verdi\n2025,51\n2026,55\n"}, "Vis hva som vil endres"),
}

# Pages only the secretariat sees: the council forms, the meeting workflow, the meeting and case forms.
SECRETARIAT_PAGES = {
    "rad-sekretariat": "/rad/fagradet",
    "mote-sekretariat": "/rad/fagradet/moter/2026-01-21",
    "mote-skjema": "/rad/fagradet/moter/2026-01-21/rediger",
    "sak-skjema": "/rad/fagradet/moter/2026-01-21/saker/6-26/rediger",
    "ny-sak": "/rad/fagradet/moter/2026-01-21/saker/ny",
    # The confirmation before the notice of a past meeting that is still planned, and the page that says a case in a
    # published notice cannot be removed (both seeded; nothing is sent).
    "publiser-innkalling": "/rad/fagradet/moter/2025-10-29/tilstand",
    # Made by the `council_example` fixture: a planned meeting with a case to remove, and a meeting through to the
    # minutes (attendance with a substitute, a decision with a follow-up, a correction).
    "fjern-sak": "/rad/fagradet/moter/2025-06-18/saker/1-25/slett",
    "mote-med-referat": "/rad/strategiradet/moter/2025-06-18",
    "referat": "/rad/strategiradet/moter/2025-06-18/referat",
    "mote-skjema-oppmote": "/rad/strategiradet/moter/2025-06-18/rediger",
    "sak-skjema-rettelse": "/rad/strategiradet/moter/2025-06-18/saker/1-25/rediger",
}


PASSWORD = "riktig-hest-batteri"
# nhn@ reports for Norsk helsenett, the second actor in the reporting-round journeys (test_cycle.py).
USERS = [("vest@example.no", "rapportor", "helse-vest"), ("nhn@example.no", "rapportor", "nhn"), ("redaktor@example.no", "redaktor", None),
         ("sekretariat@example.no", "sekretariat", None)]


def sign_in(page, base, email, password=PASSWORD):
    page.goto(base + "/logg-inn")
    page.get_by_label("E-post").fill(email)
    page.get_by_label("Passord").fill(password)
    page.get_by_role("button", name="Logg inn").click()


def fill_form(page, values):
    """Fills a form by field name: text fields and text areas, selects, and radio groups (value to check)."""
    for name, value in values.items():
        field = page.locator(f"main form [name='{name}']")
        kind = field.first.evaluate("e => e.tagName === 'INPUT' ? e.type : e.tagName.toLowerCase()")
        if kind == "radio":
            field.and_(page.locator(f"[value='{value}']")).check()
        elif kind == "select":
            field.select_option(value)
        else:
            field.fill(value)


def submit_error_state(page, server, name):
    """Signs in as the state's user (in a fresh context), sends its form with errors, returns the 422 response."""
    email, path, values, button = ERROR_STATES.get(name) or ANSWER_PAGES[name]
    sign_in(page, server, email)
    page.wait_for_url(lambda url: "/logg-inn" not in url)
    page.goto(server + path)
    fill_form(page, values)
    with page.expect_response(lambda r: r.request.method == "POST" and r.request.resource_type == "document") as answer:
        page.get_by_role("button", name=button).click()
    page.wait_for_load_state()
    return answer.value


def chromium_path():
    for candidate in (os.environ.get("CHROMIUM"), shutil.which("chromium"), shutil.which("chromium-browser"), "/usr/bin/chromium"):
        if candidate and os.path.exists(candidate):
            return candidate
    pytest.exit("Chromium is missing: install Debian's package with `apt-get install -y chromium` "
                "(scripts/test does this), or point CHROMIUM at a binary.", returncode=3)


def veikart_binary():
    explicit = os.environ.get("VEIKART_BIN")
    if explicit:
        return explicit
    path = subprocess.run(["swift", "build", "--show-bin-path"], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "PATH": "/opt/swift/usr/bin:" + os.environ.get("PATH", "")}).stdout.strip()
    binary = Path(path) / "veikart"
    if not binary.exists():
        pytest.exit(f"No Veikart build at {binary}: run `swift build` first (scripts/test does).", returncode=3)
    return str(binary)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(users):
    """Veikart on a free loopback port with a fresh, seeded database and `users`; yields its base URL."""
    work = Path(tempfile.mkdtemp(prefix="veikart-browser-"))
    port = free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite://{work}/browser.sqlite", "VEIKART_TODAY": TODAY, "LOG_LEVEL": "warning"}
    env.pop("VEIKART_NO_SEED", None)
    log = open(work / "server.log", "w")
    for email, role, actor in users:
        args = [veikart_binary(), "user", "add", "--email", email, "--role", role, "--name", email.split("@")[0].capitalize(), "--password-stdin"]
        if actor:
            args += ["--actor", actor]
        subprocess.run(args, cwd=work, env=env, input=PASSWORD + "\n", text=True, check=True, stdout=log, stderr=subprocess.STDOUT)
    process = subprocess.Popen([veikart_binary(), "serve", "--hostname", "127.0.0.1", "--port", str(port)],
                               cwd=work, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while True:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=1) as r:
                if r.status == 200:
                    break
        except OSError:
            pass
        if process.poll() is not None or time.time() > deadline:
            process.kill()
            raise RuntimeError("Veikart did not start:\n" + (work / "server.log").read_text())
        time.sleep(0.2)
    yield base
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
    shutil.rmtree(work, ignore_errors=True)


@pytest.fixture(scope="session")
def server():
    """The browser tests' Veikart, shared by the session."""
    yield from serve(USERS)


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path(), args=["--no-sandbox", "--disable-gpu"])
        yield b
        b.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nb-NO")
    pg = context.new_page()
    yield pg
    context.close()


@pytest.fixture(scope="session")
def output_dir():
    OUTPUT.mkdir(parents=True, exist_ok=True)
    return OUTPUT


RETIRED_EXAMPLE = ("pll-hn-avviklet-eksempel", "Eksempel på en avviklet aktivitet")


@pytest.fixture(scope="session")
def retired_example(server, browser):
    """One activity (Helse Nord, so no reporter in USERS sees it) created and retired through the forms, so the
    editor's list of retired records has a row to check."""
    record_id, description = RETIRED_EXAMPLE
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, server, "redaktor@example.no")
    page.wait_for_url(lambda url: "/logg-inn" not in url)
    page.goto(server + "/aktivitet/ny?tiltak=pll&aktor=helse-nord")
    fill_form(page, {"id": record_id, "start": "2026", "end": "2027", "description": description})
    page.get_by_role("button", name="Opprett og publiser").click()
    page.wait_for_url(f"**/aktivitet/{record_id}/rediger?lagret=opprettet")
    page.goto(server + f"/aktivitet/{record_id}/avvikle")
    page.get_by_role("button", name="Ja, avvikle aktiviteten").click()
    page.wait_for_url("**/avviklet?avviklet=**")
    context.close()
    return record_id


COUNCIL_EXAMPLE_DAY = "2025-06-18"


@pytest.fixture(scope="session")
def council_example(server, browser):
    """Meetings for the secretariat's pages in SECRETARIAT_PAGES, made through the forms (without JavaScript, so the
    link picker is the plain select), on a day and in a year no other test uses (so the cases are 1/25):
    - Fagrådet: a planned meeting with one case, to show the page that removes it.
    - Strategirådet: a meeting through to the minutes: a case with a presenter, a link, a decision and a follow-up
      (done, so it is not carried to the council's next meeting), a substitute, attendance, and a correction."""
    day = COUNCIL_EXAMPLE_DAY
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, server, "sekretariat@example.no")
    page.wait_for_url(lambda url: "/logg-inn" not in url)

    def new_meeting(council):
        page.goto(f"{server}/rad/{council}")
        fill_form(page, {"startdato": day, "sted": "Oslo"})
        page.get_by_role("button", name="Opprett møtet").click()
        page.wait_for_url(f"**/rad/{council}/moter/{day}")

    def new_case(values):
        page.get_by_role("link", name="Ny sak").click()
        fill_form(page, values)
        page.get_by_role("button", name="Opprett saken").click()
        page.wait_for_url("**#sak-1-25")

    def save(button, values, url):
        fill_form(page, values)
        page.get_by_role("button", name=button).click()
        page.wait_for_url(url)

    def publish(label):
        page.goto(f"{page.url.split('#')[0]}/tilstand")
        page.get_by_role("button", name=label).click()
        page.wait_for_url(f"**/moter/{day}")

    new_meeting("fagradet")
    new_case({"tittel": "Eksempel på en sak lagt inn ved en feil"})

    new_meeting("strategiradet")
    meeting = f"{server}/rad/strategiradet/moter/{day}"
    new_case({"tittel": "Eksempel på en sak med vedtak", "type": "beslutning", "innleder.1.navn": "Rune Simensen",
              "innleder.1.tittel": "Direktør for teknologi og e-helse", "innleder.1.organisasjon": "Helse Sør-Øst RHF",
              "tid": "10:15", "forslag": "Rådet slutter seg til planen.", "kobling.1.mal": "goal:5"})
    page.goto(meeting + "/rediger")
    save("Lagre møtet", {"stedfortreder.ehr-johan-ronaes.navn": "Kari Nordmann",
                         "stedfortreder.ehr-johan-ronaes.organisasjon": "Norsk helsenett SF"}, meeting)
    publish("Publiser innkallingen")
    page.goto(meeting + "/rediger")
    marks = {name: "motte" for name in page.locator("fieldset.attendance input[type=radio][value=motte]")
             .evaluate_all("rs => rs.map(r => r.name)")}
    marks["oppmote.ehr-johan-ronaes"] = "forfall"
    save("Lagre møtet", {**marks, "andre": "Ola Sekretær, sekretariatet"}, meeting)
    page.goto(meeting + "/saker/1-25/rediger")
    page.locator("main form [name='oppfolging.1.utfort']").check()
    save("Lagre saken", {"vedtak": "Rådet slutter seg til planen.", "oppfolging.1.tekst": "Sende planen på høring",
                         "oppfolging.1.ansvarlig": "Sekretariatet", "oppfolging.1.frist": "2025-09-01"}, f"**/moter/{day}#sak-1-25")
    publish("Publiser referatet")
    page.goto(meeting + "/saker/1-25/rediger")
    save("Lagre saken", {"vedtak": "Rådet slutter seg til planen, med endringene fra møtet.",
                         "rettelse": "Endringene fra møtet var utelatt."}, f"**/moter/{day}#sak-1-25")
    context.close()
    return day


@pytest.fixture()
def people(browser, server):
    """A page per person, each in a browser context of its own (signed in unless the e-mail is None)."""
    contexts = []

    def open_page(email, width=1280, height=900):
        context = browser.new_context(viewport={"width": width, "height": height}, locale="nb-NO", device_scale_factor=1)
        contexts.append(context)
        page = context.new_page()
        if email:
            sign_in(page, server, email)
            page.wait_for_url(lambda url: "/logg-inn" not in url)
        return page

    yield open_page
    for context in contexts:
        context.close()
