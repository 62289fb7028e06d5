#!/usr/bin/env python3
"""Deterministic benchmark sentences of about 20 words, from rtpipe's own word lists and templates.

    python3 sentences.py [COUNT] [SEED] > sentences.txt     (defaults: 1000, 1)

One sentence per line. Plain Python, no packages needed.
"""
import random
import sys

ADJ = ["old", "young", "quiet", "busy", "tired", "clever", "nervous", "cheerful", "famous", "careful", "curious",
       "small", "tall", "friendly", "angry", "patient", "gentle", "strange", "brave", "lonely", "proud", "polite"]
PERSON = ["teacher", "farmer", "doctor", "student", "baker", "pilot", "lawyer", "painter", "nurse", "driver",
          "writer", "gardener", "engineer", "musician", "reporter", "neighbour", "manager", "child", "soldier", "cook"]
THING = ["letter", "basket", "bicycle", "ladder", "painting", "window", "bottle", "jacket", "lamp", "map",
         "notebook", "piano", "umbrella", "suitcase", "camera", "blanket", "kettle", "clock", "mirror", "wallet"]
PLACE = ["market", "station", "library", "harbour", "garden", "kitchen", "museum", "hospital", "village", "bridge",
         "school", "theatre", "forest", "office", "bakery", "river", "church", "factory", "square", "farm"]
VERB_T = ["found", "carried", "repaired", "sold", "painted", "borrowed", "hid", "cleaned", "dropped", "opened",
          "bought", "noticed", "described", "wrapped", "returned", "moved", "examined", "forgot", "lifted", "shared"]
VERB_I = ["laughed", "waited", "smiled", "hesitated", "arrived", "complained", "whispered", "shouted", "slept", "left"]
TIME = ["early in the morning", "late at night", "after lunch", "before the storm", "during the holiday",
        "on a cold Tuesday", "at the end of the summer", "just before sunset", "in the middle of winter", "last spring"]
ADV = ["slowly", "quickly", "carefully", "quietly", "suddenly", "proudly", "nervously", "happily", "reluctantly", "gladly"]
CONN = ["because", "although", "while", "after", "before", "since", "until", "when"]

TEMPLATES = [
    "The {a1} {p1} {v1} the {t1} near the {l1} {time} and then {adv} {vi} at the {a2} {p2}.",
    "{Time}, a {a1} {p1} {adv} {v1} an old {t1} that the {p2} had left in the {l1}.",
    "The {p1} who {v1} the {t1} at the {l1} {vi} {conn} the {a1} {p2} {v2} a {t2}.",
    "{Conn} the {a1} {p1} {v1} the {t1}, the {p2} {adv} {v2} the {a2} {t2} behind the {l1}.",
    "Nobody at the {l1} expected that the {a1} {p1} would {vb} the {t1} {time} without asking the {p2}.",
    "The {a1} {p1} and the {a2} {p2} {adv} {v1} a {t1} and a {t2} on their way to the {l1}.",
    "When the {p1} {vi} in the {l1}, the {a1} {p2} {v1} the {t1} and walked {adv} towards the {l2}.",
    "According to the {p1}, the {t1} that was {v1} at the {l1} {time} belonged to a {a1} {p2}.",
]

BASE = {"found": "find", "carried": "carry", "repaired": "repair", "sold": "sell", "painted": "paint",
        "borrowed": "borrow", "hid": "hide", "cleaned": "clean", "dropped": "drop", "opened": "open",
        "bought": "buy", "noticed": "notice", "described": "describe", "wrapped": "wrap", "returned": "return",
        "moved": "move", "examined": "examine", "forgot": "forget", "lifted": "lift", "shared": "share"}


def sentences(count, seed=1):
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        v1 = rng.choice(VERB_T)
        time = rng.choice(TIME)
        conn = rng.choice(CONN)
        s = rng.choice(TEMPLATES).format(
            a1=rng.choice(ADJ), a2=rng.choice(ADJ), p1=rng.choice(PERSON), p2=rng.choice(PERSON),
            t1=rng.choice(THING), t2=rng.choice(THING), l1=rng.choice(PLACE), l2=rng.choice(PLACE),
            v1=v1, v2=rng.choice(VERB_T), vb=BASE[v1], vi=rng.choice(VERB_I), adv=rng.choice(ADV),
            time=time, Time=time[0].upper() + time[1:], conn=conn, Conn=conn.capitalize())
        out.append(s)
    return out


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    for s in sentences(n, seed):
        print(s)
