"""To-trins interview: what the instructor writes, with every text on the screens as a field."""

from __future__ import annotations

from dataclasses import dataclass

from facilitator.kinds import bool_field, choice_field, int_field, lines_field, text_field

from .pairing import GROUPS, RANDOM, ROLES

GOAL_PROMPT = "Skriv dit personlige mål: hvad vil du gerne lære, og hvad vil du kunne gøre bedre?"
TIME_MARK = "{tid}"  # replaced by a turn's length in words in the intro text
# Other words for the pairings, as instructors have written them in program files.
PAIRING_ALIASES = (("tilfældig", RANDOM), ("tilfaeldig", RANDOM), ("grupper", GROUPS))
PAIRING_ALIASES += (("borde", GROUPS), ("på tværs af borde", GROUPS), ("roller", ROLES))


def screen_text(label: str, default: str, help: str = "", area: bool = False) -> str:
    """A text shown on the projector or a phone: folded away in the editor until changed."""
    return text_field(label, default=default, max_len=400, area=area, help=help, rare=True)


@dataclass(frozen=True)
class InterviewContent:
    question: str = text_field(
        "Spørgsmål", required=True, area=True, max_len=400, help="Det, den interviewede svarer på."
    )
    prompts: list[str] = lines_field(
        "Opfølgende spørgsmål",
        max_items=10,
        max_len=200,
        help="Ét pr. linje; intervieweren ser dem.",
    )
    think_seconds: int = int_field("Tænketid (sekunder)", default=30, low=0, high=600)
    seconds: int = int_field(
        "Sekunder pr. tur", default=120, low=15, high=1200, help="Hver interviewer har så lang tid."
    )
    pairing: str = choice_field(
        "Par",
        (
            (RANDOM, "Tilfældige par"),
            (GROUPS, "På tværs af borde/udvalg"),
            (ROLES, "På tværs af roller"),
        ),
        default=RANDOM,
        aliases=PAIRING_ALIASES,
    )
    goal: bool = bool_field(
        "Til sidst skriver hver sit personlige mål",
        default=True,
        help="Slå fra, når interviewet bare er en hilserunde.",
    )
    goal_prompt: str = text_field(
        "Opgave til sidst",
        area=True,
        max_len=400,
        default=GOAL_PROMPT,
        help="Hver skriver sit eget mål.",
    )
    present: bool = bool_field(
        "Trin 2: hver præsenterer sin makkers svar for bordet",
        default=False,
        help="Efter interviewene får bordet et tidsrum, hvor hver fortæller, hvad makkeren sagde.",
    )
    present_seconds: int = int_field(
        "Sekunder til trin 2",
        help="Hele bordets tid til at fortælle.",
        default=300,
        low=30,
        high=3600,
    )
    present_text: str = screen_text(
        "Tekst: trin 2",
        "Præsentér din makkers mål for bordet: fortæl kort, hvad du hørte.",
        area=True,
    )
    interviewer_label: str = screen_text("Rolle: den, der spørger", "Du interviewer")
    interviewee_label: str = screen_text("Rolle: den, der svarer", "Du bliver interviewet")
    listener_label: str = screen_text(
        "Rolle: den tredje i en gruppe på tre", "Du lytter med", help="Fx «Du er observatør»."
    )
    listener_verb: str = screen_text("Rolle på skærmen: den tredje", "lytter")
    interviewer_tip: str = screen_text(
        "Tekst: råd til den, der spørger", "Lyt mest. Du skal ikke give råd."
    )
    interviewee_tip: str = screen_text(
        "Tekst: råd til den, der svarer", "Fortæl. Du bestemmer selv, hvor meget du vil sige."
    )
    listener_tip: str = screen_text(
        "Tekst: råd til den tredje", "Lyt med. Du kommer til senere i runden."
    )
    intro: str = screen_text(
        "Tekst: projektoren før start",
        f"I interviewer hinanden to og to: {TIME_MARK} hver. I bytter roller, når tiden er gået.",
        help=f"{TIME_MARK} bliver til turens længde, fx «2 minutter».",
        area=True,
    )
    intro_hint: str = screen_text(
        "Tekst: projektoren før start (nederst)",
        "Om lidt viser telefonen, hvem du skal sammen med.",
    )
    phone_intro: str = screen_text(
        "Tekst: telefonen før start",
        "I interviewer hinanden to og to. Om lidt står her, hvem du skal sammen med.",
        area=True,
    )
    paired_heading: str = screen_text(
        "Tekst: projektoren, når parrene er dannet", "Find din makker"
    )
    paired_phone: str = screen_text(
        "Tekst: telefonen, når parrene er dannet", "Find hinanden, og sæt jer sammen."
    )
    waiting_text: str = screen_text(
        "Tekst: telefonen hos den, der venter på en makker",
        "Underviseren sætter dig sammen med nogen om lidt. Tænk imens over spørgsmålet.",
        area=True,
    )
    think_how: str = screen_text(
        "Tekst: projektoren i tænketiden",
        "Tænk over spørgsmålet. Se på telefonen, hvem der interviewer først.",
        area=True,
    )
    turn1_how: str = screen_text(
        "Tekst: projektoren i tur 1",
        "Intervieweren spørger og lytter. Telefonen viser spørgsmål at følge op med.",
        area=True,
    )
    turn2_how: str = screen_text(
        "Tekst: projektoren i tur 2", "Byt roller: nu interviewer den anden."
    )
    trio_how: str = screen_text(
        "Tekst: projektoren i tur 3",
        "Parrene er færdige og skriver deres mål. Grupperne på tre tager den sidste tur.",
        area=True,
    )
    goal_heading: str = screen_text(
        "Tekst: overskrift, når målet skrives", "Skriv dit personlige mål"
    )
    goal_private: str = screen_text(
        "Tekst: projektoren, når målet skrives",
        "Skriv det på telefonen. Det er kun til dig: "
        "det vises ikke her, og ingen andre kan se det.",
        area=True,
    )
    goal_note: str = screen_text(
        "Tekst: telefonen under målet",
        "Kun du kan se dit mål. Du får det at se igen senere på kurset, og du kan rette det.",
        area=True,
    )
    end_heading: str = screen_text("Tekst: projektoren til sidst uden mål", "Tak for interviewene")
