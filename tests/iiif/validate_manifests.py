"""Checks our IIIF Presentation 3.0 documents against a running edubase.

Every published item's Manifest and every published exhibition's Collection is fetched
over HTTP and parsed with iiif-prezi3 (an independent implementation of the Presentation
3.0 model, pydantic-validated) with its convenience defaults switched off, so a missing
`id` or a bare string where a language map belongs is an error rather than quietly
repaired. Then what we promise beyond the model is checked against the JSON API: language
maps in our three languages, one Canvas per image, recording and film in the item's
order with their sizes and durations, the image service, WebVTT tracks as
`supplementing` annotations that resolve, the rights URIs IIIF accepts, the headers
(JSON-LD type, CORS, ETag and 304), 404s for what is not public, and collection members
in stop order.

With --curator, a recording and a film, each with WebVTT captions, are first uploaded to
an item as that curator (password in EDUBASE_PASSWORD), so the sound, video and
supplementing paths are exercised on a server whose samples hold only photographs.

Usage: python validate_manifests.py BASE_URL [--curator NAME --item SLUG --video FILE]
"""

import argparse
import json
import os
import re
import struct
import sys
import urllib.error
import urllib.parse
import urllib.request
import uuid

import iiif_prezi3
from iiif_prezi3.base import Base

PROFILE = 'application/ld+json;profile="http://iiif.io/api/presentation/3/context.json"'
CONTEXT = "http://iiif.io/api/presentation/3/context.json"
LANGS = {"zh-Hans", "mn-Mong", "en", "none"}
RIGHTS = re.compile(r"^http://(creativecommons\.org/(licenses|publicdomain)/|rightsstatements\.org/vocab/)")


def strict_models():
    """Switch off iiif-prezi3's helpers that fill in ids, wrap strings as language maps and
    lists: we validate documents as they are, not as the library would complete them."""

    def subclasses(cls):
        yield cls
        for sub in cls.__subclasses__():
            yield from subclasses(sub)

    for cls in set(subclasses(Base)):
        cls._defaulters = []


class Failures:
    def __init__(self):
        self.items = []
        self.checks = 0

    def check(self, ok, what):
        self.checks += 1
        if not ok:
            self.items.append(what)
            print(f"not ok - {what}")
        return ok


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url, headers=None, data=None, method=None):
    """(status, headers, body) without raising for HTTP errors or following redirects."""
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=60) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def get_json(url):
    status, _, body = fetch(url)
    if status != 200:
        raise SystemExit(f"GET {url}: {status} {body[:300]!r}")
    return json.loads(body)


def api_list(base, path):
    """Every record of a paged API list."""
    url, records = f"{base}{path}?limit=100", []
    while url:
        page = get_json(url)
        records.extend(page["data"])
        url = page.get("next")
    return records


def is_lang_map(value):
    return (
        isinstance(value, dict)
        and value
        and all(k in LANGS for k in value)
        and all(isinstance(v, list) and v and all(isinstance(s, str) and s.strip() for s in v) for v in value.values())
    )


