#!/usr/bin/env python3
"""Reference token ids, offsets and embeddings for rtpipe's encoder tests (run once; output committed).

Tokens come from the model's own tokenizer: the PyPI package `tokenizers` loading the cached
`tokenizer.json` (with its truncation setting, padding switched off). Embeddings come from an
independent NumPy forward pass of the BERT encoder written here, in float64, reading
model.safetensors directly (8-byte little-endian header length, JSON header, raw tensors).

Writes into benchmarks/encoder/reference/:
  tokens.json        sentences with ids and offsets (Python character = Unicode scalar indices)
  mean.f32           mean pooling + L2 normalisation (the model's own), float32 little-endian,
  cls.f32            [CLS] vector of the last layer,                     one row of `hidden`
  mean-raw.f32       masked mean without normalisation,                  floats per sentence

Usage (throw-away venv outside the repo):
  python3 -m venv /tmp/enc-ref && /tmp/enc-ref/bin/pip install tokenizers numpy
  /tmp/enc-ref/bin/python benchmarks/encoder/make_reference.py [MODEL_DIR]
"""
import json
import math
import os
import struct
import sys

import numpy as np
from tokenizers import Tokenizer

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
MODEL = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".rtpipe/models/all-MiniLM-L6-v2")
OUT = os.path.join(HERE, "reference")

