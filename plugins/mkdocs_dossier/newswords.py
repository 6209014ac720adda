"""The words news writes around names: titles, sentence words, name particles, and the
words that say what kind of thing a name is. What newsnames.py and discover.py read
names by; English news, since that is what the dossier's editors import."""

from __future__ import annotations

import re

#: Titles and honorifics written before a person's name (the last word of a title that
#: has several: "Prime Minister", "Secretary of State").
TITLES = (
    r"(?:Gen|Maj|Brig|Lt|Col|Adm|Sgt|Capt|Cmdr|Sen|Rep|Gov|Amb|Mr|Mrs|Ms|Dr|Prof|Pres)\.?"
    r"|General|President|Prime|Vice|Minister|Secretary of State|Secretary|Ambassador"
    r"|Senator|Governor|Commander"
    r"|Ayatollah|Sheikh|Imam|King|Queen|Prince|Princess|Judge|Speaker|Chancellor|Mayor"
    r"|Pope|Sir|Colonel|Major|Captain|Admiral|Lieutenant|Sergeant|Envoy|Spokesman"
    r"|Spokeswoman|Chairman|Chairwoman|Director|Chief|Premier|Cleric|Emir|Sultan"
    r"|Hojatoleslam|Lawmaker|Deputy|Adviser|Advisor"
)
TITLE_BEFORE = re.compile(rf"(?<![\w.])(?:{TITLES})[ \t]*(?:\n[ \t]*)?\Z")
TITLE_WORD = re.compile(rf"(?:{TITLES})\Z")
#: Capitalised words that start sentences, not names: a surname after one is no
#: different person ("When Pompeo"), and discover.py leaves them out.
FUNCTION_WORDS = frozenset(
    """
    a an the and but or nor so yet for of to in on at by as from with without into after
    before while since if then when where who whom whose which what why how that this
    these those there here it its he she they we i you his her their our my your him them
    us also both either neither meanwhile however according like unlike until although
    though because once even only still now today yesterday tomorrow later earlier under
    over about above below between among during against despite toward towards through
    via per amid not no yes all any each every some many most much more other another
    such than do does did is are was were be been has have had will would can could may
    might must shall should said says asked told monday tuesday wednesday thursday friday
    saturday sunday january february march april may june july august september october
    november december jan feb mar apr jun jul aug sep sept oct nov dec mr mrs ms
    """.split()  # noqa: SIM905 - a paragraph of words reads better than a list literal
)
#: Words before a surname that make it part of a longer Arabic, Persian or European name.
PARTICLES = frozenset(
    "al el ul bin ibn abu bint van von de da di du le la del dos das ben".split()  # noqa: SIM905
)
#: Words that say what kind of thing a name is, not which: a derived short name of an
#: organization or place needs a word that is not one of these ("Air Base" is no name).
GENERIC_WORDS = frozenset(
    """
    air base force forces zone region department ministry council party guard guards
    corps army navy agency committee office administration government city province
    district state states united republic embassy consulate militia militias group news
    channel international national islamic of in the and
    """.split()  # noqa: SIM905
)
#: Capitalised words after a place's or organization's name that make it part of a
#: longer name ("Baghdad International Airport", "Basra Gas Company").
LONGER_NAME = re.compile(
    r"[ \t]+(?:International|Airport|Air|University|Street|Square|Gate|Bridge|Province"
    r"|Governorate|Operations|Command|Company|Corporation|Club|Hotel|Hospital|Stadium"
    r"|Road|Highway|Times|Post|News|Bank)\b"
)
#: Words that make a name an organization's.
ORGANIZATION_WORDS = frozenset(
    """
    ministry council party forces force guard guards corps army navy agency committee
    movement brigades brigade front organization organisation union association company
    corporation inc ltd group bank court parliament assembly commission institute
    university news times post images press network department office administration
    government authority service services mobilization militia militias channel tv radio
    agency foundation league alliance coalition federation
    """.split()  # noqa: SIM905 - a paragraph of words reads better than a list literal
)
#: The last word of a place's name.
PLACE_WORDS = frozenset(
    """
    zone base airbase airport square street avenue province city district region island
    river mountain mountains valley bridge embassy consulate palace camp port border gulf
    sea lake desert strait county
    """.split()  # noqa: SIM905
)