def lang_maps(node, path="$"):
    """Every (path, value) of a property that must be a language map."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("label", "summary", "value"):
                yield f"{path}.{key}", value
            yield from lang_maps(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from lang_maps(value, f"{path}[{i}]")


# ---------------------------------------------------------------- uploads as a curator


def wav(seconds):
    rate, data = 8000, 8000 * seconds * 2
    header = b"RIFF" + struct.pack("<I", 36 + data) + b"WAVEfmt " + struct.pack("<IHHIIHH", 16, 1, 1, rate, rate * 2, 2, 16)
    return header + b"data" + struct.pack("<I", data) + bytes(data)


def sign_in(base, username, password):
    form = urllib.parse.urlencode({"username": username, "password": password}).encode()
    status, headers, body = fetch(f"{base}/admin/login", data=form)
    if status != 303:
        raise SystemExit(f"sign-in failed: {status} {body[:300]!r}")
    cookie = headers["set-cookie"].split(";")[0]
    _, _, page = fetch(f"{base}/admin", headers={"cookie": cookie})
    csrf = re.search(r'name="_csrf" value="([^"]+)"', page.decode()).group(1)
    return {"cookie": cookie, "x-csrf-token": csrf}


def upload(base, session, item, name, data):
    boundary = "edubase-" + uuid.uuid4().hex
    body = (
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"alt_zh\"\r\n\r\nIIIF 测试\r\n"
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode() + data + f"\r\n--{boundary}--\r\n".encode()
    headers = dict(session, **{"content-type": f"multipart/form-data; boundary={boundary}"})
    status, _, answer = fetch(f"{base}/api/v1/items/{item}/media", headers=headers, data=body)
    if status != 201:
        raise SystemExit(f"upload of {name} failed: {status} {answer[:300]!r}")
    return json.loads(answer)["media"][0]


def put_track(base, session, media_id, lang, kind, text):
    headers = dict(session, **{"content-type": "text/vtt"})
    url = f"{base}/api/v1/media/{media_id}/tracks/{lang}/{kind}"
    status, _, answer = fetch(url, headers=headers, data=text.encode(), method="PUT")
    if status != 200:
        raise SystemExit(f"PUT {url}: {status} {answer[:300]!r}")


def add_media(base, args):
    """Uploads a recording and a film with tracks; returns {sha256: {(language, kind)}}."""
    session = sign_in(base, args.curator, os.environ.get("EDUBASE_PASSWORD", ""))
    with open(args.video, "rb") as f:
        video = upload(base, session, args.item, "clip.mp4", f.read())
    audio = upload(base, session, args.item, "tale.wav", wav(2))
    cue = "WEBVTT\n\n00:00.000 --> 00:01.500\n{}\n"
    put_track(base, session, video["id"], "zh", "captions", cue.format("很久很久以前"))
    put_track(base, session, video["id"], "en", "subtitles", cue.format("Long, long ago"))
    put_track(base, session, video["id"], "mn", "captions", cue.format("ᠮᠣᠩᠭᠣᠯ ᠮᠣᠩᠭᠣᠯ"))
    put_track(base, session, audio["id"], "zh", "captions", cue.format("草原上"))
    # A transcript in traditional Mongolian too (a stand-in word), which Mongolian pages show.
    put_track(base, session, audio["id"], "mn", "captions", cue.format("ᠮᠣᠩᠭᠣᠯ ᠮᠣᠩᠭᠣᠯ"))
    print(f"uploaded a film and a recording with WebVTT tracks to {args.item}")
    return {
        video["sha256"]: {("zh-Hans", "captions"), ("en", "subtitles"), ("mn-Mong", "captions")},
        audio["sha256"]: {("zh-Hans", "captions"), ("mn-Mong", "captions")},
    }


# ---------------------------------------------------------------- the checks


def check_headers(f, url, headers, body):
    f.check(headers.get("content-type") == PROFILE, f"{url}: content type {headers.get('content-type')}")
    f.check(headers.get("access-control-allow-origin") == "*", f"{url}: CORS header")
    etag = headers.get("etag")
    if f.check(bool(etag), f"{url}: ETag"):
        status, again, _ = fetch(url, headers={"if-none-match": etag})
        f.check(status == 304, f"{url}: If-None-Match answered {status}, expected 304")
        f.check(again.get("access-control-allow-origin") == "*", f"{url}: CORS on 304")


def parse(f, model, url, doc):
    try:
        model(**doc)
        return True
    except Exception as e:  # pydantic's ValidationError, or a TypeError for a bad shape
        return f.check(False, f"{url}: iiif-prezi3 {model.__name__} rejects it: {e}")


def check_manifest(f, base, record, tracks_seen):
    slug = record["slug"]
    url = f"{base}/iiif/3/items/{slug}/manifest"
    f.check(record.get("iiif_manifest") == url, f"{slug}: the JSON API links the manifest ({record.get('iiif_manifest')})")
    status, headers, body = fetch(url)
    if not f.check(status == 200, f"{url}: status {status}"):
        return
    check_headers(f, url, headers, body)
    doc = json.loads(body)
    parse(f, iiif_prezi3.Manifest, url, doc)
    f.check(doc.get("@context") == CONTEXT and doc.get("id") == url and doc.get("type") == "Manifest", f"{url}: context, id, type")
    for path, value in lang_maps(doc):
        f.check(is_lang_map(value), f"{url}: {path} is not a language map of our languages: {value!r}")
    f.check("zh-Hans" in doc["label"], f"{url}: the label has the Chinese title")
    if record["title"].get("en"):
        f.check(doc["label"].get("en") == [record["title"]["en"]], f"{url}: the English title")
    f.check(any(e["value"] == {"none": [record["accession"]]} for e in doc.get("metadata", [])), f"{url}: accession in metadata")
    f.check(bool(RIGHTS.match(doc.get("rights", ""))), f"{url}: rights {doc.get('rights')!r}")
    f.check(doc.get("requiredStatement", {}).get("value") is not None, f"{url}: requiredStatement")
    provider = doc.get("provider", [{}])[0]
    f.check(provider.get("type") == "Agent" and provider["homepage"][0]["id"] == record["base"]["url"], f"{url}: provider is the base")
    f.check(doc["homepage"][0]["id"] == record["url"], f"{url}: homepage is the item page")
    f.check(doc["seeAlso"][0]["id"] == f"{base}/api/v1/items/{slug}", f"{url}: seeAlso is the API record")

    shown = [m for m in record["media"] if m["kind"] in ("image", "audio", "video")]
    canvases = doc["items"]
    f.check(len(canvases) == len(shown), f"{url}: {len(canvases)} canvases for {len(shown)} images, recordings and films")
    images = [m for m in shown if m["kind"] == "image"]
    if images:
        thumb = doc["thumbnail"][0]
        status, headers, _ = fetch(thumb["id"])
        f.check(status == 200 and headers.get("content-type") == "image/jpeg", f"{url}: thumbnail {thumb['id']} answered {status}")
    for media, canvas in zip(shown, canvases):
        body = canvas["items"][0]["items"][0]["body"]
        f.check(canvas["items"][0]["items"][0]["motivation"] == "painting", f"{canvas['id']}: painting annotation")
        f.check(canvas["items"][0]["items"][0]["target"] == canvas["id"], f"{canvas['id']}: painted on itself")
        kind = media["kind"]
        if kind == "image":
            f.check(body["type"] == "Image", f"{canvas['id']}: Image body")
            f.check((canvas["width"], canvas["height"]) == (media["width"], media["height"]), f"{canvas['id']}: size")
            service = body["service"][0]
            f.check(
                service == {"id": f"{base}/iiif/3/{media['sha256']}", "type": "ImageService3", "profile": "level2"},
                f"{canvas['id']}: image service {service}",
            )
        else:
            want = {"audio": "Sound", "video": "Video"}[kind]
            f.check(body["type"] == want, f"{canvas['id']}: {want} body, got {body['type']}")
            f.check(body["format"] == media["mime"], f"{canvas['id']}: format")
            f.check(abs(canvas["duration"] - media["duration_ms"] / 1000) < 1e-9, f"{canvas['id']}: duration")
            if kind == "video":
                f.check((canvas.get("width"), canvas.get("height")) == (media["width"], media["height"]), f"{canvas['id']}: video size")
            status, _, _ = fetch(body["id"], headers={"range": "bytes=0-15"})
            f.check(status in (200, 206), f"{canvas['id']}: {body['id']} answered {status}")
        notes = [a for page in canvas.get("annotations", []) for a in page["items"]]
        got = set()
        for note in notes:
            text = note["body"]
            f.check(note["motivation"] == "supplementing" and note["target"] == canvas["id"], f"{note['id']}: supplements its canvas")
            f.check(text["type"] == "Text" and text["format"] == "text/vtt", f"{note['id']}: a WebVTT text body")
            kind_of = text["id"].rsplit("/", 1)[-1].split(".")[0]
            got.add((text["language"], kind_of))
            status, headers, vtt = fetch(text["id"])
            f.check(status == 200 and vtt.startswith(b"WEBVTT"), f"{text['id']}: answered {status}")
        tracks_seen.setdefault(media["sha256"], []).append(got)


def check_collection(f, base, exhibition):
    slug = exhibition["slug"]
    url = f"{base}/iiif/3/exhibitions/{slug}/collection"
    status, headers, body = fetch(url)
    if not f.check(status == 200, f"{url}: status {status}"):
        return
    check_headers(f, url, headers, body)
    doc = json.loads(body)
    parse(f, iiif_prezi3.Collection, url, doc)
    f.check(doc.get("@context") == CONTEXT and doc.get("id") == url and doc.get("type") == "Collection", f"{url}: context, id, type")
    for path, value in lang_maps(doc):
        f.check(is_lang_map(value), f"{url}: {path} is not a language map of our languages: {value!r}")
    stops = get_json(f"{base}/api/v1/exhibitions/{slug}")["stops"]
    want = [f"{base}/iiif/3/items/{s['item']['slug']}/manifest" for s in stops]
    got = [m["id"] for m in doc["items"]]
    f.check(got == want, f"{url}: members {got}, expected the stops in order {want}")
    f.check(all(m["type"] == "Manifest" for m in doc["items"]), f"{url}: members are manifests")
    for member in doc["items"]:
        status, _, _ = fetch(member["id"])
        f.check(status == 200, f"{url}: member {member['id']} answered {status}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base")
    parser.add_argument("--curator")
    parser.add_argument("--item", default="morin-khuur-music")
    parser.add_argument("--video", default=os.path.join(os.path.dirname(__file__), "clip.mp4"))
    args = parser.parse_args()
    base = args.base.rstrip("/")
    strict_models()
    f = Failures()
    tracks_expected = add_media(base, args) if args.curator else {}

    items = api_list(base, "/api/v1/items")
    tracks_seen = {}
    for summary in items:
        check_manifest(f, base, get_json(summary["api_url"]), tracks_seen)
    # Files are content-addressed: a rerun uploads the same bytes again as a second media
    # record, so look for a canvas of that file with exactly the tracks we added.
    for sha, want in tracks_expected.items():
        seen = tracks_seen.get(sha, [])
        f.check(want in seen, f"the uploaded {sha[:12]}…: tracks {seen}, expected {sorted(want)}")
    exhibitions = api_list(base, "/api/v1/exhibitions")
    for exhibition in exhibitions:
        check_collection(f, base, exhibition)
    for path in ("/iiif/3/items/no-such-item/manifest", "/iiif/3/exhibitions/no-such-exhibition/collection"):
        status, headers, _ = fetch(base + path)
        f.check(status == 404 and headers.get("access-control-allow-origin") == "*", f"{path}: {status}, CORS on the 404")

    f.check(len(items) > 0 and len(exhibitions) > 0, "there are items and exhibitions to check")
    print(f"{len(items)} manifests and {len(exhibitions)} collections checked")
    passed = f.checks - len(f.items)
    print(f"{passed} passed, {len(f.items)} failed")
    sys.exit(1 if f.items else 0)


if __name__ == "__main__":
    main()
