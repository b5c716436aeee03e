"""A room of 30: long Danish names and answers, phones that answer over plain HTTP, and the
in-page check that nothing a person should read is clipped, off-screen or under the QR badge."""

from __future__ import annotations

import http.cookiejar
import json
import re
import secrets
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

TABLES = ["Bord 1", "Bord 2", "Bord 3", "Bord 4", "Bord 5 · Hjemmeplejen Nørrebro-Bispebjerg"]
FIRST = ["Hanne", "Åse", "Søren", "Bodil", "Kristian", "Mette-Louise", "Jørgen", "Ærtebjørg",
         "Torben", "Sidsel", "Mads", "Birgitte", "Ole", "Pernille", "Henrik"]  # fmt: skip
LAST = ["Østergård-Kristiansen", "Ødegaard Bækgaard", "Frederiksen", "Kjærsgaard-Ibsen",
        "Højmark Vestergaard", "Brøndum", "Mikkelsen"]  # fmt: skip
COMPOUNDS = ["medarbejderrepræsentanterne", "arbejdsmiljøorganisationen",
             "kompetenceudviklingsplanerne", "sikkerhedsrepræsentantuddannelsen",
             "samarbejdsudvalgsmøderne", "trivselsundersøgelsesresultaterne"]  # fmt: skip


def name(i: int) -> str:
    return f"{FIRST[i % len(FIRST)]} {LAST[i % len(LAST)]}"


def answer(i: int, n: int = 200) -> str:
    """A 200-character Danish answer with long compounds, different for each person."""
    word = COMPOUNDS[i % len(COMPOUNDS)]
    text = (
        f"{i + 1}. Vi skal styrke samarbejdet med {word}, så arbejdsmiljøorganisationen får tid "
        f"til trivselsdialoger, og {COMPOUNDS[(i + 2) % len(COMPOUNDS)]} bliver fulgt op på "
        "hvert eneste møde i MED-udvalget hele året rundt."
    )
    return (text + " Det gælder også i weekenderne og på aftenvagterne.")[:n]


def short(i: int) -> str:
    return f"{COMPOUNDS[i % len(COMPOUNDS)].capitalize()} nr. {i + 1}"