# ---------------------------------------------------------------------------------------------
# Test sentences (written for rtpipe). Grouped by what they exercise.
SENTENCES = [
    # Check value from docs/METHODS.md.
    "The cat sat on the mat.",
    # Plain sentences, psycholinguistic materials.
    "The old man the boats.",
    "The horse raced past the barn fell.",
    "While the man hunted the deer ran into the woods.",
    "The reporter who the senator attacked admitted the error.",
    "The senator who attacked the reporter admitted the error.",
    "The complex houses married and single soldiers and their families.",
    "Time flies like an arrow; fruit flies like a banana.",
    "The girl told the story cried.",
    "Mary gave the child the dog bit a bandaid.",
    "The rat the cat the dog chased killed ate the malt.",
    "After the student moved the chair broke.",
    "The lawyer questioned by the judge was nervous.",
    "She walked slowly along the river, watching the boats drift by.",
    "Every morning the baker opens his shop before sunrise.",
    "A quiet afternoon in the library can feel like a small holiday.",
    "Children often ask questions that adults find hard to answer.",
    "The committee postponed its decision until the next meeting.",
    "He forgot his umbrella, so he arrived soaked to the skin.",
    "Scientists measured how long readers looked at each word.",
    "Reading times are longer for words that are less predictable.",
    "The experiment was repeated with a different group of participants.",
    "Most participants finished the task in under ten minutes.",
    "The farmer sold his apples at the market on Saturday.",
    "Nobody expected the quiet student to win the debate.",
    "The train was delayed because of snow on the tracks.",
    "My neighbour keeps bees on the roof of his garage.",
    "They painted the kitchen a pale shade of yellow.",
    "If it rains tomorrow, the picnic will be moved indoors.",
    "The museum opens at nine and closes at five.",
    "She has never seen the ocean, but she dreams about it.",
    "The dog that chased the cat was barking loudly.",
    "The teacher explained the rule twice, and then everyone understood.",
    "Birds migrate south when the days grow shorter.",
    "A surprising number of people cannot whistle.",
    "The bridge was closed for repairs during the summer.",
    "His grandmother taught him how to bake bread without a recipe.",
    "The results were clear, although the sample was small.",
    "We watched the sun set behind the hills.",
    "The mechanic replaced the brakes and checked the tyres.",
    "The orchestra tuned their instruments before the concert began.",
    "She whispered the answer so that nobody else could hear.",
    "The detective noticed a faint smell of smoke in the hallway.",
    "Leaves crunched underfoot as we hiked up the trail.",
    "The manager who hired the new clerk was promoted last week.",
    "Although he was tired, he kept working until midnight.",
    "The soup tasted better the next day.",
    "Few people attended the lecture on medieval farming.",
    "He put the book on the shelf next to the window.",
    "The city council voted to plant more trees along the avenue.",
    "When the bell rang, the students rushed out of the classroom.",
    "The painting that hung in the hall was stolen in the night.",
    "It is unclear whether the bridge will reopen this year.",
    "The athlete broke the record on her final attempt.",
    "Our flight was cancelled, so we took the night bus.",
    "The village is famous for its cheese and its cathedral.",
    "Please remember to water the plants while I'm away.",
    "The robot vacuum got stuck under the sofa again.",
    "The novel begins with a letter from a stranger.",
    "A small boat appeared on the horizon at dawn.",
    "The witness said that the car was blue, not green.",
    "Everyone laughed when the cake collapsed.",
    "The river flooded the fields after three days of rain.",
    # Single words, short texts.
    "Hello",
    "yes",
    "Wow!",
    "A",
    "OK.",
    "Thanks.",
    "Unbelievable",
    "psycholinguistics",
    # Case.
    "THE QUICK BROWN FOX JUMPS OVER THE LAZY DOG.",
    "tHe QuIcK bRoWn FoX",
    "NASA and the FBI met at the UN headquarters in NYC.",
    "iPhone, eBay and YouTube are brand names.",
    "McDonald's opened a new branch in MacGregor Street.",
    # Punctuation.
    "Wait... what?!",
    "He said: \"Stop!\" and then left.",
    "She asked, 'Are you coming?'",
    "Items: apples; pears; plums (ripe) [fresh] {organic}.",
    "Really?? Yes!!! No...",
    "The price is $5.99 + tax = $6.47 approx.",
    "Email me at someone@example.com or visit https://example.org/path?q=1&x=2.",
    "Use #hashtags and @mentions sparingly.",
    "A/B testing, pass/fail, and/or input/output.",
    "50% off -- today only!",
    "The ratio was 3:2 (roughly).",
    "C++ and C# are not the same as C.",
    "He wrote ~/docs/*.txt and ran `ls -la` | grep foo.",
    "Semicolons; colons: commas, periods.",
    "Em dash—like this—and en dash – like that.",
    "“Curly quotes” and ‘single curly quotes’ are common.",
    "«Guillemets» are used in French, „low quotes“ in German.",
    "The sign said ¡Hola! and ¿Qué tal?",
    "Bullet • points · and middle dots ‧ appear sometimes.",
    "Footnote† and double dagger‡ marks§ and pilcrows¶.",
    "Hmm… the ellipsis character is one code point.",
    "Stars *** and underscores ___ and carets ^^^.",
    "Backslash \\ and pipe | and tilde ~ and grave `.",
    "Angle <brackets> and equals == signs.",
    # Numbers.
    "The year 1984 was not like the novel.",
    "Pi is approximately 3.14159265358979.",
    "The population grew from 1,234,567 to 2,345,678.",
    "She was born on 12/05/1990 at 3:45 pm.",
    "Call +1 (555) 123-4567 before 9am.",
    "The temperature dropped to -12.5 degrees.",
    "He finished 1st, she finished 2nd, and they finished 23rd.",
    "Version 2.0.1-beta was released on 2023-11-07.",
    "There were 7 dwarfs, 101 dalmatians and 1001 nights.",
    "The answer is 42, not 41 or 43.",
    "0.5 + 0.25 = 0.75",
    "1e-5 is a small number, 6.02e23 a large one.",
    "Room 404 is on floor 4 of building B12.",
    "The code 0xFF equals 255 in decimal.",
    "He scored 98.6% on the test and 100% on the retest.",
    "In 2020-2021, sales rose by 15-20%.",
    "Her PIN was 0000 and her locker number 00123.",
    # Hyphens and compounds.
    "A well-known state-of-the-art mother-in-law.",
    "The re-entry of the spacecraft was well-timed.",
    "Self-driving cars and e-mail are twenty-first-century inventions.",
    "He is a twenty-five-year-old long-distance runner.",
    "Non-native speakers read the low-frequency words more slowly.",
    "The so-called experts' co-authored report was ill-advised.",
    "Anti-inflammatory drugs can have side-effects.",
    "The x-axis and y-axis meet at the origin.",
    # Apostrophes.
    "Don't, won't, can't, shouldn't, wouldn't.",
    "It's the dog's bone, not the dogs' bones.",
    "O'Brien and D'Angelo visited the O'Hare airport.",
    "Rock 'n' roll was big in the '60s and '70s.",
    "I'd've thought you'd know y'all's plans.",
    "She’s using typographic apostrophes: isn’t that nice?",
    "The children's toys and James's car.",
    "'Tis the season, ma'am.",
    # Accents and non-English Latin script.
    "The café served crème brûlée and a croissant.",
    "Naïve résumé writers rarely mention their façade.",
    "Zürich, São Paulo, Kraków and Reykjavík are cities.",
    "Dvořák and Janáček were Czech composers.",
    "Ångström units, Øresund bridge, Æsir gods.",
    "Jalapeño peppers and piña coladas.",
    "Straße and Fußball are German words.",
    "Œuvre, cœur and Œdipe are French.",
    "Ça va? Très bien, merci.",
    "Señor Muñoz lives in Logroño.",
    "İstanbul and Diyarbakır are in Türkiye.",
    "Łódź and Gdańsk are Polish cities.",
    "Hà Nội và Thành phố Hồ Chí Minh.",
    "Ørsted, Sjælland, and Ålesund.",
    "ÀÉÎÕÜ àéîõü ÇçÑñ",
    "The word cafe\u0301 uses a combining accent.",
    "A\u030a and \u00c5 should look alike.",
    # Other scripts.
    "Καλημέρα κόσμε, ΣΟΦΙΑ.",
    "Привет, мир! Москва — столица России.",
    "مرحبا بالعالم",
    "שלום עולם",
    "नमस्ते दुनिया",
    "สวัสดีชาวโลก",
    "Γειά σου Κόσμε and Здравствуйте mixed with English.",
    # CJK.
    "東京は日本の首都です。",
    "我爱自然语言处理。",
    "中文和English混合的句子。",
    "これはひらがなとカタカナのテストです。",
    "한국어 문장도 테스트합니다.",
    "漢字かな交じり文と한글 and Latin.",
    "The character 字 means 'letter'.",
    "Full-width ＡＢＣ１２３ and ideographic　space.",
    "CJK compatibility ideographs: 豈 更 車.",
    # Emoji and symbols.
    "I love this! 😀😀😀",
    "Party time 🎉🎊 let's go",
    "Thumbs up 👍🏽 from me.",
    "Red heart ❤️ and broken heart 💔.",
    "Pleading face 🥺 is a newer emoji.",
    "Family: 👨‍👩‍👧‍👦 (one grapheme, many scalars).",
    "Flags 🇫🇷 🇯🇵 🇺🇸 are regional indicators.",
    "Math: ∑ ∫ √ ∞ ≠ ≤ ≥ ± × ÷",
    "Copyright © 2024 Example™ Inc.® All rights reserved.",
    "It was 25°C, or about 77°F.",
    "Half ½, quarter ¼ and squared ² and cubed ³.",
    "The ﬁnal ﬂight was ﬀ-ing late.",
    "Arrows → ← ↑ ↓ and card suits ♠ ♥ ♦ ♣.",
    "Currency: € 10, £ 20, ¥ 30, ₹ 40, ₿ 0.1.",
    "Roman numerals Ⅻ and circled ① ② ③.",
    "Superscript x² and subscript H₂O.",
    # Very long words.
    "Pneumonoultramicroscopicsilicovolcanoconiosis is a long word.",
    "Antidisestablishmentarianism and floccinaucinihilipilification.",
    "Supercalifragilisticexpialidocious!",
    "Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch is in Wales.",
    "a" * 101 + " is too long",
    "b" * 100 + " is just short enough",
    "x" * 99 + "é" + " ends in an accent",
    "The hashtag #ThisIsAVeryLongHashtagThatKeepsGoingAndGoingForeverAndEverAndEverWithoutAnySpacesAtAllOkay is long.",
    "Donaudampfschifffahrtsgesellschaftskapitänswitwe is German.",
    "http://example.com/a/very/long/path/with/many/segments/and/a/query?param1=value1&param2=value2",
    # Control characters, zero-width and odd spaces.
    "Null\u0000char in the middle.",
    "Bell\u0007and backspace\u0008characters.",
    "Zero\u200bwidth\u200bspaces here.",
    "Soft\u00adhyphen and non\u2011breaking hyphen.",
    "\ufeffByte order mark at the start.",
    "Tab\tseparated\tvalues",
    "Windows\r\nline endings\r\n",
    "Vertical\u000btab and form\u000cfeed.",
    "No\u00a0break\u00a0space and em\u2003space and thin\u2009space.",
    "Ideographic\u3000space and narrow\u202fno-break space.",
    "Left-to-right\u200emark and right-to-left\u200fmark.",
    "Replacement \ufffd character.",
    "Private use \ue000 character.",
    "Joiner\u200dand non-joiner\u200c.",
    "Delete\u007fchar and escape\u001bchar.",
    "Next line\u0085character.",
    "Line\u2028separator and paragraph\u2029separator.",
    # Extra whitespace.
    "   leading spaces",
    "trailing spaces   ",
    "multiple    spaces   between     words",
    "\n\nnewlines\n\nbetween\n\nwords\n\n",
    " \t mixed \t whitespace \n everywhere \r ",
    "",
    "   ",
    "\u0000\u0001\u0002",
    ".",
    "...",
    "!?",
    # Longer sentences.
    "In the first experiment, participants read sentences word by word on a screen, pressing a key to reveal each new word, while the software recorded how long each word remained visible.",
    "Because the corpus contained many rare words, the authors smoothed the frequency estimates and excluded any word that appeared fewer than five times.",
    "The model predicts that a word which is highly surprising given its context will take longer to read, and that this effect may spill over onto the following word.",
    "Despite the heavy rain, the marathon continued, and thousands of runners crossed the finish line soaked but smiling.",
    "The committee, which had met every week for two years, finally published a report recommending that the old railway line be reopened for passengers.",
    # Over the maximum length: truncated to 128 tokens by the model's tokenizer.
    " ".join([
        "Reading is a complex skill that draws on vision, attention, memory and language.",
        "When we read, our eyes do not move smoothly across the page; instead they jump from one",
        "point to another in rapid movements called saccades, pausing briefly in fixations during",
        "which information is taken in. Skilled readers fixate most content words, skip many short",
        "function words, and sometimes move their eyes back to earlier parts of the text. The",
        "duration of a fixation depends on properties of the word being read, such as its length,",
        "its frequency in the language, and how predictable it is from the preceding context.",
        "Self-paced reading offers a cheaper alternative to eye tracking: readers press a button",
        "to reveal each word in turn, and the time between presses serves as a measure of",
        "processing difficulty. Both methods have been used to test theories of sentence",
        "comprehension, including the idea that processing difficulty is proportional to surprisal.",
    ]),
    ("word " * 300).strip(),
    "é" * 130,
    "! " * 140,
]


