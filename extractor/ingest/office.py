"""Read old Word ``.doc``, ``.rtf`` and OpenDocument ``.odt`` by converting them to ``.docx`` with LibreOffice.

Offices still send plans in these formats. LibreOffice converts them faithfully (lists, tables, headers);
each conversion runs headless in a private temporary profile, so several can run at once and none
touches the user's own LibreOffice settings.

LibreOffice never reaches the network for khplan. A document may link an image, a template or a section by
URL, and LibreOffice fetches such links while it loads the file (an ``OPTIONS`` then a ``GET`` to the URL):
a tracking pixel that tells the sender who opened the plan, or a request to a host inside the auditor's
network. Two walls stand in the way, each enough alone:

- the conversion runs in a network namespace of its own, with no interface but a loopback that is down
  (``unshare --net``, tried once per process; where the system forbids namespaces it is skipped);
- the profile the conversion runs in forbids loading linked content (``PROFILE_SETTINGS``): links from
  untrusted documents blocked, links and fields never updated, macros off, and every URL sent through a
  proxy on a closed local port, which the web client then never reaches.

Links are not loaded but are not hidden either: the converted document keeps them as external relationships,
and ``source.warnings`` of the result says the file held them.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import re
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from extractor.errors import InputError
from extractor.ingest.limits import check_zip_package, shown_name
from extractor.options import ExtractOptions
from models.document import RawDocument, SourceFormat, SourceWarning

# Seconds one conversion may take; a large .doc converts in a few seconds, a hung one never ends.
CONVERSION_TIMEOUT_SECONDS = 120
LIBREOFFICE_COMMANDS = ("soffice", "libreoffice")
# The work folder of a conversion is named for the process that owns it (``khplan-office-<pid>.<random>``),
# so the next run can sweep the folders of runs that were killed (``extractor.cleanup``).
WORK_FOLDER_PREFIX = "khplan-office-"

# Ways to run a command without network, most direct first: as root, or as a user allowed user namespaces.
NETWORK_NAMESPACE_COMMANDS = (("unshare", "--net"), ("unshare", "--net", "--map-root-user"))
NAMESPACE_PROBE_SECONDS = 10

# The profile every conversion runs in (LibreOffice's registrymodifications.xcu; names from its
# officecfg schema: Common.xcs, Writer.xcs, Calc.xcs, Inet.xcs).
# - Security/Scripting/BlockUntrustedRefererLinks: no linked image or object is loaded from a document
#   outside a trusted location (there are none). DisableActiveContent is its successor in LibreOffice 24.8+
#   (older versions ignore it).
# - Writer and Calc Content/Update/Link 0 and 1 = never update links on load; Field false = no field update.
# - Inet/Settings: a manual proxy on port 9 of the loopback for every protocol, with no exception, for the
#   links that neither of the above covers (the .doc importer's INCLUDEPICTURE fields); nothing answers there.
# - Macros never run.
PROFILE_SETTINGS = {
    "/org.openoffice.Office.Common/Security/Scripting": {
        "BlockUntrustedRefererLinks": "true",
        "DisableActiveContent": "true",
        "DisableMacrosExecution": "true",
        "MacroSecurityLevel": "3",
    },
    "/org.openoffice.Office.Writer/Content/Update": {"Link": "0", "Field": "false", "Chart": "false"},
    "/org.openoffice.Office.Calc/Content/Update": {"Link": "1"},
    "/org.openoffice.Inet/Settings": {
        "ooInetProxyType": "1",
        "ooInetHTTPProxyName": "127.0.0.1",
        "ooInetHTTPProxyPort": "9",
        "ooInetHTTPSProxyName": "127.0.0.1",
        "ooInetHTTPSProxyPort": "9",
        "ooInetFTPProxyName": "127.0.0.1",
        "ooInetFTPProxyPort": "9",
        "ooInetNoProxy": "",
    },
}

# A converted document is text when at least this share of its letters are Latin (the script of Vietnamese,
# and of the TCVN3/VNI fonts the normalizer repairs later). A damaged .doc that LibreOffice reads as a
# stream of UTF-16 code units comes out as ideographs and syllables of other scripts ("䥀䌀ᄀ…").
MIN_LATIN_LETTER_SHARE = 0.5
# Characters of the converted text the share is measured on.
TEXT_SAMPLE_CHARACTERS = 200_000

# Fields of an RTF that make a reader fetch a file or a URL: LibreOffice does not keep their links in the
# converted document, so they are read off the RTF itself.
RTF_LINK_FIELD = re.compile(
    rb"\\fldinst[\s{}]*(?:\\[a-z]+-?\d*[\s{}]*)*"  # {\*\fldinst {\rtlch INCLUDEPICTURE
    rb"(INCLUDEPICTURE|INCLUDETEXT|IMPORT)\b(?:\s+\\\\[a-z*]+)*"  # the field and its switches (\\d)
    rb"\s+(?:\"([^\"]*)\"|([^\s}\\]+))"  # the target, quoted or not
)

RTF_LINK_KINDS = {b"INCLUDEPICTURE": "image", b"IMPORT": "image", b"INCLUDETEXT": "text"}


def read_office(
    path: Path, data: bytes, source_format: SourceFormat, options: ExtractOptions | None = None
) -> RawDocument:
    """Convert a ``.doc``/``.rtf``/``.odt`` to ``.docx`` with LibreOffice and read that.

    The result keeps the original format and digest in ``source``. An ``.odt`` package is measured against
    the inflation limits before LibreOffice opens it; the converted package is measured again by the Word
    reader. Raises ``InputError`` when LibreOffice is missing, fails or times out, and when the conversion
    holds no readable text.
    """
    from extractor.ingest.docx import read_docx

    options = options if options is not None else ExtractOptions()
    if source_format == "odt":
        check_zip_package(path, data, options.max_inflated, options.max_inflated_total)
    converted = convert_to_docx(path, data, source_format)
    document = read_docx(path, converted, options)
    refuse_unreadable_text(path, " ".join(block.text for block in document.blocks), source_format)
    warnings = list(document.source.warnings)
    if source_format == "rtf" and not warnings:
        warnings = rtf_link_warnings(data)
    source = document.source.model_copy(
        update={
            "format": source_format,
            "sha256": hashlib.sha256(data).hexdigest(),
            "warnings": warnings,
        }
    )
    return document.model_copy(update={"source": source})


def refuse_unreadable_text(path: Path, text: str, source_format: SourceFormat) -> None:
    """Refuse a conversion whose letters are mostly not Latin: a damaged file, not a Vietnamese plan.

    "Kế hoạch giảm nghèo" passes, and so does a TCVN3 "KÕ ho¹ch"; "䥀䌀ᄀ䠀" raises ``InputError`` ("the .doc
    file holds no readable text: …"). A text with no letters at all is left to the later stages.
    """
    share = latin_letter_share(text[:TEXT_SAMPLE_CHARACTERS])
    if share is not None and share < MIN_LATIN_LETTER_SHARE:
        raise InputError(
            path,
            f"the .{source_format} file holds no readable text: {100 * (1 - share):.0f}% of the letters "
            "LibreOffice read from it are of scripts no Vietnamese plan is written in (a damaged file?)",
        )


def latin_letter_share(text: str) -> float | None:
    """Share of the letters of ``text`` that are Latin, Vietnamese ones included; None without letters.

    Latin here is Basic Latin through Latin Extended-B (U+0000–U+024F) and Latin Extended Additional
    (U+1E00–U+1EFF, where "ạ", "ế", "ữ" live): ``latin_letter_share("Kế hoạch 計劃")`` -> 0.75.
    """
    letters = latin = 0
    for char in text:
        if char.isalpha():
            letters += 1
            code = ord(char)
            if code < 0x250 or 0x1E00 <= code < 0x1F00:
                latin += 1
    return latin / letters if letters else None


def rtf_link_warnings(data: bytes) -> list[SourceWarning]:
    """The external-links warning of an RTF whose fields include a file or a URL ("INCLUDEPICTURE "http://…"").

    Read off the bytes, so a field spelled with escapes is missed: the warning informs, the conversion's
    profile and namespace are what stop the fetch.
    """
    from extractor.ingest.docx import external_link_warnings

    links = [
        (RTF_LINK_KINDS[field], (quoted or bare).decode("latin-1"))
        for field, quoted, bare in RTF_LINK_FIELD.findall(data)
    ]
    return external_link_warnings(links)


def find_libreoffice() -> str | None:
    """The LibreOffice command on PATH ("soffice" or "libreoffice"), or None."""
    for command in LIBREOFFICE_COMMANDS:
        found = shutil.which(command)
        if found:
            return found
    return None


@functools.cache
def network_isolation() -> tuple[str, ...]:
    """The command prefix that runs a program without network (``("/usr/bin/unshare", "--net")``), or ``()``
    where this system allows no network namespace (no ``unshare``, no privilege, user namespaces forbidden).

    Tried once per process, by running ``true`` through each way of ``NETWORK_NAMESPACE_COMMANDS``.
    """
    for command, *arguments in NETWORK_NAMESPACE_COMMANDS:
        found = shutil.which(command)
        if found is None:
            return ()
        prefix = (found, *arguments)
        try:
            probe = subprocess.run(
                [*prefix, "true"], capture_output=True, timeout=NAMESPACE_PROBE_SECONDS, check=False
            )
        except (OSError, subprocess.SubprocessError):
            continue
        if probe.returncode == 0:
            return prefix
    return ()


def profile_settings_xml(settings: dict[str, dict[str, str]] = PROFILE_SETTINGS) -> str:
    """The ``registrymodifications.xcu`` that holds ``settings``, one ``<item>`` per property.

    ``{"/org.openoffice.Inet/Settings": {"ooInetProxyType": "1"}}`` gives an item with
    ``oor:path="/org.openoffice.Inet/Settings"`` and ``<prop oor:name="ooInetProxyType" oor:op="fuse">``.
    """
    items = [
        f'<item oor:path="{node}"><prop oor:name="{name}" oor:op="fuse"><value>{value}</value></prop></item>'
        for node, properties in settings.items()
        for name, value in properties.items()
    ]
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
        'xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
        + "\n".join(items)
        + "\n</oor:items>\n"
    )


def write_profile(profile: Path) -> None:
    """Create a LibreOffice user profile at ``profile`` that runs with ``PROFILE_SETTINGS``."""
    user = profile / "user"
    user.mkdir(parents=True, exist_ok=True)
    (user / "registrymodifications.xcu").write_text(profile_settings_xml(), encoding="utf-8")


def convert_to_docx(path: Path, data: bytes, source_format: SourceFormat) -> bytes:
    """The bytes of a ``.docx`` LibreOffice made from ``data`` (a ``.doc``, ``.rtf`` or ``.odt``), made without
    network and without loading anything the file links to."""
    command = find_libreoffice()
    if command is None:
        raise InputError(
            path,
            f"LibreOffice is needed to read .{source_format} files (install libreoffice-writer); not found",
        )
    with tempfile.TemporaryDirectory(prefix=f"{WORK_FOLDER_PREFIX}{os.getpid()}.") as work:
        work_dir = Path(work)
        source = work_dir / f"input.{source_format}"
        source.write_bytes(data)
        output_dir = work_dir / "out"
        write_profile(work_dir / "profile")
        arguments = [
            *network_isolation(),
            command,
            "--headless",
            "--norestore",
            "--nolockcheck",
            f"-env:UserInstallation={(work_dir / 'profile').as_uri()}",
            "--convert-to",
            "docx",
            "--outdir",
            str(output_dir),
            str(source),
        ]
        returncode, stderr = _run_conversion(path, arguments)
        converted = output_dir / "input.docx"
        if returncode != 0 or not converted.is_file():
            detail = stderr.decode("utf-8", "replace").strip().splitlines()
            reason = detail[-1] if detail else f"exit code {returncode}"
            raise InputError(
                path, f"LibreOffice could not convert the .{source_format} file ({shown_name(reason)})"
            )
        return converted.read_bytes()


def _run_conversion(path: Path, arguments: list[str]) -> tuple[int, bytes]:
    """Run LibreOffice in a process group of its own, so that a timeout kills it and every process it
    started; it stays in the caller's session, which the document runner kills whole when the caller itself
    runs out of time (``extractor.runner``)."""
    process = subprocess.Popen(
        arguments,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        process_group=0,
    )
    try:
        _, stderr = process.communicate(timeout=CONVERSION_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        _kill_session(process)
        raise InputError(
            path, f"LibreOffice did not finish converting the file within {CONVERSION_TIMEOUT_SECONDS} s"
        ) from None
    except BaseException:
        _kill_session(process)
        raise
    return process.returncode, stderr


def _kill_session(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
