#!/usr/bin/env python3
"""Checks the krew manifest and archive that scripts/package-krew makes, against krew's rules.

The rules (ecosystem.md section 1) follow krew's internal/index/validation/validate.go and
cmd/validate-krew-manifest: apiVersion/kind, metadata.name = file name and ^[\\w-]+$ (not a Windows
reserved name), semver version, a one-line shortDescription (under 50 characters so `krew search`
shows it whole), description/caveats lines of at most 80 characters, platform selectors only on
os/arch, each matching a supported platform and no two matching the same pair, a non-empty
http(s) uri, a lowercase sha256 equal to the archive's, a bin, files with from/to. The archive must
be a flat tar.gz of regular files (krew fails on links; refuses absolute paths and ..), with the
binary at mode 0755 and a LICENSE.

    krew_manifest_test.py [--binary FILE] [unittest arguments]

packages FILE (default: a small dummy executable) into a temporary directory and checks the result;
the checker itself is also tested against manifests and archives that break each rule.
"""
import argparse
import copy
import hashlib
import io
import os
import re
import stat
import subprocess
import sys
import tarfile
import tempfile
import unittest

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
API_VERSION = "krew.googlecontainertools.github.com/v1alpha2"
# <os, arch> pairs krew runs on (Go's GOOS/GOARCH names).
SUPPORTED_PLATFORMS = [
    ("linux", a) for a in ("386", "amd64", "arm", "arm64", "ppc64le", "s390x")
] + [("darwin", "amd64"), ("darwin", "arm64")] + [
    ("windows", a) for a in ("386", "amd64", "arm64")
]
WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"COM{i}" for i in range(1, 10)} | {
    f"LPT{i}" for i in range(1, 10)
}
SEMVER = re.compile(r"^v\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$")
SHA256 = re.compile(r"^[a-f0-9]{64}$")
SAFE_NAME = re.compile(r"^[\w-]+$")


# --- the checker -----------------------------------------------------------------------------

def selector_matches(selector, os_name, arch):
    """Kubernetes label-selector semantics over the labels {os, arch}."""
    labels = {"os": os_name, "arch": arch}
    for key, value in (selector.get("matchLabels") or {}).items():
        if labels.get(key) != value:
            return False
    for expr in selector.get("matchExpressions") or []:
        key, op, values = expr.get("key"), expr.get("operator"), expr.get("values") or []
        present = key in labels
        if op == "In" and not (present and labels[key] in values):
            return False
        if op == "NotIn" and present and labels[key] in values:
            return False
        if op == "Exists" and not present:
            return False
        if op == "DoesNotExist" and present:
            return False
        if op not in ("In", "NotIn", "Exists", "DoesNotExist"):
            return False
    return True


def selector_problems(index, selector):
    where = f"spec.platforms[{index}].selector"
    if not isinstance(selector, dict):
        return [f"{where}: missing (krew refuses a nil selector)"]
    labels, exprs = selector.get("matchLabels"), selector.get("matchExpressions")
    if not labels and not exprs:
        return [f"{where}: empty selector"]
    keys = list((labels or {}).keys()) + [e.get("key") for e in exprs or []]
    problems = [f"{where}: key {k!r} not supported (only os, arch)" for k in keys
                if k not in ("os", "arch")]
    if not any(selector_matches(selector, o, a) for o, a in SUPPORTED_PLATFORMS):
        problems.append(f"{where}: matches no supported platform")
    return problems


def platform_problems(index, platform):
    where = f"spec.platforms[{index}]"
    problems = selector_problems(index, platform.get("selector"))
    uri = platform.get("uri") or ""
    if not re.match(r"^https?://\S+$", uri):
        problems.append(f"{where}.uri: {uri!r} is not an http(s) URL")
    sha = str(platform.get("sha256") or "")
    if not SHA256.match(sha):
        problems.append(f"{where}.sha256: {sha!r} does not match ^[a-f0-9]{{64}}$")
    if not platform.get("bin"):
        problems.append(f"{where}.bin: must be set")
    files = platform.get("files")
    if files is not None:
        if not files:
            problems.append(f"{where}.files: empty (leave it out or list files)")
        for op in files:
            if not op.get("from") or not op.get("to"):
                problems.append(f"{where}.files: every entry needs from and to: {op}")
    return problems


