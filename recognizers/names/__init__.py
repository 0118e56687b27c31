"""Names of patients, relatives and staff, one module per rule family.

The cue layer (a title, a credential, a header label, a relation, a clinical cue) is in
:mod:`~recognizers.names.titled`, :mod:`~recognizers.names.relative` and :mod:`~recognizers.names.cued`,
with the shared name pieces and :func:`~recognizers.names.common.trim_to_name` in
:mod:`~recognizers.names.common`; names without a cue in :mod:`~recognizers.names.initials` and
:mod:`~recognizers.names.full_name`; the vocabulary layer (what a word is, in any case) in
:mod:`~recognizers.names.vocabulary`, :mod:`~recognizers.names.addressed`,
:mod:`~recognizers.names.world` and the document step :mod:`~recognizers.names.widen`.
"""