LONG = "medarbejderrepræsentanterne og arbejdsmiljøorganisationen"
PROGRAM = f"""
title = "Et rum med 30: alle øvelser"
[[steps]]
kind = "info"
title = "Velkommen til MED-grunduddannelsen for {LONG}"
body = "I dag ser vi nærmere på, hvordan {LONG} arbejder sammen i hverdagen. {answer(1)}"
points = ["{answer(2, 120)}", "{answer(3, 120)}", "{answer(4, 120)}", "{answer(5, 120)}"]
[[steps]]
kind = "scale"
title = "Information og drøftelse"
case = "{answer(6)}"
statement = "Hvor enig er du i, at kompetenceudviklingsplanerne skal drøftes i MED-udvalget?"
[[steps]]
kind = "reflection"
title = "Overvej til i morgen"
intro = "Tag et øjeblik for dig selv."
max_chars = 500
[[steps.questions]]
text = "Hvad tager du med dig fra i dag om {LONG}?"
[[steps.questions]]
text = "Hvad vil du gerne have mere af i morgen?"
shared = true
anonymous = true
[[steps]]
kind = "ideas"
title = "Opgaver i MED"
prompt = "Hvad fylder mest i jeres arbejdsmiljø lige nu, set fra {LONG}?"
categories = ["Arbejdsforhold", "Personaleforhold", "Samarbejdsforhold", "Arbejdsmiljøforhold"]
dots = 3
[[steps]]
kind = "interview"
title = "Interview om målet"
question = "Dit personlige mål: hvad vil du gerne lære om {LONG}?"
prompts = ["Hvorfor har du valgt netop det mål?", "Fortæl mere om ..."]
think_seconds = 30
seconds = 120
pairing = "random"
goal_prompt = "Skriv dit personlige mål: hvad vil du gerne lære?"
[[steps]]
kind = "round_robin"
title = "Ordet rundt"
question = "Hvad er det vigtigste, du tager med hjem om {LONG}?"
think_seconds = 30
seconds = 60
order = "join"
allow_pass = true
keyword = true
[[steps]]
kind = "talking_chips"
title = "Talechips"
question = "Hvordan sikrer vi, at alle {LONG} bliver hørt på vores møder?"
chips = 2
minutes = 10
[[steps]]
kind = "tip13"
title = "Tip en 13'er"
mode = "individual"
labels = ["Rigtigt", "Det afhænger af", "Forkert"]
[[steps.rows]]
text = "Informationspligten gælder både ledelsen og {LONG}."
answer = "1"
explanation = "{answer(7)}"
reference = "Lokalaftalen § 8, stk. 1"
[[steps.rows]]
text = "Sikkerhedsrepræsentantuddannelsen er frivillig for arbejdsmiljørepræsentanterne."
labels = ["Medarbejderrepræsentanterne", "Arbejdsmiljøorganisationen", "Samarbejdsudvalget"]
answer = "2"
explanation = "{answer(8)}"
[[steps]]
kind = "goal_followup"
title = "Opfølgning på dit personlige mål"
questions = ["Hvad har du lært om {LONG}?", "Hvad vil du arbejde videre med?"]
[[steps]]
kind = "action_plan"
title = "Jeres handleplan"
prompt = "Hvad vil I gøre for {LONG}, hvem er tovholder, og hvornår er deadline?"
plan_title = "Handleplan"
[[steps]]
kind = "questions"
title = "Evt. spørgsmål"
prompt = "Hvad vil du gerne have svar på om {LONG}, inden vi går videre?"
[[steps]]
kind = "case"
title = "Inddragelse af baglandet"
case = "{answer(8)}"
questions = [
  "Hvem i baglandet skal høres om {LONG}?", "{answer(9, 150)}", "Hvordan melder I tilbage?"
]
[[steps]]
kind = "agenda"
title = "Dagsorden for MED-udvalget"
meeting = "Et MED-møde på to timer om {LONG}"
minutes = 120
task = "{answer(10, 180)}"
suggestions = ["Kompetenceudviklingsplanerne", "Trivselsundersøgelsesresultaterne", "Budget"]
[[steps]]
kind = "annual_wheel"
title = "Årshjul for MED-udvalget"
task = "{answer(11, 180)}"
suggestions = ["Arbejdsmiljødrøftelsen", "Trivselsundersøgelsesresultaterne", "Budget"]
"""

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"|"X-CSRFToken": "([^"]+)"')


class Phone:
    """A participant's phone as plain HTTP: its own cookies, the page's CSRF token."""

    def __init__(self, base: str, code: str) -> None:
        self.base, self.code, self.csrf = base, code, ""
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def _open(self, path: str, data: dict | None = None, headers: dict | None = None) -> str:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body, headers=headers or {})
        try:
            with self.opener.open(req, timeout=20) as r:
                return r.read().decode()
        except urllib.error.HTTPError as exc:
            if exc.code == 422:
                return exc.read().decode()
            raise

    def join(self, who: str, table: str) -> Phone:
        page = self._open(f"/j/{self.code}")
        group = re.search(rf'value="(\d+)"[^>]*>\s*{re.escape(table)}</label>', page).group(1)
        found = CSRF.search(page)
        token = found.group(1) or found.group(2)
        page = self._open(f"/j/{self.code}", {"name": who, "group": group, "csrf_token": token})
        found = CSRF.search(page)
        self.csrf = found.group(1) or found.group(2)
        return self

    def fragment(self) -> str:
        return self._open(f"/j/{self.code}/fragment", headers={"HX-Request": "true"})

    def post(self, path: str, data: dict) -> str:
        headers = {"X-CSRFToken": self.csrf, "HX-Request": "true"}
        headers["Idempotency-Key"] = secrets.token_hex(16)
        return self._open(path, {k: str(v) for k, v in data.items()}, headers)

    def submit(self, data: dict) -> str:
        step = re.search(rf"/j/{self.code}/s/(\d+)", self.fragment()).group(1)
        html = self.post(f"/j/{self.code}/s/{step}", data)
        refused = re.search(r'data-testid="phone-error">([^<]*)', html)
        assert not refused, (data, refused.group(1))
        return html

    def tap(self, label: str, nth: int = 0) -> str:
        """Press the (nth) button labelled `label` on the current fragment, as htmx would."""
        html = self.fragment()
        pattern = r"hx-post=\"([^\"]+)\"[^>]*hx-vals='([^']+)'[^>]*>\s*" + re.escape(label) + "<"
        buttons = list(re.finditer(pattern, html))
        assert buttons, (label, html[-2000:])
        found = buttons[nth % len(buttons)]
        vals = json.loads(found.group(2).replace("&#34;", '"').replace("&quot;", '"'))
        return self.post(found.group(1).replace("&amp;", "&"), vals)

    def vote(self, nth: int) -> None:
        """Vote for the nth question this phone may vote for (none of its own)."""
        ids = re.findall(r'"on": "1", "op": "vote", "q": (\d+)', self.fragment())
        if ids:
            self.submit({"op": "vote", "q": ids[nth % len(ids)], "on": "1"})

    def add_plan_row(self, i: int) -> None:
        html = self.fragment()
        form = r'<form hx-post="([^"]+)"[^>]*>\s*<input type="hidden" name="csrf_token"[^>]*>'
        url = re.search(form + r'\s*<input type="hidden" name="target" value="new">', html)
        row = {"target": "new", "theme": short(i), "activity": answer(i, 140), "tovholder": name(i)}
        self.post(url.group(1), row)


# The check each screen runs on itself (room_check.js): clipped, off-screen, under the badge.
CHECK = (Path(__file__).parent / "room_check.js").read_text(encoding="utf-8")
