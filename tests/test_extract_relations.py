"""Entity→entity statements and stated results, on minimal texts."""

from __future__ import annotations

from kg.extract import extract_all


def _links(nlp, title: str, abstract: str) -> set[tuple[str, str, str]]:
    return {(ln.source, ln.relation, ln.target) for ln in extract_all(nlp, "p", title, abstract).links}


def test_outperforms_and_evaluated_on(nlp) -> None:
    links = _links(nlp, "FooNet: Fast Image Models",
                   "We propose FooNet. FooNet outperforms ResNet-50 and ViT-B on the ImageNet dataset.")  # fmt: skip
    assert ("FooNet", "outperforms", "ResNet-50") in links
    assert ("FooNet", "evaluatedOn", "ImageNet") in links


def test_based_on(nlp) -> None:
    links = _links(nlp, "BarLM: A Small Model", "We introduce BarLM, a language model based on LLaMA.")
    assert ("BarLM", "basedOn", "LLaMA") in links


def test_applied_to_task(nlp) -> None:
    links = _links(nlp, "QuxNet: Segmenting Cells", "We propose QuxNet for semantic segmentation of cells.")
    assert ("QuxNet", "appliedTo", "semantic segmentation") in links


def test_no_link_without_a_cue(nlp) -> None:
    links = _links(nlp, "A Survey", "BERT and GPT-2 are language models.")
    assert not any(rel in {"outperforms", "basedOn"} for _, rel, _ in links)


def test_stated_result_from_to(nlp) -> None:
    ex = extract_all(nlp, "p", "GR-9: Robots",
                     "We propose GR-9. It improves the success rate from 88.9% to 94.9% on the CALVIN benchmark.")  # fmt: skip
    (r,) = ex.results
    assert (r.model, r.metric, r.dataset, r.value, r.value_text) == (
        "GR-9",
        "success rate",
        "CALVIN",
        94.9,
        "94.9%",
    )