# ---------------------------------------------------------------------------------------------
def read_safetensors(path):
    """Tensors of a safetensors file as NumPy arrays (header parsed by hand)."""
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        a, b = info["data_offsets"]
        dtype = {"F32": "<f4", "I64": "<i8"}[info["dtype"]]
        out[name] = np.frombuffer(data[a:b], dtype=dtype).reshape(info["shape"])
    return out


_erf = np.frompyfunc(math.erf, 1, 1)


def gelu(x):
    """GELU with the exact error function: x/2 · (1 + erf(x/√2))."""
    return 0.5 * x * (1.0 + _erf(x / math.sqrt(2.0)).astype(np.float64))


def layer_norm(x, w, b, eps):
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * w + b


def forward(ids, T, cfg):
    """Last hidden states (len(ids) × hidden) of BERT for one unpadded sequence, in float64."""
    g = lambda k: T[k].astype(np.float64)
    H, nh = cfg["hidden_size"], cfg["num_attention_heads"]
    d = H // nh
    eps = cfg["layer_norm_eps"]
    n = len(ids)
    x = g("embeddings.word_embeddings.weight")[ids] + g("embeddings.position_embeddings.weight")[:n] \
        + g("embeddings.token_type_embeddings.weight")[0]
    x = layer_norm(x, g("embeddings.LayerNorm.weight"), g("embeddings.LayerNorm.bias"), eps)
    for l in range(cfg["num_hidden_layers"]):
        p = "encoder.layer.%d." % l
        lin = lambda h, name: h @ g(p + name + ".weight").T + g(p + name + ".bias")
        q = lin(x, "attention.self.query").reshape(n, nh, d).transpose(1, 0, 2)
        k = lin(x, "attention.self.key").reshape(n, nh, d).transpose(1, 0, 2)
        v = lin(x, "attention.self.value").reshape(n, nh, d).transpose(1, 0, 2)
        s = q @ k.transpose(0, 2, 1) / math.sqrt(d)
        s = np.exp(s - s.max(-1, keepdims=True))
        s /= s.sum(-1, keepdims=True)
        ctx = (s @ v).transpose(1, 0, 2).reshape(n, H)
        x = layer_norm(x + lin(ctx, "attention.output.dense"),
                       g(p + "attention.output.LayerNorm.weight"), g(p + "attention.output.LayerNorm.bias"), eps)
        h = gelu(lin(x, "intermediate.dense"))
        x = layer_norm(x + lin(h, "output.dense"), g(p + "output.LayerNorm.weight"), g(p + "output.LayerNorm.bias"), eps)
    return x


