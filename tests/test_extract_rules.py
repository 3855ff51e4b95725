"""Each extraction rule on minimal sentences, including the known traps."""

from __future__ import annotations

import pytest

from kg.extract.acronyms import best_long_form, find_abbreviations
from kg.extract.cues import list_items, proposal_regions, title_prefix
from kg.extract.names import looks_like_name, type_from_head, type_from_shape
from kg.extract.phrases import noun_phrases
from kg.records import EntityType
from kg.text import match_key


@pytest.mark.parametrize(
    ("text", "pairs"),
    [
        ("Generative Pre-trained Transformer (GPT) models", [("GPT", "Generative Pre-trained Transformer")]),
        ("optimised with Adam (Kingma) and", []),
        (
            "Bidirectional Encoder Representations from Transformers(BERT) and",
            [("BERT", "Bidirectional Encoder Representations from Transformers")],
        ),
        ("video diffusion models (VDMs) generate", [("VDMs", "video diffusion models")]),
        ("REPresentation Alignment (REPA), a simple", [("REPA", "REPresentation Alignment")]),
        ("the results (e.g. accuracy) improve", []),
        ("we (the authors) find", []),
        ("MTEB (Massive Text Embedding Benchmark) covers", [("MTEB", "Massive Text Embedding Benchmark")]),
    ],  # fmt: skip
)
def test_acronym_definitions(text: str, pairs: list[tuple[str, str]]) -> None:
    assert [(a.short, a.long) for a in find_abbreviations(text)] == pairs


def test_acronym_offsets_point_at_the_text() -> None:
    text = "We use low-rank adaptation (LoRA) here."
    (ab,) = find_abbreviations(text)
    assert text[ab.long_start : ab.long_end] == "low-rank adaptation"
    assert text[ab.short_start : ab.short_end] == "LoRA"


def test_best_long_form_rejects_unrelated_words() -> None:
    assert best_long_form("XYZ", "the cat sat on the mat") is None


@pytest.mark.parametrize(
    ("token", "expected"),
    [("GPT-4o", True), ("Llama-3.1", True), ("PaliGemma", True), ("ViD-GPT", True), ("GPTQ", True),
     ("Attention", False), ("The", False), ("A100", False), ("FP16", False), ("COVID-19", False), ("3.25x", False),
     ("II", False)],
)  # fmt: skip
def test_name_shapes(token: str, expected: bool) -> None:
    assert looks_like_name(token) is expected


def test_shape_types() -> None:
    assert type_from_shape("FaceScanGPT") is EntityType.MODEL
    assert type_from_shape("Llama-3.1 8B") is EntityType.MODEL
    assert type_from_shape("REPA") is None  # a bare acronym says nothing by itself
    assert type_from_head("benchmark, which") is EntityType.DATASET
    assert type_from_head("framework for") is EntityType.METHOD


def test_noun_phrases_stop_at_verbs_and_adjectives() -> None:
    text = "we introduce causal temporal attention and achieve impressive video generation"
    got = [(text[s:e], t) for s, e, t in noun_phrases(text)]
    assert got == [("causal temporal attention", EntityType.METHOD), ("video generation", EntityType.TASK)]


def test_noun_phrase_needs_a_modifier() -> None:
    assert list(noun_phrases("generation is hard")) == []


def test_proposal_region_covers_the_object() -> None:
    text = "In this paper, we propose GPTQ, a new one-shot weight quantization method. It works."
    (s, e) = next(proposal_regions(text))
    assert text[s:e].strip().startswith("GPTQ")
    assert "It works" not in text[s:e]


def test_list_cue_items() -> None:
    text = "Various datasets like FairFace, AffectNet, and UTKFace have been utilized."
    assert [text[s:e] for s, e, _ in list_items(text)] == ["FairFace", "AffectNet", "UTKFace"]


@pytest.mark.parametrize(
    ("title", "name", "type_"),
    [
        ("GPTQ: Accurate Post-Training Quantization for Generative Pre-trained Transformers", "GPTQ", None),
        ("DecodingTrust: A Comprehensive Benchmark of Trust", "DecodingTrust", EntityType.DATASET),
        ("Is Model Collapse Inevitable? Breaking the Curse", None, None),
        ("Attention Is All You Need", None, None),
    ],
)
def test_title_prefix(title: str, name: str | None, type_: EntityType | None) -> None:
    got = title_prefix(title)
    if name is None:
        assert got is None
    else:
        assert got is not None and title[got[0] : got[1]] == name and got[2] is type_