def line_problems(field, text, limit):
    return [f"spec.{field}: line longer than {limit} characters: {line!r}"
            for line in (text or "").split("\n")
            if len(line) > limit and " " in line.strip()]


def manifest_problems(doc, file_name):
    """Everything krew's validation and krew-index review would refuse; [] when valid."""
    problems = []
    if doc.get("apiVersion") != API_VERSION:
        problems.append(f"apiVersion {doc.get('apiVersion')!r} is not {API_VERSION}")
    if doc.get("kind") != "Plugin":
        problems.append(f"kind {doc.get('kind')!r} is not Plugin")
    name = (doc.get("metadata") or {}).get("name")
    stem, ext = os.path.splitext(file_name)
    if ext != ".yaml":
        problems.append(f"manifest file {file_name!r} must end in .yaml")
    if not SAFE_NAME.match(stem) or stem.upper() in WINDOWS_RESERVED:
        problems.append(f"plugin name {stem!r} is not allowed (^[\\w-]+$, no Windows device names)")
    if name != stem:
        problems.append(f"metadata.name {name!r} differs from the file name {stem!r}")
    spec = doc.get("spec") or {}
    if not SEMVER.match(str(spec.get("version") or "")):
        problems.append(f"spec.version {spec.get('version')!r} is not semver vX.Y.Z")
    if not spec.get("homepage"):
        problems.append("spec.homepage: must be set (krew-index requires it)")
    short = spec.get("shortDescription") or ""
    if not short:
        problems.append("spec.shortDescription: must be set")
    if "\n" in short or "\r" in short:
        problems.append("spec.shortDescription: must be one line")
    if len(short) >= 50:
        problems.append(f"spec.shortDescription: {len(short)} characters; krew search shows 50")
    problems += line_problems("description", spec.get("description"), 80)
    problems += line_problems("caveats", spec.get("caveats"), 80)
    platforms = spec.get("platforms") or []
    if not platforms:
        problems.append("spec.platforms: at least one platform")
    for i, p in enumerate(platforms):
        problems += platform_problems(i, p)
    for os_name, arch in SUPPORTED_PLATFORMS:
        hits = [i for i, p in enumerate(platforms)
                if isinstance(p.get("selector"), dict) and selector_matches(p["selector"], os_name, arch)]
        if len(hits) > 1:
            problems.append(f"spec.platforms {hits} overlap: all select os={os_name}/arch={arch}")
    return problems


