"""The pre-publication report and dataset card, rendered from a residual-risk assessment.

Plain functions over the JSON-ready dictionaries the rest of the project produces
(``Assessment.to_dict()``, ``scrubber evaluate --json``, ``Policy.to_dict()`` and the checks
of ``scrubber check``), by job: :mod:`~scrubber.report.figures` (what the figures say),
:mod:`~scrubber.report.charts` (inline SVG chart kit), :mod:`~scrubber.report.html`
(:func:`write_report`: ``report.html``, self-contained, and its companion),
:mod:`~scrubber.report.markdown` (``report.md``) and :mod:`~scrubber.report.card`
(:func:`write_card`, :func:`verify_card`).

Nothing here reads documents. The report shows document ids, offsets, types, confidences
and detector names; suspected text appears only when the assessment was made with
``show_text=True`` (the leaks then carry ``text``), and the report is then marked
"contains text: local review only". The card never shows document ids or text.
"""

from scrubber.report.card import PUBLISHER_FIELDS, verify_card, write_card
from scrubber.report.charts import AT_K_COLOUR, BELOW_K_COLOUR
from scrubber.report.html import write_report

__all__ = ["AT_K_COLOUR", "BELOW_K_COLOUR", "PUBLISHER_FIELDS", "verify_card", "write_card", "write_report"]