def main():
    cfg = json.load(open(os.path.join(MODEL, "config.json")))
    T = read_safetensors(os.path.join(MODEL, "model.safetensors"))
    tok = Tokenizer.from_file(os.path.join(MODEL, "tokenizer.json"))
    tok.no_padding()  # keep the file's truncation (128), drop its fixed padding
    os.makedirs(OUT, exist_ok=True)
    records, means, clss, raws = [], [], [], []
    for text in SENTENCES:
        enc = tok.encode(text)
        hs = forward(enc.ids, T, cfg)
        raw = hs.mean(0)
        means.append(raw / max(np.linalg.norm(raw), 1e-12))
        clss.append(hs[0])
        raws.append(raw)
        records.append({"text": text, "ids": enc.ids, "offsets": [list(o) for o in enc.offsets]})
    check = means[0][:5]
    expected = np.array([0.13024, -0.01577, -0.03672, 0.05799, -0.05979])
    assert records[0]["ids"] == [101, 1996, 4937, 2938, 2006, 1996, 13523, 1012, 102], records[0]["ids"]
    assert np.abs(check - expected).max() < 1e-5, check
    meta = {"model": os.path.basename(os.path.normpath(MODEL)), "hidden": cfg["hidden_size"],
            "max_length": tok.truncation["max_length"] if tok.truncation else None,
            "tokenizers_version": __import__("tokenizers").__version__, "sentences": records}
    with open(os.path.join(OUT, "tokens.json"), "w", encoding="utf-8") as f:
        json.dump(meta, f, ensure_ascii=True, separators=(",", ":"))
        f.write("\n")
    for name, rows in (("mean", means), ("cls", clss), ("mean-raw", raws)):
        np.asarray(rows, dtype="<f4").tofile(os.path.join(OUT, name + ".f32"))
    print("%d sentences; check vector %s" % (len(records), np.round(check, 5)))


if __name__ == "__main__":
    main()