def test_match_key_is_idempotent_on_its_own_output() -> None:
    for s in ("GPT-4", "the GLUE benchmark", "diffusion models", "Pre-Training"):
        assert match_key(match_key(s)) == match_key(s)


# --- the traps, end to end through the pipeline ---------------------------------------------------------------


def test_attention_at_sentence_start_is_not_a_name(extract) -> None:
    got = extract("A Study", "Attention is what we pay to details. We test it on ImageNet.")
    assert "Attention" not in got
    assert got["ImageNet"] == ("Dataset", "used")


def test_bert_like_mentions_bert(extract) -> None:
    got = extract("A Study", "We train BERT-like encoders and GPT-style decoders.")
    assert got.get("BERT") == ("Model", "used")
    assert got.get("GPT") == ("Model", "used")
    assert "BERT-like" not in got


def test_task_phrase_inside_a_method_name_stays_inside(extract) -> None:
    got = extract("A Study", "We use retrieval-augmented generation for open-domain question answering.")
    assert got.get("retrieval-augmented generation", ("", ""))[0] == "Method"
    assert "generation" not in got


def test_acronym_defined_after_first_use_joins_both(nlp) -> None:
    from kg.extract import extract_paper

    text = "ZQX works well on tables. We study zero-query extraction (ZQX) here."
    ms = extract_paper(nlp, "p", "Tables", text)
    zqx = [m for m in ms if m.name == "ZQX" or "ZQX" in m.aliases]
    assert len(zqx) == 1
    assert "zero-query extraction" in {zqx[0].name, *zqx[0].aliases}
    assert zqx[0].type.value == "Task"
    # the earlier bare use is part of the same entity: its first offset is the first use
    assert zqx[0].start == len("Tables\n\n")


def test_proposal_cue_makes_a_new_name_proposed(extract) -> None:
    got = extract(
        "Efficient Tables", "In this paper, we propose TabMix, a novel framework for table parsing."
    )
    assert got["TabMix"] == ("Method", "proposed")


def test_known_model_after_our_is_not_proposed(extract) -> None:
    got = extract("Scaling", "We train a large BERT model; our BERT model reaches 90% accuracy.")
    assert got["BERT"] == ("Model", "used")


def test_dataset_head_cue_types_an_unknown_name(extract) -> None:
    got = extract("A Study", "Results on the FooBarQA benchmark improve.")
    assert got["FooBarQA"] == ("Dataset", "used")


def test_urls_are_not_entities(extract) -> None:
    got = extract("A Study", "Code is at https://github.com/Foo-Lab/BarNet-2.")
    assert not any("github" in name.lower() or "BarNet" in name for name in got)


def test_variant_of_a_known_dataset_is_a_dataset_and_of_a_known_model_a_model(extract) -> None:
    got = extract("Zeta", "We train Zorblax with CelebA-Zeta and FFHQ-1024 and compare it with LLaMA-Zeta.")
    assert got["CelebA-Zeta"][0] == "Dataset"
    assert got["FFHQ-1024"][0] == "Dataset"  # digits alone would make it a model
    assert got["LLaMA-Zeta"][0] == "Model"


def test_names_listed_after_on_are_datasets_but_not_after_based_on(extract) -> None:
    got = extract(
        "Zeta",
        "Experiments on Qorp-7K, Vantis-2 and Florb3D show gains. Our system is based on Marvin-2.",
    )
    assert got["Qorp-7K"][0] == "Dataset"
    assert got["Vantis-2"][0] == "Dataset"
    assert got["Florb3D"][0] == "Dataset"
    assert got["Marvin-2"][0] == "Model"


def test_bare_acronym_after_on_is_not_typed_a_dataset(extract) -> None:
    got = extract("Zeta", "The accelerator stores weights on DRAM and runs fast.")
    assert got.get("DRAM", ("",))[0] != "Dataset"


def test_architecture_classes_in_a_models_list_stay_methods(extract) -> None:
    got = extract(
        "Zeta", "Generative models (e.g., GANs, diffusion models) and models such as Zorblax-7B learn data."
    )
    assert got["generative adversarial network"][0] == "Method"  # the vocabulary name of "GANs"
    assert got["diffusion model"][0] == "Method"
    assert got["Zorblax-7B"][0] == "Model"


