"""Fact extraction from papers (abstract and full text): data and metric names found by how papers
write them (names no list holds, from several fields), supervision, families, code, reported numbers
and links between papers — each with the paper's own sentence as evidence."""

from __future__ import annotations

from review_corpus import DECOY, VAD, abstract_only, parsed_for, seed_papers

from agent.review.facts.extract import paper_facts
from agent.review.facts.names import aliases, dataset_names, metric_names
from agent.review.facts.relations import foundations_first, relations
from agent.review.facts.results import reported_results
from memory.records import LibraryPaper
from tools.document import Paragraph, ParsedPaper, Reference, Section, Table
from tools.paper import Paper


def test_data_names_come_from_how_papers_write_them_in_any_field() -> None:
    cases = {
        "We evaluate on the Zorblax-3k benchmark and report accuracy.": ["Zorblax-3k"],
        "Experiments on PubMedQA and MedMCQA show that our retriever helps.": ["PubMedQA", "MedMCQA"],
        "We train on the LibriSpeech corpus and test on the Quuxvox dataset.": ["LibriSpeech", "Quuxvox"],
        "Results on three benchmarks, Frobnic-v2, TallyBench and Snark 9, confirm this.":
            ["Frobnic-v2", "TallyBench", "Snark 9"],
        "We introduce the Grand Unified Log (GULOG) dataset of server traces.": ["GULOG"],
    }
    for sentence, names in cases.items():
        assert dataset_names(sentence) == names, sentence
    for sentence in ("Our method is built on CLIP and evaluated carefully.", "Large dataset sizes help.",
                     "Table 2 compares the results of all methods.", "We propose a new dataset for surgery."):
        assert dataset_names(sentence) == [], sentence


def test_metrics_include_acronyms_a_paper_defines() -> None:
    assert metric_names("We report the normalized edit distance (NED) and word error rate (WER).") == ["WER", "NED"]
    assert metric_names("It reaches 71.0 pass@1 and a higher AUC.") == ["AUC", "pass@1"]
    assert metric_names("Precision alone is an English word.") == []


def test_spellings_of_one_benchmark_are_matched_under_the_shortest() -> None:
    spelled = aliases(["UCF-Crime", "UCF Crime", "UCSD Ped2", "Ped2", "XD-Violence"])
    assert spelled["ucfcrime"] == "UCF-Crime" and spelled["ucsdped2"] == "Ped2" and spelled["ped2"] == "Ped2"


def test_facts_of_a_full_text_paper_come_from_its_own_sections_with_evidence(tmp_path) -> None:
    paper = seed_papers(VAD, 1)[0]
    record = LibraryPaper(paper=paper, parsed=parsed_for(paper, tmp_path, "SegScore"))
    facts = paper_facts(record)
    values = {kind: [f.value for f in facts.of(kind)] for kind in ("dataset", "metric", "code")}
    assert {"UCF-Crime", "XD-Violence"} <= set(values["dataset"]) and {"AUC", "AP"} <= set(values["metric"])
    assert values["code"] == ["https://github.com/example/segscore"]
    assert "ImageNet" not in values["dataset"] and "Kinetics-700" not in values["dataset"]  # related work
    for fact in facts.facts:
        assert fact.evidence != DECOY
        assert fact.value.lower() in fact.evidence.lower() or fact.kind in ("supervision", "family", "task")
    ucf = facts.find("dataset", "ucfcrime")
    assert ucf.section == "Experiments" and ucf.page == 5


def test_facts_of_abstract_and_title_only_papers() -> None:
    abstract = Paper(arxiv_id="2401.00001", title="Weakly Supervised Grounding with Transformers",
                     abstract="We propose GroundX, a weakly supervised transformer. Experiments on the "
                              "Zorblax-3k benchmark show 61.2% accuracy. Code: https://github.com/x/groundx")
    facts = paper_facts(abstract_only(abstract))
    assert [f.value for f in facts.of("supervision")] == ["weakly supervised"]
    assert "transformers" in [f.value for f in facts.of("family")]
    assert [f.value for f in facts.of("dataset")] == ["Zorblax-3k"]
    assert facts.of("code")[0].value == "https://github.com/x/groundx"
    titled = paper_facts(abstract_only(Paper(arxiv_id="2401.00002", title="Open-Vocabulary Video Anomaly Detection")))
    assert {f.section for f in titled.facts} == {"Title"}
    assert "video anomaly detection" in [f.value for f in titled.of("task")]