def archive_problems(path, platform):
    """What krew would refuse in the tar.gz for one platform; [] when fine."""
    problems = []
    with open(path, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    if platform.get("sha256") != digest:
        problems.append(f"sha256 {platform.get('sha256')} differs from the archive's {digest}")
    with tarfile.open(path, "r:gz") as tar:
        members = {m.name: m for m in tar.getmembers()}
    for name, m in members.items():
        if not m.isfile():
            problems.append(f"{name}: not a regular file (krew cannot extract links or devices)")
        if name.startswith("/") or ".." in name.split("/"):
            problems.append(f"{name}: absolute path or '..' (krew refuses it)")
        elif "/" in name.strip("/"):
            problems.append(f"{name}: not at the top level (the layout must be flat)")
    bin_name = platform.get("bin")
    if bin_name not in members:
        problems.append(f"bin {bin_name!r} is not in the archive")
    elif stat.S_IMODE(members[bin_name].mode) != 0o755:
        problems.append(f"{bin_name}: mode {oct(stat.S_IMODE(members[bin_name].mode))}, want 0o755")
    if "LICENSE" not in members:
        problems.append("LICENSE is not in the archive (krew-index requires one)")
    for op in platform.get("files") or []:
        if op.get("from") not in members:
            problems.append(f"files: {op.get('from')!r} is not in the archive")
    return problems


# --- the packaged release --------------------------------------------------------------------

BINARY = None


def package(binary, out, version="v1.2.3"):
    subprocess.run(
        [os.path.join(ROOT, "scripts", "package-krew"), "--binary", binary, "--out", out,
         "--version", version, "--homepage", "https://example.org/kubectl-upgrade"],
        check=True, capture_output=True, text=True)
    with open(os.path.join(out, "upgrade.yaml")) as f:
        return yaml.safe_load(f)


class PackagedRelease(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.binary = BINARY
        if cls.binary is None:
            cls.binary = os.path.join(cls.tmp.name, "dummy-kubectl-upgrade")
            with open(cls.binary, "w") as f:
                f.write("#!/bin/sh\necho kubectl upgrade\n")
        cls.out = os.path.join(cls.tmp.name, "dist")
        cls.manifest = package(cls.binary, cls.out)
        cls.archive = os.path.join(cls.out, "kubectl-upgrade_linux_amd64.tar.gz")

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_manifest_passes_krew_validation(self):
        self.assertEqual(manifest_problems(self.manifest, "upgrade.yaml"), [])

    def test_template_is_named_like_the_plugin(self):
        with open(os.path.join(ROOT, "krew", "upgrade.yaml")) as f:
            template = f.read()
        self.assertRegex(template, r"(?m)^  name: upgrade$")
        self.assertEqual(self.manifest["metadata"]["name"], "upgrade")

    def test_version_and_uri_are_filled(self):
        spec = self.manifest["spec"]
        self.assertEqual(spec["version"], "v1.2.3")
        self.assertEqual(
            spec["platforms"][0]["uri"],
            "https://example.org/kubectl-upgrade/releases/download/v1.2.3/"
            "kubectl-upgrade_linux_amd64.tar.gz")

    def test_only_linux_amd64_is_offered(self):
        platform = self.manifest["spec"]["platforms"][0]
        matched = [p for p in SUPPORTED_PLATFORMS if selector_matches(platform["selector"], *p)]
        self.assertEqual(matched, [("linux", "amd64")])

    def test_archive_matches_the_manifest(self):
        for platform in self.manifest["spec"]["platforms"]:
            self.assertEqual(archive_problems(self.archive, platform), [])

    def test_archive_holds_exactly_the_binary_and_the_notices(self):
        with tarfile.open(self.archive, "r:gz") as tar:
            names = sorted(tar.getnames())
            shipped = tar.extractfile("kubectl-upgrade").read()
            notices = tar.extractfile("THIRD_PARTY_NOTICES").read().decode()
        self.assertEqual(names, ["LICENSE", "THIRD_PARTY_NOTICES", "kubectl-upgrade"])
        with open(self.binary, "rb") as f:
            self.assertEqual(shipped, f.read())
        for component in ("curl", "OpenSSL", "nghttp2", "zlib", "c-ares", "yaml-cpp",
                          "nlohmann/json", "spdlog", "{fmt}", "cxxopts", "glibc"):
            self.assertIn(component, notices)

    def test_caveats_name_the_completion_link_command(self):
        caveats = self.manifest["spec"]["caveats"]
        self.assertIn("kubectl_complete-upgrade", caveats)
        self.assertIn("kubectl upgrade completion --install-kubectl-link", caveats)

    def test_same_binary_gives_the_same_archive(self):
        again = os.path.join(self.tmp.name, "again")
        manifest = package(self.binary, again)
        self.assertEqual(manifest["spec"]["platforms"][0]["sha256"],
                         self.manifest["spec"]["platforms"][0]["sha256"])


# --- the checker catches each violation -----------------------------------------------------

VALID_SHA = "a" * 64


def valid_manifest():
    return {
        "apiVersion": API_VERSION, "kind": "Plugin", "metadata": {"name": "upgrade"},
        "spec": {
            "version": "v1.0.0", "homepage": "https://example.org", "shortDescription": "short",
            "description": "text", "caveats": "text",
            "platforms": [{
                "selector": {"matchLabels": {"os": "linux", "arch": "amd64"}},
                "uri": "https://example.org/a.tar.gz", "sha256": VALID_SHA,
                "bin": "kubectl-upgrade",
            }],
        },
    }


def linux_arm64():
    return {"selector": {"matchLabels": {"os": "linux", "arch": "arm64"}},
            "uri": "https://example.org/b.tar.gz", "sha256": VALID_SHA, "bin": "kubectl-upgrade"}


class CheckerCatchesViolations(unittest.TestCase):
    # (behaviour, change to a valid manifest, file name, expected problem fragment)
    CASES = [
        ("uppercase sha256", lambda m: m["spec"]["platforms"][0].update(sha256="A" * 64),
         "upgrade.yaml", "sha256"),
        ("short sha256", lambda m: m["spec"]["platforms"][0].update(sha256="abc"),
         "upgrade.yaml", "sha256"),
        ("name differs from file", lambda m: None, "upgrade-cluster.yaml", "differs"),
        ("name with a dot", lambda m: m["metadata"].update(name="up.grade"), "up.grade.yaml",
         "not allowed"),
        ("Windows device name", lambda m: m["metadata"].update(name="con"), "con.yaml",
         "not allowed"),
        ("wrong extension", lambda m: None, "upgrade.yml", ".yaml"),
        ("wrong apiVersion", lambda m: m.update(apiVersion="krew/v1"), "upgrade.yaml",
         "apiVersion"),
        ("version without v", lambda m: m["spec"].update(version="1.0.0"), "upgrade.yaml",
         "semver"),
        ("two-line short description",
         lambda m: m["spec"].update(shortDescription="one\ntwo"), "upgrade.yaml", "one line"),
        ("short description of 50 characters",
         lambda m: m["spec"].update(shortDescription="x" * 50), "upgrade.yaml", "50"),
        ("description line over 80",
         lambda m: m["spec"].update(description="word " * 20), "upgrade.yaml", "80"),
        ("selector key other than os/arch",
         lambda m: m["spec"]["platforms"][0]["selector"]["matchLabels"].update(distro="debian"),
         "upgrade.yaml", "not supported"),
        ("expression key other than os/arch",
         lambda m: m["spec"]["platforms"][0]["selector"].update(
             matchExpressions=[{"key": "libc", "operator": "In", "values": ["glibc"]}]),
         "upgrade.yaml", "not supported"),
        ("empty selector", lambda m: m["spec"]["platforms"][0].update(selector={}),
         "upgrade.yaml", "empty selector"),
        ("selector matching no platform",
         lambda m: m["spec"]["platforms"][0]["selector"]["matchLabels"].update(os="plan9"),
         "upgrade.yaml", "no supported platform"),
        ("two platforms selecting linux/amd64",
         lambda m: m["spec"]["platforms"].append(
             {**linux_arm64(), "selector": {"matchExpressions": [
                 {"key": "os", "operator": "In", "values": ["linux"]}]}}),
         "upgrade.yaml", "overlap"),
        ("no bin", lambda m: m["spec"]["platforms"][0].pop("bin"), "upgrade.yaml", "bin"),
        ("uri not http(s)", lambda m: m["spec"]["platforms"][0].update(uri="file:///a.tar.gz"),
         "upgrade.yaml", "uri"),
        ("files entry without to",
         lambda m: m["spec"]["platforms"][0].update(files=[{"from": "LICENSE"}]),
         "upgrade.yaml", "from and to"),
        ("no platforms", lambda m: m["spec"].update(platforms=[]), "upgrade.yaml", "platform"),
    ]

    def test_valid_manifests_pass(self):
        self.assertEqual(manifest_problems(valid_manifest(), "upgrade.yaml"), [])
        two = valid_manifest()
        two["spec"]["platforms"].append(linux_arm64())
        self.assertEqual(manifest_problems(two, "upgrade.yaml"), [])

    def test_each_violation_is_reported(self):
        for name, change, file_name, fragment in self.CASES:
            with self.subTest(name):
                manifest = copy.deepcopy(valid_manifest())
                change(manifest)
                problems = manifest_problems(manifest, file_name)
                self.assertTrue(any(fragment in p for p in problems),
                                f"{name}: no problem mentioning {fragment!r} in {problems}")


def make_archive(path, entries):
    """entries: (name, kind, mode) with kind 'file' | 'symlink' | 'dir'."""
    with tarfile.open(path, "w:gz") as tar:
        for name, kind, mode in entries:
            info = tarfile.TarInfo(name)
            info.mode = mode
            data = b""
            if kind == "symlink":
                info.type, info.linkname = tarfile.SYMTYPE, "LICENSE"
            elif kind == "dir":
                info.type = tarfile.DIRTYPE
            else:
                data = b"content"
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    with open(path, "rb") as f:
        return {"bin": "kubectl-upgrade", "sha256": hashlib.sha256(f.read()).hexdigest(),
                "files": [{"from": "kubectl-upgrade", "to": "."}, {"from": "LICENSE", "to": "."}]}


class ArchiveCheckerCatchesViolations(unittest.TestCase):
    GOOD = [("kubectl-upgrade", "file", 0o755), ("LICENSE", "file", 0o644)]
    CASES = [
        ("binary not executable", [("kubectl-upgrade", "file", 0o644), ("LICENSE", "file", 0o644)],
         "mode"),
        ("no LICENSE", [("kubectl-upgrade", "file", 0o755)], "LICENSE"),
        ("symlink", GOOD + [("kubectl_complete-upgrade", "symlink", 0o777)], "regular file"),
        ("directory prefix", [("kubectl-upgrade-v1/", "dir", 0o755),
                              ("kubectl-upgrade-v1/kubectl-upgrade", "file", 0o755),
                              ("kubectl-upgrade-v1/LICENSE", "file", 0o644)], "not in the archive"),
        ("absolute path", GOOD + [("/etc/passwd", "file", 0o644)], "absolute"),
        ("dot-dot path", GOOD + [("../evil", "file", 0o644)], "'..'"),
    ]

    def test_good_archive_passes(self):
        with tempfile.TemporaryDirectory() as tmp:
            platform = make_archive(os.path.join(tmp, "a.tar.gz"), self.GOOD)
            self.assertEqual(archive_problems(os.path.join(tmp, "a.tar.gz"), platform), [])

    def test_wrong_sha256_is_reported(self):
        with tempfile.TemporaryDirectory() as tmp:
            platform = make_archive(os.path.join(tmp, "a.tar.gz"), self.GOOD)
            platform["sha256"] = VALID_SHA
            problems = archive_problems(os.path.join(tmp, "a.tar.gz"), platform)
            self.assertTrue(any("differs" in p for p in problems), problems)

    def test_each_violation_is_reported(self):
        for name, entries, fragment in self.CASES:
            with self.subTest(name), tempfile.TemporaryDirectory() as tmp:
                path = os.path.join(tmp, "a.tar.gz")
                platform = make_archive(path, entries)
                problems = archive_problems(path, platform)
                self.assertTrue(any(fragment in p for p in problems),
                                f"{name}: no problem mentioning {fragment!r} in {problems}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--binary")
    args, rest = parser.parse_known_args()
    if args.binary:
        BINARY = os.path.abspath(args.binary)
    unittest.main(argv=[sys.argv[0]] + rest)