def test_slash_joined_names_are_two_entities(extract) -> None:
    got = extract("Zeta", "It runs twice as fast as PubMedBERT/BioBERTBase-v1.1 and supports input/output.")
    assert got["PubMedBERT"][0] == "Model"
    assert got["BioBERTBase-v1.1"][0] == "Model"
    assert "PubMedBERT/BioBERTBase-v1.1" not in got


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Zorblax: Self-Supervised Audio Spectrogram Transformer", "Model"),
        ("Zorblax: Transformer-based GAN for High-Resolution Image Generation", "Model"),
        ("Zorblax: Searching for Efficient Transformers for Language Modeling", None),
        ("Zorblax: A Benchmark for Transformer Networks", "Dataset"),
    ],
)
def test_subtitle_ending_in_a_network_word_makes_the_title_name_a_model(
    title: str, expected: str | None
) -> None:
    tp = title_prefix(title)
    assert tp is not None
    assert (tp[2].value if tp[2] else None) == expected


def test_process_does_not_end_a_method_phrase(extract) -> None:
    got = extract(
        "Zeta", "We model the text generation process and the inference process with Gaussian processes."
    )
    assert not [n for n in got if n.endswith(("process", "processes")) and n != "Gaussian process"]
    assert got["Gaussian process"][0] == "Method"


def test_lower_case_task_lists_are_tasks(extract) -> None:
    got = extract(
        "Zeta", "LLMs excel at tasks such as chatting, zorbic folding, and question-answering. We study them."
    )
    assert got["chatting"] == ("Task", "used")
    assert got["zorbic folding"] == ("Task", "used")
    assert got["question answering"][0] == "Task"  # the vocabulary's form of "question-answering"


def test_task_list_skips_adjectives_quantifiers_and_open_endings() -> None:
    from kg.extract.cues import task_list_items

    text = "on tasks such as generative, various probing, graph- and node-level prediction. Also tasks like summarization and translation show gains"
    assert [text[s:e] for s, e in task_list_items(text)] == ["node-level prediction", "summarization"]


def test_a_proposed_contribution_named_like_a_task_is_a_method(extract) -> None:
    got = extract(
        "Zeta",
        "In this paper, we propose a simple method, namely Zorbic Token Prediction (ZTP), for retrieval.",
    )
    name = next(n for n in got if n in ("ZTP", "Zorbic Token Prediction"))
    assert got[name] == ("Method", "proposed")


def test_sizes_of_a_proposed_model_are_proposed(extract) -> None:
    got = extract(
        "Zorbformer: an efficient transformer language model",
        "We present Zorbformer. We pretrained two models (named Zorbformer8L and Zorbformer-16L) that beat BERT.",
    )
    assert got["Zorbformer"][1] == "proposed"
    assert got["Zorbformer8L"][1] == "proposed"
    assert got["Zorbformer-16L"][1] == "proposed"
    assert got["BERT"][1] == "used"


def test_two_word_camel_case_names_match_in_any_case_styled_acronyms_do_not(extract) -> None:
    got = extract(
        "Zeta", "We pretrain on Librispeech and test on Hellaswag, then devise a core method to deliver it."
    )
    assert got["LibriSpeech"][0] == "Dataset"
    assert got["HellaSwag"][0] == "Dataset"
    assert not {"DeViSE", "CoRe", "DeLiVER"} & set(got)


def test_propose_to_verb_keeps_the_clause_as_a_proposal_region() -> None:
    text = "We propose to pretrain the encoder with masked zorbic patch modeling (MZPM) for speed."
    (region,) = proposal_regions(text)
    assert "masked zorbic patch modeling" in text[region[0] : region[1]]


def test_transformers_listed_by_name_are_models_and_mixed_case_plurals_are_singular(extract) -> None:
    got = extract(
        "Zeta", "It helps diffusion and flow-based transformers, such as ZiTs and QiTs. Zeta is fast."
    )
    assert got["ZiT"][0] == "Model"
    assert got["QiT"][0] == "Model"
    got = extract("Zeta", "It probes pre-trained transformers, namely Emergent Zorbularity. Zeta is fast.")
    assert "Emergent Zorbularity" not in got


def test_metric_written_with_equals_sign_is_found(extract) -> None:
    got = extract("Zeta", "Zeta reaches FID=1.42 and accuracy=92.1% on the test set.")
    assert got["Fréchet Inception Distance"][0] == "Metric"
    assert got["accuracy"][0] == "Metric"