def test_a_method_family_others_use_is_not_the_papers_own() -> None:
    paper = Paper(arxiv_id="2401.00003", title="Counting Crowds",
                  abstract="Unlike existing diffusion models, we count people with a small network.")
    assert paper_facts(abstract_only(paper)).of("family") == []


def test_reported_numbers_are_copied_from_sentences_not_gains(tmp_path) -> None:
    paper = Paper(arxiv_id="2401.00004", title="GroundX: Grounding",
                  abstract="Particularly it improves the mean average precision (mAP) on the XD-Violence "
                           "from SOTA 78.84\\% to new 82.10\\%. We reach AUC scores of 0.865, 0.745 and 0.742 "
                           "on UCSD Ped2, ShanghaiTech and CUHK Avenue, respectively. GroundX improves "
                           "accuracy by 4.7% on Zorblax-3k.")
    record = abstract_only(paper)
    found = {(r.benchmark, r.metric): r for r in reported_results(record, paper_facts(record), ["GroundX"])}
    assert {k: r.value for k, r in found.items()} == {
        ("XD-Violence", "mAP"): "82.10%", ("UCSD Ped2", "AUC"): "0.865", ("ShanghaiTech", "AUC"): "0.745",
        ("CUHK Avenue", "AUC"): "0.742"}
    assert all(r.source == "abstract" and r.value.rstrip("%") in r.evidence for r in found.values())


def test_reported_numbers_from_the_papers_own_row_of_a_results_table() -> None:
    table = Table(number="2", page=6, caption="Table 2: Frame-level AUC on Zorblax-3k.", markdown=(
        "| Method | AUC |\n|---|---|\n| Baseline [3] | 80.1 |\n| GroundX (ours) | 84.6 |"))
    parsed = ParsedPaper(source="x.pdf", title="GroundX: Grounding", tables=[table],
                         sections=[Section(title="Experiments", paragraphs=[Paragraph(text="We test.", page=6)])])
    record = LibraryPaper(paper=Paper(arxiv_id="2401.00005", title="GroundX: Grounding"), parsed=parsed)
    (result,) = reported_results(record, paper_facts(record), ["GroundX"])
    assert (result.benchmark, result.metric, result.value) == ("Zorblax-3k", "AUC", "84.6")
    assert (result.source, result.page) == ("Table 2", 6)


def test_links_between_reviewed_papers_order_a_section() -> None:
    base = Paper(arxiv_id="2301.00001", title="SegScore: Scoring Segments", published="2023-01-05")
    parsed = ParsedPaper(source="b.pdf", title="ClipRank: Ranking Clips", sections=[Section(
        title="Experiments", paragraphs=[Paragraph(page=6, text="ClipRank outperforms SegScore on UCF-Crime.")])],
        references=[Reference(raw="A. Author. SegScore: Scoring Segments. 2023.", title="SegScore: Scoring Segments")])
    later = Paper(arxiv_id="2401.00009", title="ClipRank: Ranking Clips", published="2024-01-05")
    other = Paper(arxiv_id="2201.00001", title="Older Work on Something", published="2022-01-01")
    records = {base.arxiv_id: abstract_only(base), later.arxiv_id: LibraryPaper(paper=later, parsed=parsed),
               other.arxiv_id: abstract_only(other)}
    facts = {pid: paper_facts(r) for pid, r in records.items()}
    (link,) = relations(records, facts)
    assert (link.source, link.target, link.kind) == (later.arxiv_id, base.arxiv_id, "compares")
    assert "outperforms SegScore" in link.evidence and link.page == 6
    years = {base.arxiv_id: "2025", later.arxiv_id: "2024", other.arxiv_id: "2022"}  # a later "foundation"
    assert foundations_first([later.arxiv_id, base.arxiv_id, other.arxiv_id], [link], years) == [
        other.arxiv_id, base.arxiv_id, later.arxiv_id]
