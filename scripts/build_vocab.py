"""Regenerate the curated vocabularies in ``kg/data/vocab/`` from raw third-party data plus hand-made lists.

    python scripts/build_vocab.py RAW_DIR [--out kg/data/vocab]

``RAW_DIR`` is laid out like ``shared/vocab``: ``pwc/`` (Papers with Code tasks, hierarchy, benchmarks,
metrics and ``leaderboards/``) and ``epoch/`` (Epoch AI model lists). The hand-made lists live in
``scripts/curated/``: ``{models,methods,datasets,tasks,metrics}.tsv`` (same columns as the output; curated
rows win over raw ones), ``stoplist.tsv`` (raw names never to take, with the reason) and
``common_words.txt`` (ordinary words that are not names).

Raw data is noisy, so every raw name passes a cleaning step (split suffixes and variant parentheses removed,
descriptive phrases, ordinary English words, SQL probes and sentence-like strings dropped) and a name
claimed by several types is kept by one type only. Output is deterministic: sorted rows, UTF-8,
``\\n`` line ends.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
CURATED = HERE / "curated"
DEFAULT_OUT = HERE.parent / "kg" / "data" / "vocab"

MODEL, METHOD, DATASET, TASK, METRIC = "model", "method", "dataset", "task", "metric"
TYPES = (MODEL, METHOD, DATASET, TASK, METRIC)
# When raw sources disagree about a name's type, the first type here keeps it.
RAW_PRIORITY = (METHOD, METRIC, DATASET, TASK, MODEL)
COLUMNS = {
    MODEL: ("name", "aliases", "organization", "date", "parameters", "base_model", "flags"),
    METHOD: ("name", "aliases", "flags"),
    DATASET: ("name", "aliases", "tasks", "flags"),
    TASK: ("name", "aliases", "parent", "flags"),
    METRIC: ("name", "aliases", "flags"),
}
FILES = {
    MODEL: "models.tsv",
    METHOD: "methods.tsv",
    DATASET: "datasets.tsv",
    TASK: "tasks.tsv",
    METRIC: "metrics.tsv",
}
LIST_FIELDS = {"aliases", "organization", "base_model", "tasks"}

# ----------------------------------------------------------------------------------------------- text helpers


def clean(text: str) -> str:
    """NFC, no control characters or tabs/newlines, single spaces, stripped."""
    text = unicodedata.normalize("NFC", text).replace("\u00a0", " ").replace("\u200b", "")
    text = "".join(" " if unicodedata.category(ch).startswith("C") else ch for ch in text)
    return " ".join(text.split()).strip(" \"'")


def key(text: str) -> str:
    """Conservative identity key: case, spaces, hyphens, slashes, underscores ignored; digit dots kept.

    Stricter than ``kg.text.match_key`` on purpose ("Qwen2.5-7B" and "Qwen2-57B" stay apart).
    """
    t = unicodedata.normalize("NFKC", text).casefold()
    t = re.sub(r"(?<=\d)\.(?=\d)", "\x00", t)
    t = re.sub(r"[\s\-_/.\u00b7\u2010-\u2015]", "", t)
    t = re.sub(r"[^\w+#@\x00]", "", t)
    return t.replace("\x00", ".")


def is_word(token: str) -> bool:
    """An ordinary-looking word: letters only, no capitals after the first ("Florence", "weather")."""
    return token.isalpha() and token[1:].islower()


def is_acronym(token: str) -> bool:
    letters = [c for c in token if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


SQLISH = re.compile(
    r"(--|/\*|\*/|;|=|<|>|\{|\}|\\|%2[0-9a-f]|\b(select|union|insert|drop|waitfor)\s|sleep\(|benchmark\(|"
    r"http|www\.|\"|`|'(?![a-z])|(?<![A-Za-z])')",
    re.IGNORECASE,
)
FUNCTION_WORDS = {
    "of",
    "for",
    "on",
    "with",
    "and",
    "the",
    "in",
    "by",
    "from",
    "to",
    "at",
    "vs",
    "via",
    "using",
    "a",
}


def looks_junk(name: str) -> bool:
    """Strings no vocabulary should hold: SQL probes, URLs, punctuation soup, no letters."""
    if len(name) < 2 or not any(c.isalpha() for c in name):
        return True
    if SQLISH.search(name) or "?" in name or "!" in name:
        return True
    return sum(not (c.isalnum() or c in " -.'+&/()@#") for c in name) > 2


def plural_forms(name: str) -> list[str]:
    """Plural forms of countable method names ("GAN" -> "GANs", "diffusion model" -> "diffusion models")."""
    last = name.split()[-1]
    heads = {
    "model", "network", "transformer", "autoencoder", "machine", "tree", "forest", "field", "embedding",
    "layer", "encoder", "decoder", "mechanism", "adapter", "kernel", "algorithm", "agent", "classifier",
    "process", "operator", "map", "ticket", "law", "unit", "expert", "flow", "function",
    }  # fmt: skip
    if is_acronym(last) and last.isalpha() and len(last) >= 2:
        return [name + "s"]
    if last.lower().split("-")[-1] in heads:
        return [name + ("es" if name.endswith("s") else "s")]
    return []


def spelling_variants(name: str) -> list[str]:
    """Separator variants of a model name: "Llama 2-70B" -> "Llama 2 70B", "Llama-2-70B", "Llama2-70B"."""
    out = [name.replace("-", " "), name.replace(" ", "-")]
    # glue a version number to a short name: "GPT-4" -> "GPT4", "Llama 2" -> "Llama2"
    out.append(re.sub(r"(?<=[A-Za-z])[- ](?=\d)", "", name, count=1))
    return [v for v in dict.fromkeys(out) if v != name and len(v) > 2]


# ----------------------------------------------------------------------------------------------- rows


@dataclass
class Row:
    type: str
    name: str
    aliases: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    fields: dict[str, list[str]] = field(default_factory=dict)
    curated: bool = False

    def add_alias(self, *aliases: str) -> None:
        for a in aliases:
            a = clean(a)
            if a and a != self.name and a not in self.aliases and not looks_junk(a):
                self.aliases.append(a)

    def add_field(self, name: str, *values: str) -> None:
        lst = self.fields.setdefault(name, [])
        for v in values:
            v = clean(v)
            if v and v not in lst:
                lst.append(v)

    def all_keys(self) -> set[str]:
        return {key(self.name), *(key(a) for a in self.aliases)}


def read_tsv(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        lines = fh.read().splitlines()
    header = lines[0].split("\t")
    for n, line in enumerate(lines[1:], start=2):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) != len(header):
            raise SystemExit(f"{path}:{n}: expected {len(header)} columns, got {len(cols)}")
        yield dict(zip(header, cols, strict=True))


def load_curated(directory: Path) -> dict[str, list[Row]]:
    out: dict[str, list[Row]] = {t: [] for t in TYPES}
    for kind, fname in FILES.items():
        for rec in read_tsv(directory / fname):
            row = Row(kind, clean(rec["name"]), curated=True)
            row.add_alias(*rec["aliases"].split("|"))
            row.flags = {f.strip() for f in rec["flags"].split(",") if f.strip()}
            for col in COLUMNS[kind][2:-1]:
                row.add_field(col, *(rec[col].split("|") if col in LIST_FIELDS else [rec[col]]))
            out[kind].append(row)
    return out


def common_words(raw: Path, directory: Path) -> set[str]:
    """Ordinary English words: lower-case words used at least twice in the raw prose (Epoch abstracts, PwC
    descriptions) plus ``common_words.txt``. A raw name made only of such words is prose, not a name."""
    counts: dict[str, int] = {}

    def add(text: str) -> None:
        for tok in re.findall(r"[A-Za-z]+", text or ""):
            if tok.islower() and len(tok) >= 3:
                counts[tok] = counts.get(tok, 0) + 1

    for fname in ("notable_ai_models.csv", "large_scale_ai_models.csv", "frontier_ai_models.csv"):
        path = raw / "epoch" / fname
        if path.exists():
            with path.open(encoding="utf-8", newline="") as fh:
                for rec in csv.DictReader(fh):
                    add(rec.get("Abstract", ""))

    def walk(obj: object) -> None:
        if isinstance(obj, dict):
            for k, v in obj.items():
                add(v) if k == "description" and isinstance(v, str) else walk(v)
        elif isinstance(obj, list):
            for v in obj:
                walk(v)

    for path in sorted((raw / "pwc").glob("**/*.json")) if (raw / "pwc").exists() else []:
        walk(json.loads(path.read_text("utf-8")))
    words = {w for w, n in counts.items() if n >= 2}
    extra = directory / "common_words.txt"
    if extra.exists():
        words |= {ln.strip().lower() for ln in extra.read_text("utf-8").splitlines() if ln.strip()}
    return words


COMMON: set[str] = set()  # filled by build(); module-level so the cleaning functions stay one-argument


def all_common(tokens: list[str]) -> bool:
    """Every token is an ordinary word in Title, lower or upper case ("Visual Common Sense", "SEED")."""
    return all(t.isalpha() and (is_word(t) or t.isupper()) and t.lower() in COMMON for t in tokens)


def load_stoplist(directory: Path) -> dict[str, set[str]]:
    """type -> keys of raw names never to take ("*" applies to every type)."""
    stop: dict[str, set[str]] = {}
    for rec in read_tsv(directory / "stoplist.tsv"):
        stop.setdefault(rec["type"], set()).add(key(rec["name"]))
    return stop


# --------------------------------------------------------------------------------------------- models (Epoch)

ORG_MAP = {
    "google brain": "Google", "google research": "Google", "google ai": "Google", "google cloud": "Google",
    "google": "Google", "deepmind": "Google DeepMind", "google deepmind": "Google DeepMind",
    "facebook": "Meta", "facebook ai": "Meta", "facebook ai research": "Meta", "meta ai": "Meta",
    "meta": "Meta", "fair": "Meta", "microsoft research": "Microsoft",
    "microsoft research asia": "Microsoft", "microsoft": "Microsoft", "z.ai (zhipu ai)": "Zhipu AI",
    "beijing academy of artificial intelligence / baai": "BAAI",
    "allen institute for ai (ai2)": "Allen Institute for AI",
    "university of montreal / université de montréal": "University of Montreal",
    "university of california (uc) berkeley": "UC Berkeley", "uc berkeley": "UC Berkeley",
    "ut austin": "University of Texas at Austin", "ibm research": "IBM", "nvidia": "NVIDIA",
    "openai": "OpenAI", "amazon": "Amazon", "salesforce research": "Salesforce", "cohere for ai": "Cohere",
    "alibaba damo academy": "Alibaba", "alibaba": "Alibaba", "lg ai research": "LG AI Research",
    "lg": "LG AI Research", "huawei noah's ark lab": "Huawei",
    "baidu research - silicon valley ai lab": "Baidu", "bigscience": "BigScience",
    "hugging face": "Hugging Face",
}  # fmt: skip


def norm_org(org: str) -> str:
    org = clean(org)
    low = org.casefold()
    if low in ORG_MAP:
        return ORG_MAP[low]
    if low.startswith("mila"):
        return "Mila"
    org = re.sub(r"\s*\([^()]*\)\s*$", "", org).strip()  # "Carnegie Mellon University (CMU)"
    return ORG_MAP.get(org.casefold(), org)


def split_orgs(text: str) -> list[str]:
    return [o for o in (norm_org(p) for p in re.split(r",(?! )", text)) if o]


MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"
SIZE = re.compile(r"^~?\d+(\.\d+)?\s*[kmbt]$", re.IGNORECASE)
VARIANT_WORDS = {
    "mini", "nano", "small", "base", "large", "medium", "tiny", "turbo", "pro", "instruct", "chat", "lite",
    "plus", "flash", "fast", "preview", "online", "heavy", "ultra", "max", "xl", "xxl", "code", "coder",
    "math", "vision", "thinking", "embed", "edge", "core", "exp", "next", "air", "omni", "v", "micro",
    "deep", "think", "mega", "jumbo", "supreme", "extended",
}  # fmt: skip
DESCRIPTIVE = {
    "network", "networks", "nets", "net", "learning", "learner", "filtering", "propagation", "reduction",
    "gradient", "gradients", "recognition", "translation", "recommender", "recommendation", "system",
    "scaling", "segmentation", "labeling", "labelling", "classifier", "classification", "embedding",
    "embeddings", "alignment", "algorithm", "tagger", "prediction", "tuning", "vector", "autoencoder",
    "autoencoders", "committee", "ensemble", "model", "models", "machine", "machines", "detector", "agent",
    "robot", "player", "solution", "reimplementation", "matching", "coding", "patterns", "functions",
    "logic", "analysis", "memory", "search", "lm", "lstm", "rnn", "cnn", "dnn", "mlp", "svm", "gan", "gans",
    "nn", "dbn", "dbns", "blstm", "convnet", "convnets", "baseline", "regression", "decay", "pooling",
    "normalization", "dropout", "attention", "renderer", "guidance", "labels", "lm+", "mos", "eval",
    "evaluation", "feature", "features", "curriculum", "policy", "layer", "layers",
}  # fmt: skip


def split_parens(name: str) -> tuple[str, list[str]]:
    """'CLIP (ViT L/14@336px)' -> ('CLIP', ['ViT L/14@336px'])."""
    inner = re.findall(r"\(([^()]*)\)", name)
    base = clean(re.sub(r"\([^()]*\)", " ", name))
    return base, [clean(i) for i in inner]


def is_cjk(text: str) -> bool:
    return any("\u3000" <= c <= "\u9fff" or "\uac00" <= c <= "\ud7af" for c in text)


def initials_match(acronym: str, long_form: str) -> bool:
    letters = [w[0].upper() for w in re.split(r"[\s\-]+", long_form) if w and w[0].isalpha()]
    return len(acronym) >= 2 and "".join(letters).startswith(acronym.upper()[:2])


def clean_model_name(raw: str) -> tuple[str, list[str], bool] | None:
    """Return (name, aliases, is_variant) or None when the raw Epoch name is not a usable model name.

    ``is_variant``: a size or variant in parentheses was removed, so the row's parameter count is not the
    family's.
    """
    name = clean(raw)
    aliases: list[str] = []
    stripped_size = False
    if "(" in name:
        base, inners = split_parens(name)
        for inner in inners:
            if is_cjk(inner):
                aliases.append(inner)
            elif SIZE.match(inner):
                stripped_size = True
            elif is_acronym(inner) and " " not in inner and initials_match(inner, base):
                aliases.append(inner)  # "Computer-Using Agent (CUA)"
            elif is_acronym(base) and len(inner.split()) >= 2 and initials_match(base, inner):
                aliases.append(inner)  # "DTN (Domain Transfer Network)"
            elif not re.fullmatch(rf"(({MONTHS})[a-z]* )?(19|20)\d\d|\d{{4}}", inner, re.IGNORECASE):
                stripped_size = True  # "CLIP (ResNet-50)": the row describes one variant of the family
        name = base
    if looks_junk(name) or any(s in name for s in ("+", "×", "†", ":", ";", "=", "*", "@", "(", ")")):
        return None
    if " / " in name:  # "GoogLeNet / InceptionV1"
        name, *rest = [clean(p) for p in name.split(" / ")]
        aliases.extend(rest)
    tokens = name.split()
    if not tokens or len(tokens) > 5 or len(name) < 2:
        return None
    low = [t.casefold().strip(".,") for t in tokens]
    if any(t in FUNCTION_WORDS for t in low) or any(t in DESCRIPTIVE for t in low):
        return None
    for i, tok in enumerate(tokens):
        plain = tok.isalpha() and tok.islower()
        if plain and (i > 0 or len(tokens) > 1) and tok not in VARIANT_WORDS:
            return None  # "Decision tree adaline", "top-down frozen classifier"
    if len(tokens) == 1 and tokens[0].isalpha() and tokens[0].islower():
        return None
    if all_common(tokens) or re.search(r"-\s|\s-", name):
        return None  # "Switch", "Noisy Student", "Cosmos-1.0- Diffusion"
    if len(name) <= 3 and is_acronym(name):
        return None  # "GSM", "SDE": too short to tell apart from other acronyms
    return name, aliases, stripped_size


def epoch_models(raw: Path) -> list[Row]:
    merged: dict[str, Row] = {}
    dates: dict[str, str] = {}
    for fname in ("notable_ai_models.csv", "large_scale_ai_models.csv", "frontier_ai_models.csv"):
        path = raw / "epoch" / fname
        if not path.exists():
            continue
        with path.open(encoding="utf-8", newline="") as fh:
            for rec in csv.DictReader(fh):
                date = clean(rec.get("Publication date", ""))
                if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date) or date < "2012":
                    continue  # pre-deep-learning entries are mostly experiment descriptions
                got = clean_model_name(rec.get("Model", ""))
                if got is None:
                    continue
                name, aliases, stripped_size = got
                k = key(name)
                row = merged.get(k)
                if row is None:
                    row = merged[k] = Row(MODEL, name)
                row.add_alias(*aliases)
                if k not in dates or date < dates[k]:
                    dates[k] = date
                    row.fields["date"] = [date]
                    params = _params(rec.get("Parameters", ""))
                    row.fields["parameters"] = [] if stripped_size or not params else [params]
                row.add_field("organization", *split_orgs(rec.get("Organization", "")))
                for base in re.split(r",(?! )", rec.get("Base model", "")):
                    got_base = clean_model_name(base) if base.strip() else None
                    if got_base and key(got_base[0]) != k:
                        row.add_field("base_model", got_base[0])
    return list(merged.values())


def _params(text: str) -> str:
    try:
        value = float(text)
    except ValueError:
        return ""
    return str(round(value)) if value >= 1 else ""


# ----------------------------------------------------------------------------------------------- tasks (PwC)

TASK_HEADS = {
    "detection", "segmentation", "classification", "recognition", "estimation", "generation", "prediction",
    "retrieval", "translation", "answering", "reasoning", "tracking", "summarization", "summarisation",
    "parsing", "synthesis", "reconstruction", "localization", "localisation", "completion", "forecasting",
    "captioning", "understanding", "extraction", "alignment", "matching", "labeling", "labelling",
    "tagging", "analysis", "transfer", "removal", "restoration", "enhancement", "inpainting",
    "super-resolution", "editing", "counting", "navigation", "control", "planning", "search", "ranking",
    "recommendation", "modeling", "modelling", "linking", "resolution", "identification",
    "re-identification", "verification", "disambiguation", "inference", "correction", "simplification",
    "normalization", "normalisation", "discovery", "attribution", "grounding", "manipulation",
    "interpolation", "registration", "imputation", "clustering", "denoising", "deblurring", "dehazing",
    "deraining", "desnowing", "colorization", "spotting", "filling", "typing", "diarization", "conversion",
    "separation", "compression", "optimization", "solving", "folding", "diagnosis", "checking", "following",
    "comprehension", "similarity", "dialog", "dialogue", "grasping", "driving", "odometry", "mapping",
    "animation", "rendering", "upsampling", "assessment", "scoring", "grading", "defense", "robustness",
    "selection", "design", "docking", "reading", "transcription", "reranking", "re-ranking", "rewriting",
    "expansion", "reformulation", "suggestion", "paraphrasing", "chunking", "lemmatization",
    "transliteration", "unlearning", "embedding", "coloring", "stylization", "harmonization", "matting",
    "relighting", "retouching", "demosaicking", "deblocking", "qa", "vqa", "recovery", "fusion",
    "authentication", "spoofing", "anti-spoofing", "deduplication", "categorization", "quantification",
    "screening", "triage", "forgery", "morphing", "imaging", "tomography", "sensing", "monitoring",
    "surveillance", "attack", "reidentification", "interpretation", "explanation", "induction",
    "compositing", "decomposition", "factorization", "ordering", "sorting", "evaluation", "prompting",
    "programming", "canonicalization",
}  # fmt: skip
SINGLE_WORD_TASKS = {
    "summarization", "denoising", "deblurring", "dehazing", "deraining", "desnowing", "colorization",
    "inpainting", "super-resolution", "lemmatization", "chunking", "imputation", "diarization",
    "transliteration", "supertagging", "stylization", "demosaicking", "relighting", "matting",
    "deduplication", "paraphrasing", "dialog",
}  # fmt: skip
KEEP_CAPS = {
    "English", "Chinese", "Arabic", "Hindi", "Japanese", "Korean", "German", "French", "Spanish", "Russian",
    "Vietnamese", "Indonesian", "Persian", "Turkish", "Urdu", "Bengali", "Bangla", "Thai", "Portuguese",
    "Italian", "Dutch", "Polish", "Czech", "Swedish", "Hebrew", "Greek", "Tamil", "Telugu", "Marathi",
    "Malayalam", "Kannada", "Gujarati", "Punjabi", "Swahili", "Yoruba", "Amharic", "Sanskrit", "Latin",
    "Cantonese", "Mandarin", "Nepali", "Sinhala", "Kazakh", "Uzbek", "Ukrainian", "Romanian", "Hungarian",
    "Finnish", "Danish", "Norwegian", "Estonian", "Latvian", "Lithuanian", "Slovak", "Croatian", "Serbian",
    "Bulgarian", "Catalan", "Basque", "Welsh", "Irish", "Icelandic", "Afrikaans", "Hausa", "Igbo", "Somali",
    "Tagalog", "Filipino", "Malay", "Burmese", "Khmer", "Mongolian", "Tibetan", "Uyghur", "Pashto",
    "Kurdish", "Armenian", "Georgian", "Quechua", "Maori", "Indic", "Dravidian", "African", "European",
    "Indian", "Asian", "Bayesian", "Gaussian", "Markov", "Monte", "Carlo", "Fourier", "Boolean",
    "Euclidean", "Riemannian", "Hamiltonian", "Turing", "Shapley", "Wasserstein", "Kalman", "Pareto",
    "Nash", "Hawkes", "Hebbian", "Atari", "Python", "Java", "Wikipedia", "Wikidata", "Twitter", "Reddit",
    "Amazon", "YouTube", "Minecraft", "StarCraft", "Dota", "Android", "Linux", "Excel", "Lean", "Coq",
    "Isabelle", "Alzheimer", "Alzheimer's", "Parkinson", "Parkinson's", "Sudoku", "Tetris", "Rubik's",
    "Lego", "Earth", "Doom", "Go", "Shogi", "Hanabi", "Mahjong", "Poker", "Chess", "Ising", "Boltzmann",
    "Hopfield", "Voronoi",
}  # fmt: skip
DROP_TASK = re.compile(
    r"^translation [a-z]{3}|\b(task|subtask|track|level)[ -]?\d|\bshared task\b|\d+ classes\b|:|,|;| - |\?",
    re.IGNORECASE,
)


def task_case(name: str) -> str:
    """Lower-case a PwC task name except acronyms, mixed-case tokens and proper names."""

    def piece(p: str) -> str:
        if not p or p in KEEP_CAPS or is_acronym(p) or any(c.isdigit() for c in p) or not p[1:].islower():
            return p
        return p.lower()

    tokens = name.split()
    if len(tokens) > 1 and sum(len(t) > 4 and is_acronym(t) for t in tokens) >= 2:
        return name.lower()  # "SET TO GRAPH PREDICTION"
    return " ".join("-".join(piece(p) for p in tok.split("-")) for tok in tokens)


def clean_task_name(raw: str) -> tuple[str, list[str]] | None:
    name = clean(raw)
    if looks_junk(name) or DROP_TASK.search(name):
        return None
    aliases: list[str] = []
    if "(" in name:
        base, inners = split_parens(name)
        for inner in inners:
            if is_acronym(inner) and " " not in inner and len(inner) <= 8:
                aliases.append(inner)  # "Named Entity Recognition (NER)"; other parentheses are settings
        name = base
    tokens = name.split()
    if not tokens or len(tokens) > 5 or any(re.fullmatch(r"\d+(\.\d+)?%?", t) for t in tokens):
        return None
    if any(t.lower() in FUNCTION_WORDS - {"of", "to", "and", "in", "for", "from", "with"} for t in tokens):
        return None
    name = task_case(name)
    head = name.split()[-1].split("-")[-1].lower() if name else ""
    whole_last = name.split()[-1].lower()
    if len(tokens) == 1:
        return (name, aliases) if name.lower() in SINGLE_WORD_TASKS else None
    if head not in TASK_HEADS and whole_last not in TASK_HEADS:
        return None
    return name, aliases


def walk_hierarchy(node: dict, parent: str | None, visit) -> None:
    visit(node, parent)
    for child in node.get("children") or []:
        walk_hierarchy(child, node.get("name"), visit)


def walk_leaderboard(task: dict, parent: str | None, visit_task, visit_dataset) -> None:
    name = task.get("task") or ""
    visit_task(name, parent)
    for ds in task.get("datasets") or []:
        _walk_lb_dataset(ds, name, visit_dataset)
    for sub in task.get("subtasks") or []:
        walk_leaderboard(sub, name, visit_task, visit_dataset)


def _walk_lb_dataset(ds: dict, task: str, visit_dataset) -> None:
    if ds.get("dataset"):
        visit_dataset(ds["dataset"], task, (ds.get("sota") or {}).get("metrics") or [])
    for sub in ds.get("subdatasets") or []:
        _walk_lb_dataset(sub, task, visit_dataset)


@dataclass
class PwcRaw:
    """Everything pulled out of the PwC folder, before cleaning."""

    task_names: list[str] = field(default_factory=list)
    parent_links: list[tuple[str, str]] = field(default_factory=list)  # (child, parent), raw names
    task_synonyms: list[tuple[str, str]] = field(default_factory=list)
    datasets: list[tuple[str, str]] = field(default_factory=list)  # (dataset, task), raw names
    metrics: list[str] = field(default_factory=list)


def read_pwc(raw: Path) -> PwcRaw:
    pwc = raw / "pwc"
    out = PwcRaw()
    if (pwc / "all_tasks.txt").exists():
        out.task_names += [
            ln.strip().strip('"') for ln in (pwc / "all_tasks.txt").read_text("utf-8").splitlines()
        ]
    if (pwc / "all_tasks_detailed.csv").exists():
        with (pwc / "all_tasks_detailed.csv").open(encoding="utf-8", newline="") as fh:
            for rec in csv.DictReader(fh):
                task = rec.get("Task Name", "")
                out.task_names.append(task)
                for col in ("Common Datasets (Top 10)", "Benchmarks"):
                    out.datasets += [(d, task) for d in (rec.get(col) or "").split(";")]
                out.metrics += (rec.get("SOTA Metrics") or "").split(";")
    if (pwc / "task_hierarchy.csv").exists():
        with (pwc / "task_hierarchy.csv").open(encoding="utf-8", newline="") as fh:
            for rec in csv.DictReader(fh):
                parent = rec.get("Parent Task", "")
                for child in (rec.get("Child Tasks") or "").split(";"):
                    child = child.strip().removesuffix("...")
                    if child and parent:
                        out.parent_links.append((child, parent))
    for path in sorted(pwc.glob("*_hierarchy.json")):
        data = json.loads(path.read_text("utf-8"))

        def visit(node: dict, parent: str | None) -> None:
            name = node.get("name") or ""
            out.task_names.append(name)
            if parent:
                out.parent_links.append((name, parent))
            out.datasets += [(b, name) for b in node.get("benchmarks") or []]
            out.metrics += node.get("metrics") or []

        for top in data.get("hierarchical_tasks", []) + data.get("standalone_tasks", []):
            walk_hierarchy(top, None, visit)
    lb = pwc / "leaderboards"
    for path in sorted(lb.glob("*.json")) if lb.exists() else []:
        data = json.loads(path.read_text("utf-8"))

        def visit_task(name: str, parent: str | None) -> None:
            out.task_names.append(name)
            if parent:
                out.parent_links.append((name, parent))

        def visit_dataset(name: str, task: str, metrics: list[str]) -> None:
            out.datasets.append((name, task))
            out.metrics.extend(metrics)

        for task in data if isinstance(data, list) else [data]:
            walk_leaderboard(task, None, visit_task, visit_dataset)
    if (lb / "synonyms.csv").exists():
        with (lb / "synonyms.csv").open(encoding="utf-8", newline="") as fh:
            for rec in csv.DictReader(fh, skipinitialspace=True):
                out.task_synonyms.append((rec.get("task", ""), rec.get("synonym", "")))
    return out


# ----------------------------------------------------------------------------------------------- datasets

SPLIT_SUFFIX = re.compile(
    r"\s+(test|val|valid|validation|dev|train|test-dev|test-std|test-challenge|testa|testb|test-clean|"
    r"test-other|dev-clean|dev-other|minival|test set|val set|validation set|dev set|split|subset|full|"
    r"public|private|leaderboard|\d+x\d+|\d+k|\d+-shot)$",
    re.IGNORECASE,
)
DATASET_DROP_TOKENS = {
    "task", "subtask", "track", "shot", "shots", "steps", "frames", "nodes", "classes", "labeled", "fold",
    "noise", "setting", "per", "class", "samples", "labels", "results", "metrics", "datasets", "trained",
    "dim", "unseen", "seen", "zero-shot", "few-shot", "accuracy", "score", "wer", "bleu", "f1", "em",
}  # fmt: skip
CONTAINER_HEADS = {"dataset", "corpus", "benchmark", "data", "collection", "database"}


VARIANT_SUFFIX = re.compile(
    r"([\s-](full|val|univariate|multivariate|small|medium|large|xlarge|easy|moderate|hard|camera only|"
    r"lidar only|clean|noisy|all|overall|average|mean))+$",
    re.IGNORECASE,
)


def clean_dataset_name(raw: str, known: dict[str, str] | None = None) -> tuple[str, list[str]] | None:
    """Return (name, aliases) or None. ``known`` maps keys of curated names to their type."""
    name = clean(raw).rstrip(":")
    if not name or "->" in name or "→" in name or re.search(r"\bto\b|-to-", name):
        return None  # domain-adaptation pairs "GTAV to Cityscapes"
    name = clean(re.split(r" - | – |, |: ", name)[0])
    if name.count("(") != name.count(")"):
        name = clean(name.split("(")[0])
    aliases: list[str] = []
    if "(" in name:
        base, inners = split_parens(name)
        for inner in inners:
            if is_acronym(inner) and " " not in inner and initials_match(inner, base):
                aliases.append(inner)
        name = base
    prev = None
    while prev != name:
        prev = name
        name = VARIANT_SUFFIX.sub("", SPLIT_SUFFIX.sub("", name)).strip()
    if looks_junk(name) or "+" in name or "_" in name or "/" in name or "@" in name or "%" in name:
        return None
    tokens = name.split()
    if len(tokens) > 6 or len(name) < 3:
        return None
    low = [t.casefold() for t in tokens]
    if any(t in FUNCTION_WORDS for t in low) or any(t in DATASET_DROP_TOKENS for t in low):
        return None
    if low[-1] in TASK_HEADS:
        return None  # a task description ("Gendered Ambiguous Pronoun Resolution")
    for i, tok in enumerate(tokens):
        if (
            re.fullmatch(r"\d+(\.\d+)?%?", tok)
            and i < len(tokens) - 1
            and not re.fullmatch(r"(19|20)\d\d", tok)
        ):
            return None  # "Kinetics-600 48 frames"
    if len(tokens) == 1 and is_word(tokens[0]):
        return None  # "Custom", "Electricity", "pendigits"
    if len(tokens) > 1 and all(t.islower() for t in tokens) or re.search(r"\bet al\b", name):
        return None  # "foggy zurich", "en pt br", "Deng et al"
    if name.isalpha() and name.isupper() and len(name) <= 3:
        return None  # "HAR", "SOD", "MAD": three letters name too many other things
    if all_common(tokens) or any(t.isalpha() and t.islower() and t in COMMON for t in tokens):
        return None  # "News Headlines", "SEED", "bAbi Children's Book comprehension"
    if low[-1] in CONTAINER_HEADS and all(is_word(t) for t in tokens[:-1]):
        return None  # "Radar Dataset", "Reddit Corpus"
    if known and len(tokens) > 1:
        if any(known.get(key(t)) in (MODEL, METHOD) for t in tokens):
            return None  # "ImageNet ResNet-50": a result row, not a dataset
        if known.get(key(tokens[0])) == DATASET and not all(
            re.fullmatch(r"v?\d+(\.\d+)*", t, re.IGNORECASE) for t in tokens[1:]
        ):
            return None  # "KITTI Cars Moderate": a slice of a dataset we already have
    return name, aliases


# ----------------------------------------------------------------------------------------------- metrics

AT_K = re.compile(
    r"^(recall|r|hits?|precision|p|ndcg|mrr|map|ap|acc|accuracy|pass|success)@\d+$", re.IGNORECASE
)


# ----------------------------------------------------------------------------------------------- assembly


class Vocab:
    """Rows per type, indexed by key; curated rows are added first and raw rows merge into them."""

    def __init__(self, curated: dict[str, list[Row]], stop: dict[str, set[str]]) -> None:
        self.rows: dict[str, dict[str, Row]] = {t: {} for t in TYPES}
        self.alias_index: dict[str, dict[str, str]] = {t: {} for t in TYPES}  # type -> alias key -> row key
        self.curated_types: dict[str, set[str]] = {}  # key of any curated name/alias -> types claiming it
        self.stop = stop
        for kind, rows in curated.items():
            for row in rows:
                self._insert(row)
                for k in row.all_keys():
                    self.curated_types.setdefault(k, set()).add(kind)

    def _insert(self, row: Row) -> None:
        k = key(row.name)
        if k in self.rows[row.type]:
            raise SystemExit(f"curated {row.type} {row.name!r} listed twice")
        self.rows[row.type][k] = row
        for a in row.aliases:
            self.alias_index[row.type].setdefault(key(a), k)

    def stopped(self, kind: str, name: str) -> bool:
        k = key(name)
        return k in self.stop.get(kind, set()) or k in self.stop.get("*", set())

    def find(self, kind: str, name: str) -> Row | None:
        k = key(name)
        if k in self.rows[kind]:
            return self.rows[kind][k]
        target = self.alias_index[kind].get(k)
        return self.rows[kind][target] if target else None

    def add_raw(self, row: Row) -> Row | None:
        """Merge a raw row into a matching row of its type, or add it; None when it was refused."""
        k = key(row.name)
        if not k or self.stopped(row.type, row.name):
            return None
        claimed = self.curated_types.get(k)
        if claimed and row.type not in claimed:
            return None  # the curated lists give this name another type
        existing = self.find(row.type, row.name)
        if existing is not None:
            existing.add_alias(row.name, *row.aliases)
            for f, values in row.fields.items():
                if not existing.fields.get(f) or f in LIST_FIELDS:
                    existing.add_field(f, *values)
            if not existing.curated:
                existing.flags |= row.flags
            return existing
        self._insert(row)
        return row

    def resolve_types(self) -> None:
        """A key held by several types: curated rows keep it, otherwise the first type in RAW_PRIORITY."""
        holders: dict[str, list[str]] = {}
        for kind in RAW_PRIORITY:
            for k in self.rows[kind]:
                holders.setdefault(k, []).append(kind)
        for k, kinds in holders.items():
            if len(kinds) < 2:
                continue
            curated = [kind for kind in kinds if self.rows[kind][k].curated]
            keep = set(curated) if curated else {kinds[0]}
            for kind in kinds:
                if kind not in keep:
                    del self.rows[kind][k]

    def clean_aliases(self) -> None:
        """Drop aliases naming another row of the same type, and raw aliases two rows of one type share."""
        for kind in TYPES:
            rows = self.rows[kind]
            holders: dict[str, set[str]] = {}
            for rk, row in rows.items():
                for a in row.aliases:
                    holders.setdefault(key(a), set()).add(rk)
            for rk, row in rows.items():
                keep = []
                for a in row.aliases:
                    ak = key(a)
                    if ak in rows and ak != rk:
                        continue  # "Kimi K2" is its own row, not an alias of "Kimi"
                    if len(holders[ak]) > 1 and not row.curated:
                        continue  # ambiguous between two rows: a raw row gives it up
                    keep.append(a)
                row.aliases = keep


def build(raw: Path, curated_dir: Path = CURATED) -> dict[str, list[Row]]:
    """Return the final rows per type (sorted)."""
    vocab = Vocab(load_curated(curated_dir), load_stoplist(curated_dir))
    COMMON.clear()
    COMMON.update(common_words(raw, curated_dir))
    known = {k: sorted(kinds)[0] for k, kinds in vocab.curated_types.items() if len(kinds) == 1}
    pwc = read_pwc(raw)

    # methods first: PwC "... learning" tasks are learning paradigms (Methods per the guidelines)
    task_rows: dict[str, Row] = {}
    for raw_name in pwc.task_names:
        got = clean_task_name(raw_name) if raw_name else None
        if got is None:
            lowered = task_case(clean(re.sub(r"\([^()]*\)", " ", raw_name or "")))
            if lowered.endswith(" learning") and 2 <= len(lowered.split()) <= 3 and not looks_junk(lowered):
                vocab.add_raw(Row(METHOD, lowered))
            continue
        name, aliases = got
        row = Row(TASK, name)
        row.add_alias(*aliases)
        added = vocab.add_raw(row)
        if added is not None:
            task_rows[key(raw_name)] = added
    for task, synonym in pwc.task_synonyms:
        row = vocab.find(TASK, clean_task_name(task)[0]) if clean_task_name(task) else None
        if row is not None and clean(synonym):
            row.add_alias(task_case(clean(synonym)))

    for model in epoch_models(raw):
        if (
            model.name.isalpha()
            and is_word(model.name)
            or len(model.name.split()) > 1
            and all(is_word(t) for t in model.name.split())
        ):
            model.flags.add("cs")
        model.add_alias(*spelling_variants(model.name))
        vocab.add_raw(model)

    task_votes: dict[str, dict[str, int]] = {}  # dataset key -> task name -> how often PwC pairs them
    for raw_name, raw_task in pwc.datasets:
        got = clean_dataset_name(raw_name, known) if raw_name and raw_name.strip() else None
        if got is None:
            continue
        name, aliases = got
        row = Row(DATASET, name)
        row.add_alias(*aliases)
        if all(is_word(t) for t in name.split()) or (is_acronym(name) and name.isalpha() and len(name) <= 5):
            row.flags.add("cs")
        t = vocab.find(TASK, clean_task_name(raw_task)[0]) if raw_task and clean_task_name(raw_task) else None
        added = vocab.add_raw(row)
        if t is not None and added is not None:
            votes = task_votes.setdefault(key(added.name), {})
            votes[t.name] = votes.get(t.name, 0) + 1

    for metric in pwc.metrics:
        m = clean(metric)
        if not m or looks_junk(m):
            continue
        existing = vocab.find(METRIC, m)
        if existing is not None:
            existing.add_alias(m)
        elif AT_K.match(m.replace(" ", "")):
            vocab.add_raw(Row(METRIC, m))

    vocab.resolve_types()
    vocab.clean_aliases()
    _finish_tasks(vocab, pwc)
    _finish_models(vocab)
    _finish_methods(vocab)
    _finish_datasets(vocab, task_votes)
    _dedupe_aliases(vocab)
    return {
        kind: sorted(vocab.rows[kind].values(), key=lambda r: (r.name.casefold(), r.name)) for kind in TYPES
    }


def _plausible_parent(child: str, parent: str) -> bool:
    """PwC's hierarchy links unrelated tasks; keep a link only when the names agree.

    Either the parent's name is inside the child's ("few-shot object detection" < "object detection"), or both
    share the head word and another word and the parent is shorter ("3D multi-person pose estimation" <
    "3D human pose estimation").
    """
    c, p = child.lower(), parent.lower()
    if c == p:
        return False
    if re.search(r"(^|[\s-])" + re.escape(p) + r"$", c):
        return True
    ct, pt = re.split(r"[\s-]+", c), re.split(r"[\s-]+", p)
    return ct[-1] == pt[-1] and len(pt) < len(ct) and bool(set(ct[:-1]) & set(pt[:-1]))


def _finish_tasks(vocab: Vocab, pwc: PwcRaw) -> None:
    tasks = vocab.rows[TASK]
    candidates: dict[str, set[str]] = {}
    for child_raw, parent_raw in pwc.parent_links:
        child = vocab.find(TASK, _task_or_raw(child_raw))
        parent = vocab.find(TASK, _task_or_raw(parent_raw))
        if child is None or parent is None or child is parent or child.curated and child.fields.get("parent"):
            continue
        if _plausible_parent(child.name, parent.name):
            candidates.setdefault(key(child.name), set()).add(parent.name)
    for ck, parents in candidates.items():
        row = tasks[ck]
        if row.fields.get("parent"):
            continue
        # most specific first: a parent contained in the child's name, then the longest, then alphabetical
        best = sorted(parents, key=lambda p: (p.lower() not in row.name.lower(), -len(p), p))[0]
        row.fields["parent"] = [best]
    for row in tasks.values():  # curated parents must exist
        parent = row.fields.get("parent")
        if parent and key(parent[0]) not in tasks:
            row.fields["parent"] = []
        elif parent:
            row.fields["parent"] = [tasks[key(parent[0])].name]
    for row in tasks.values():  # break cycles
        seen = {key(row.name)}
        cur = row
        while cur.fields.get("parent"):
            pk = key(cur.fields["parent"][0])
            if pk in seen:
                cur.fields["parent"] = []
                break
            seen.add(pk)
            cur = tasks[pk]


def _task_or_raw(raw: str) -> str:
    got = clean_task_name(raw)
    return got[0] if got else clean(raw)


def _finish_models(vocab: Vocab) -> None:
    models = vocab.rows[MODEL]
    for row in models.values():
        bases = [models[key(b)].name for b in row.fields.get("base_model", []) if key(b) in models]
        row.fields["base_model"] = [b for b in dict.fromkeys(bases) if key(b) != key(row.name)]
        if row.curated:
            row.add_alias(
                *(v for v in spelling_variants(row.name) if key(v) not in models or key(v) == key(row.name))
            )


def _finish_methods(vocab: Vocab) -> None:
    for row in vocab.rows[METHOD].values():
        forms = plural_forms(row.name)
        for a in list(row.aliases):
            forms += plural_forms(a) if is_acronym(a.split()[-1]) or " " in a else []
        row.add_alias(*(f for f in forms if key(f) not in vocab.rows[METHOD] or key(f) == key(row.name)))


def _finish_datasets(vocab: Vocab, task_votes: dict[str, dict[str, int]]) -> None:
    """Curated tasks first, then the tasks PwC pairs the dataset with most often; at most five."""
    tasks = vocab.rows[TASK]
    for dk, row in vocab.rows[DATASET].items():
        names = [tasks[key(t)].name for t in row.fields.get("tasks", []) if key(t) in tasks]
        votes = task_votes.get(dk, {})
        names += sorted((t for t in votes if key(t) in tasks), key=lambda t: (-votes[t], t.casefold(), t))
        row.fields["tasks"] = list(dict.fromkeys(names))[:5]


def _dedupe_aliases(vocab: Vocab) -> None:
    """Case-only variants add nothing to a case-insensitive term ("bleu" next to "BLEU")."""
    for kind in TYPES:
        for row in vocab.rows[kind].values():
            if "cs" in row.flags:
                continue
            seen = {row.name.casefold()}
            keep = []
            for a in row.aliases:
                if a.casefold() not in seen:
                    seen.add(a.casefold())
                    keep.append(a)
            row.aliases = keep


# ----------------------------------------------------------------------------------------------- output


def generate_tsv(kind: str, rows: Iterable[Row]) -> Iterator[str]:
    """Yield the lines of one vocabulary file (header first)."""
    cols = COLUMNS[kind]
    yield "\t".join(cols)
    for row in rows:
        out = []
        for col in cols:
            if col == "name":
                out.append(row.name)
            elif col == "aliases":
                out.append("|".join(row.aliases))
            elif col == "flags":
                out.append(",".join(sorted(row.flags)))
            else:
                out.append("|".join(row.fields.get(col, [])))
        for value in out:
            assert "\t" not in value and "\n" not in value, value
        yield "\t".join(out)


def write_all(rows: dict[str, list[Row]], out_dir: Path) -> dict[str, int]:
    out_dir.mkdir(parents=True, exist_ok=True)
    counts = {}
    for kind in TYPES:
        lines = list(generate_tsv(kind, rows[kind]))
        (out_dir / FILES[kind]).write_bytes(("\n".join(lines) + "\n").encode("utf-8"))
        counts[FILES[kind]] = len(lines) - 1
    tasks = {key(r.name): r for r in rows[TASK]}
    links = sorted(
        ((r.name, r.fields["parent"][0]) for r in rows[TASK] if r.fields.get("parent")),
        key=lambda cp: (cp[0].casefold(), cp[0]),
    )
    assert all(key(p) in tasks for _, p in links)
    text = "child\tparent\n" + "".join(f"{c}\t{p}\n" for c, p in links)
    (out_dir / "task_hierarchy.tsv").write_bytes(text.encode("utf-8"))
    counts["task_hierarchy.tsv"] = len(links)
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("raw_dir", type=Path, help="folder laid out like shared/vocab (pwc/, epoch/)")
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help="output folder (default: kg/data/vocab)"
    )
    parser.add_argument("--curated", type=Path, default=CURATED, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if not (args.raw_dir / "pwc").is_dir() and not (args.raw_dir / "epoch").is_dir():
        print(
            f"error: {args.raw_dir} has neither pwc/ nor epoch/; pass the raw vocabulary folder",
            file=sys.stderr,
        )
        return 1
    counts = write_all(build(args.raw_dir, args.curated), args.out)
    for fname, n in counts.items():
        print(f"{fname}\t{n}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
