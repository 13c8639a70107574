"""The one home of word lists and stemming: every part that drops stop words or compares words uses these.

Four tiers, because a search query, a key phrase and a section name need different silences:
`FUNCTION_WORDS` carry no meaning anywhere; `DOCUMENT_WORDS` are about writing papers, not about their
subject; `GENERIC_WORDS` are the filler of scientific prose (verbs of claiming, adjectives of praise)
that never name a method or a problem. `STOPWORDS` is those three. `REQUEST_WORDS` frame a request
for literature. `NAMING_WORDS` are the nouns every machine-learning abstract uses (model, dataset,
framework): they may sit inside a section's name ("multimodal large language models") but never make
one on their own; `SECTION_GENERIC` is what a section name must not consist of. `stem` is the one
stemmer.
"""

from __future__ import annotations

FUNCTION_WORDS = frozenset("""
a about above across after again against all almost along also although always among amongst an and
another any are aren around as at be because been before being below between both but by can cannot
could did do does doing done down due during each either else enough etc even ever every few for
from further had has have having here how however i if in into is it its itself just least less
like many may might more most much must near neither no nor not now of off often on once one only
onto or other others otherwise our ours out over own per perhaps rather same several shall she
should since so some such than that the their theirs them themselves then there thereby therefore
these they this those though through throughout thus to together too toward towards under until up
upon us very via was we well were what whatever when where whereas whether which while who whom
whose why will with within without would yet you your
""".split())
"""English function words."""

DOCUMENT_WORDS = frozenset("""
al authors based code com et github http https new paper papers review survey use used uses using
work works write
""".split())
"""Words about papers and writing them, not about what a paper studies."""

GENERIC_WORDS = frozenset("""
abilities ability able achieve achieved achieves achieving address addresses addressing adopt
adopting adopts advanced aim aims allow allows applies apply applying approach approaches area
areas art available best better bridge bridging build building builds called capture captures
capturing certain challenge challenges challenging common compared comprehend comprehending
comprehensive conduct conducted consider considerable considers conventional critical crucial
current currently demonstrate demonstrates design designed designs detect detects develop developed
developing develops different diverse effective effectively efficient emerging employ employing
employs enable enables enhance enhanced enhances enhancing entire especially evaluate evaluates
evaluating existing experiment experimental experiments explore explores exploring extensive
extensively field fields first focus focuses focusing free fully furthermore general generate
generated generates generating given good great growing help helps high highly important improve
improved improves improving include includes including increasing integrate integrated integrates
integrating introduce introduced introduces investigate investigates investigating key large-scale
largely last lead leads learn learned learning-based learns leverage leverages leveraging likely
low made main major make makes method methods modern moreover multiple namely notably novel
numerous obtain outperform outperforms particular particularly perform performance performs
powerful present presents previous previously problem problems produce produces promising propose
proposed proposes provide provides real-world recent recently relevant remain remains remarkable
require requires requiring research researchers result results second see seen sees show shown
shows significant significantly simple small sota specific specifically standard state
state-of-the-art still strong stronger studies study superior synthesize synthesizes synthesizing
task tasks traditional train trains two typical utilize utilized utilizes utilizing various vivid
way ways widely
""".split())
"""The filler of abstracts: claims, praise and verbs that name no method, data or problem."""

STOPWORDS = FUNCTION_WORDS | DOCUMENT_WORDS | GENERIC_WORDS
"""Every word that names nothing by itself."""

REQUEST_WORDS = frozenset("""
academic advancement advancements advances application applications assist assistance body
complete completing compile conduct conducting currently deep-dive detailed domain examine
help i'm in-depth investigation issue latest literature me my need overview please progress provide
report require research researching scholarly state status studying summary systematic technical
technique techniques technology thorough topic understand usage want wish
""".split())
"""Words that frame a request for literature ("please help me research the academic field of …")
rather than name its subject; with the other lists, what a topic phrase is cut out of."""

NAMING_WORDS = frozenset("""
accuracy algorithm algorithms analysis architecture architectures baseline baselines benchmark
benchmarks data dataset datasets deep evaluation evaluations experiment feature features framework
frameworks information input inputs learning level network networks neural output outputs pipeline
pipelines quality representation representations scale setting settings system systems technique
techniques tool tools training model models modeling modelling module modules
""".split())
"""Nouns every machine-learning abstract uses: part of a section's name at most, never all of it."""

SECTION_GENERIC = STOPWORDS | NAMING_WORDS
"""A section name made only of these words names nothing ("Models and Data", "Efficient Framework")."""

_SUFFIXES = ("ings", "ing", "ers", "er", "ies", "es", "s", "ed")


def stem(word: str) -> str:
    """A crude suffix strip, used as a prefix: talking → talk (matches talks, talker)."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word
