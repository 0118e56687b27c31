"""The reversible crosswalk: an encrypted record of what each replacement replaced.

Opt-in only (``scrubber scrub --crosswalk PATH``). Each line of the file is one
Fernet token (AES-128-CBC with HMAC-SHA256, from the ``cryptography`` package)
holding ``{"doc", "sha256", "items": [[start, end, original, replacement], ...]}`` for one
document, with offsets into the scrubbed output and the SHA-256 of that output text: a
record id names one document only (a second record with the id is refused, E228), and
``reidentify`` restores a record only when its text is the output the entry was made for
(E229), so one patient's identifiers never go into another patient's record. The crosswalk key is separate from the
surrogate/fingerprint key and is never written anywhere. ``scrubber reidentify``
puts the originals back for an authorised user; a wrong key, an edited output
or an edited crosswalk fails with a clear error instead of producing mixed text.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from scrubber.errors import ScrubberError
from scrubber.io.atomic import AtomicWriter

ENV_VAR = "SCRUBBER_CROSSWALK_KEY"

DUPLICATE_ID = "E228"
NOT_THIS_RECORD = "E229"


def text_digest(text: str) -> str:
    """SHA-256 of a scrubbed output text: binds a crosswalk entry to the one record it was made for.

    The text is already scrubbed and the digest sits inside the encrypted entry.
    """
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _duplicate(doc_id: str) -> ScrubberError:
    return ScrubberError(
        DUPLICATE_ID,
        "two records have the same id, so the crosswalk could not tell their patients apart (no crosswalk was written)",
        "give every record a unique id (--id-field/--id-column), or scrub without --crosswalk",
    )


def new_key() -> str:
    """A fresh crosswalk key (urlsafe base64, 32 bytes), for ``scrubber keygen``."""
    from cryptography.fernet import Fernet

    return Fernet.generate_key().decode("ascii")


def load_crosswalk_key(key_file: Path | None, *, environ: dict[str, str] | None = None):
    """The Fernet for ``key_file`` or ``$SCRUBBER_CROSSWALK_KEY``.

    Raises:
        ScrubberError: E222 without a key (a random one would be lost with the run), E223 for a malformed key.
    """
    from cryptography.fernet import Fernet

    env = os.environ if environ is None else environ
    if key_file is not None:
        try:
            raw = Path(key_file).read_bytes().strip()
        except OSError as exc:
            raise ScrubberError("E222", f"cannot read crosswalk key file {key_file} ({exc.strerror})", "check the path") from None
    elif env.get(ENV_VAR):
        raw = env[ENV_VAR].strip().encode("ascii")
    else:
        raise ScrubberError("E222", "the crosswalk needs its own key", f"run `scrubber keygen > crosswalk.key` and pass --crosswalk-key-file, or set {ENV_VAR}")
    try:
        return Fernet(raw)
    except (ValueError, TypeError):
        raise ScrubberError("E223", "the crosswalk key is not a valid key", "create one with `scrubber keygen`") from None


class CrosswalkWriter(AtomicWriter):
    """Appends one encrypted line per document; :meth:`commit` moves it into place.

    The life cycle (open, sync, commit, detach, abort) is :class:`~scrubber.io.atomic.AtomicWriter`'s:
    the file is opened by :meth:`open` (a run passes its partial folder's temp file, and a
    resumed run the checkpointed size), else on the first write.
    """

    def __init__(self, path: Path, fernet) -> None:
        super().__init__(path, private=True)
        self._fernet = fernet
        self._ids: set[str] = set()

    def open(self, *, temp: Path | None = None, keep: int | None = None) -> None:
        """Start writing (to ``temp``, continuing after ``keep`` bytes: see :class:`~scrubber.io.atomic.AtomicFile`).

        Raises:
            ScrubberError: E264 when the kept part does not decrypt with this writer's key.
        """
        if keep and temp is not None:
            from cryptography.fernet import InvalidToken

            with Path(temp).open("rb") as handle:
                kept = handle.read(keep).splitlines()
            try:
                # the ids already written, so a resumed run still refuses a duplicate id
                self._ids = {json.loads(self._fernet.decrypt(line.strip()))["doc"] for line in kept if line.strip()}
            except InvalidToken:
                raise ScrubberError(
                    "E264", "cannot resume: the crosswalk key is not the interrupted run's", "resume with the same --crosswalk-key-file"
                ) from None
        super().open(temp=temp, keep=keep)

    def write(self, doc_id: str, output: str, reversal) -> None:
        """Record one document's replacements (``ScrubResult.reversal``) against its output text.

        Raises:
            ScrubberError: E228 when an earlier record had the same id.
        """
        if doc_id in self._ids:
            raise _duplicate(doc_id)
        self._ids.add(doc_id)
        items = [[start, end, original, output[start:end]] for start, end, original in reversal]
        payload = json.dumps({"doc": doc_id, "sha256": text_digest(output), "items": items}, ensure_ascii=False)
        self.file.write(self._fernet.encrypt(payload.encode("utf-8")) + b"\n")


def read_crosswalk(path: Path, fernet) -> dict[str, tuple[str | None, list[tuple[int, int, str, str]]]]:
    """Decrypt a crosswalk into ``{doc id: (output sha256, [(start, end, original, replacement), ...])}``.

    The digest is ``None`` in crosswalks written before it was stored (:func:`check_record` refuses them).

    Raises:
        ScrubberError: E224 when a line does not decrypt with this key (wrong key or edited file);
            E228 when two entries have one id.
    """
    from cryptography.fernet import InvalidToken

    table: dict[str, list[tuple[int, int, str, str]]] = {}
    try:
        lines = Path(path).read_bytes().splitlines()
    except OSError as exc:
        raise ScrubberError("E224", f"cannot read crosswalk {path} ({exc.strerror})", "check the path") from None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(fernet.decrypt(line))
        except InvalidToken:
            raise ScrubberError("E224", f"{path}:{number}: does not decrypt with this key", "use the crosswalk key of the run that wrote it") from None
        if obj["doc"] in table:
            raise _duplicate(obj["doc"])
        table[obj["doc"]] = (obj.get("sha256"), [tuple(item) for item in obj["items"]])
    return table


def check_record(where: str, text: str, digest: str | None) -> None:
    """Refuse to restore a record that is not the output the crosswalk entry was made for.

    Raises:
        ScrubberError: E229 when the text's SHA-256 differs from the entry's (another record with
            the same id, or an edited output), or the entry has no digest (an older crosswalk).
    """
    if digest is None or text_digest(text) != digest:
        raise ScrubberError(
            NOT_THIS_RECORD,
            f"{where}: this record is not the output its crosswalk entry was made for (another record with its id, or an edited output); nothing was restored",
            "reidentify the unchanged outputs of the run that wrote this crosswalk (a crosswalk without output digests must be made again)",
        )


def restore(text: str, items: list[tuple[int, int, str, str]]) -> str:
    """Put the originals back into a scrubbed text (from the end, so offsets stay valid).

    Raises:
        ScrubberError: E225 when the text at an entry is not the replacement the run wrote (edited output).

    Example:
        >>> restore("Dr. [PERSON] saw her.", [(4, 12, "Patel", "[PERSON]")])
        'Dr. Patel saw her.'
    """
    out = text
    for start, end, original, replacement in sorted(items, reverse=True):
        if out[start:end] != replacement:
            raise ScrubberError("E225", "the output differs from what the run wrote at a crosswalk entry", "reidentify the output exactly as the run wrote it")
        out = out[:start] + original + out[end:]
    return out
