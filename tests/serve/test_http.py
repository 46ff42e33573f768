#!/usr/bin/env python3
"""quire serve over HTTP (urllib, no browser): security headers, the Host allowlist, CSRF and Origin
checks, no CORS, path traversal, --read-only, request-size and query limits, document strings escaped,
the JSON API against `quire search --json`, picking up a concurrent `quire index`, and a clean stop.

usage: test_http.py QUIRE SOURCE_DIR
"""

import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixture import Server, make_index, request, token  # noqa: E402

QUIRE = SOURCE = None
WORK = DB = SERVER = None


def setUpModule():
    global WORK, DB, SERVER
    WORK = tempfile.TemporaryDirectory(prefix="quire-serve-http-")
    DB = make_index(QUIRE, SOURCE, WORK.name)
    SERVER = Server(QUIRE, DB)


def tearDownModule():
    code = SERVER.stop()
    assert code == 0, "quire serve did not stop cleanly on SIGTERM: %s\n%s" % (code, SERVER.stderr())
    WORK.cleanup()


def get(path, headers=None):
    return request(SERVER.base, path, headers=headers)


def post(path, body=b"", headers=None, base=None):
    return request(base or SERVER.base, path, method="POST", body=body, headers=headers)


def post_json(path, obj, headers=None, base=None):
    h = {"Content-Type": "application/json"}
    h.update(headers or {})
    return post(path, json.dumps(obj).encode(), h, base)


class Headers(unittest.TestCase):
    def test_every_kind_of_response_carries_the_security_headers(self):
        for path in ["/", "/?q=china", "/api/search?q=china", "/static/app.js", "/static/style.css", "/nowhere",
                     "/api/search?q=%22unclosed", "/api/documents/none", "/doc/hostile-doc", "/collections", "/help"]:
            with self.subTest(path=path):
                status, h, _ = get(path)
                self.assertIn(status, (200, 400, 404))
                csp = h.get("Content-Security-Policy", "")
                self.assertIn("default-src 'self'", csp)
                self.assertIn("frame-ancestors 'none'", csp)
                self.assertNotIn("unsafe-inline", csp)
                self.assertEqual(h.get("X-Content-Type-Options"), "nosniff")
                self.assertIsNone(h.get("Access-Control-Allow-Origin"))

    def test_no_cors_even_when_asked(self):
        for method in ["OPTIONS", "PUT", "DELETE", "PATCH"]:
            with self.subTest(method=method):
                status, h, body = request(SERVER.base, "/api/search?q=china", method=method,
                                          headers={"Origin": "http://evil.example",
                                                   "Access-Control-Request-Method": "POST"})
                self.assertEqual(status, 405)
                self.assertIsNone(h.get("Access-Control-Allow-Origin"))
                self.assertIn("error", json.loads(body))
        status, h, _ = get("/api/search?q=china", {"Origin": "http://evil.example"})
        self.assertEqual(status, 200)
        self.assertIsNone(h.get("Access-Control-Allow-Origin"))

    def test_pages_have_no_inline_script_or_style(self):
        for path in ["/?q=china", "/doc/hostile-doc", "/collections", "/help"]:
            with self.subTest(path=path):
                _, _, body = get(path)
                html = body.decode()
                self.assertEqual(html.count("<script"), 1)  # only <script src="/static/app.js">
                self.assertIn('<script src="/static/app.js" defer></script>', html)
                self.assertNotIn("style=", html)
                self.assertNotIn("<style", html)
                self.assertNotIn(" onclick=", html)


class Hosts(unittest.TestCase):
    def test_the_host_allowlist(self):
        p = SERVER.port
        cases = [("127.0.0.1:%d" % p, 200), ("localhost:%d" % p, 200), ("LOCALHOST:%d" % p, 200),
                 ("[::1]:%d" % p, 200), ("127.0.0.1", 200), ("evil.example", 403), ("evil.example:%d" % p, 403),
                 ("127.0.0.1.evil.example:%d" % p, 403), ("localhost:%d.evil.example" % p, 403),
                 ("127.0.0.1:%d" % (p + 1), 403), ("", 400)]  # no Host at all: 400 (RFC 9112 3.2)
        for host, want in cases:
            with self.subTest(host=host):
                status, _, body = get("/api/search?q=china", {"Host": host})
                self.assertEqual(status, want, body[:200])
                if want == 403:
                    self.assertIn("not allowed", json.loads(body)["error"])

    def test_a_rebinding_host_cannot_post_either(self):
        status, _, _ = post_json("/api/collections", {"name": "rebound", "q": "china"},
                                 {"Host": "evil.example:%d" % SERVER.port, "X-CSRF-Token": token(SERVER.base)})
        self.assertEqual(status, 403)
        self.assertEqual(get("/api/collections/rebound")[0], 404)


class Changes(unittest.TestCase):
    def test_csrf_and_origin_checks(self):
        t = token(SERVER.base)
        same = "http://127.0.0.1:%d" % SERVER.port
        cases = [
            ("no token", {}, 403),
            ("wrong token", {"X-CSRF-Token": "0" * len(t)}, 403),
            ("token prefix", {"X-CSRF-Token": t[:-1]}, 403),
            ("token, foreign Origin", {"X-CSRF-Token": t, "Origin": "http://evil.example"}, 403),
            ("token, other port", {"X-CSRF-Token": t, "Origin": "http://127.0.0.1:%d" % (SERVER.port + 1)}, 403),
            ("token, null Origin", {"X-CSRF-Token": t, "Origin": "null"}, 403),
            ("token, cross-site fetch", {"X-CSRF-Token": t, "Sec-Fetch-Site": "cross-site"}, 403),
            ("token, same Origin", {"X-CSRF-Token": t, "Origin": same}, 201),
            ("token, no Origin (a script)", {"X-CSRF-Token": t}, 201),
        ]
        for i, (label, headers, want) in enumerate(cases):
            with self.subTest(label):
                name = "csrf-%d" % i
                status, _, body = post_json("/api/collections", {"name": name, "q": "china"}, headers)
                self.assertEqual(status, want, body[:300])
                self.assertIn("error" if want == 403 else "documents", json.loads(body))
                self.assertEqual(get("/api/collections/" + name)[0], 404 if want == 403 else 200)

    def test_form_posts_need_the_token_too(self):
        t = token(SERVER.base)
        form = {"Content-Type": "application/x-www-form-urlencoded"}
        status, _, _ = post("/collections", b"name=formless&q=china", form)
        self.assertEqual(status, 403)
        status, h, _ = post("/collections", ("name=formed&q=china&csrf=" + t).encode(), form)
        self.assertEqual(status, 303)
        self.assertEqual(h["Location"], "/?q=china&c=formed")
        # A back link may only point into this server.
        for back, want in [("/?q=x", "/?q=x"), ("//evil.example/", "/collections/formed"),
                           ("http://evil.example/", "/collections/formed"), ("/\\evil.example", "/collections/formed"),
                           # browsers drop tabs and line breaks from a URL: "/\t/host" is "//host"
                           ("/\t/evil.example/", "/collections/formed"), ("/\n/evil.example/", "/collections/formed"),
                           ("/\x00/evil.example/", "/collections/formed"), ("/\x7f", "/collections/formed")]:
            with self.subTest(back=back):
                body = "id=hostile-doc&csrf=%s&back=%s" % (t, urllib_quote(back))
                status, h, _ = post("/collections/formed/exclude", body.encode(), form)
                self.assertEqual(status, 303)
                self.assertEqual(h["Location"], want)

    def test_a_collection_name_must_survive_a_url_path(self):
        # Browsers resolve "." and ".." path segments, so /collections/.. would be / and its page, its
        # export and its forms unreachable: such names are refused when created.
        t = {"X-CSRF-Token": token(SERVER.base)}
        for name in [".", ".."]:
            with self.subTest(name=name):
                status, _, body = post_json("/api/collections", {"name": name, "q": "china"}, t)
                self.assertEqual(status, 400, body)
                self.assertIn("error", json.loads(body))
        self.assertNotIn(".", [c["name"] for c in json.loads(get("/api/collections")[2])["collections"]])
        status, _, _ = post_json("/api/collections", {"name": "...", "q": "china"}, t)
        self.assertEqual(status, 201)  # not a dot segment
        self.assertEqual(get("/collections/...")[0], 200)

    def test_get_never_changes_anything(self):
        post_json("/api/collections", {"name": "keep", "q": "china"}, {"X-CSRF-Token": token(SERVER.base)})
        for path in ["/collections/keep/delete", "/api/collections/keep?action=delete",
                     "/collections/keep/exclude?id=hostile-doc"]:
            with self.subTest(path=path):
                get(path)
                status, _, body = get("/api/collections/keep")
                self.assertEqual(status, 200)
                self.assertEqual(json.loads(body)["excluded"], [])

    def test_collection_lists_show_the_filters(self):
        # rt17h row 18: the lists showed only the query, so a collection of "pakistan" by China and
        # in 2020-2025 read as one of "pakistan" over everything.
        import html as htmlmod
        t = {"X-CSRF-Token": token(SERVER.base)}
        status, _, body = post_json("/api/collections", {"name": "listed", "q": "pakistan", "filters":
                                    [["actor", "china"], ["published", "2015..2025"], ["speaker", "Kofi Annan"]]}, t)
        self.assertEqual(status, 201, body)
        _, _, body = get("/api/collections")
        entry = [c for c in json.loads(body)["collections"] if c["name"] == "listed"][0]
        self.assertEqual(entry["query"], "pakistan")
        self.assertEqual(entry["filters"], [["actor", "china"], ["published", "2015..2025"], ["speaker", "Kofi Annan"]])
        self.assertEqual(entry["search"], 'pakistan actor:china published:2015..2025 speaker:"Kofi Annan"')
        _, _, body = get("/collections")
        page = htmlmod.unescape(body.decode())
        self.assertIn('<code>pakistan actor:china published:2015..2025 speaker:"Kofi Annan"</code>', page)
        cli = subprocess.run([QUIRE, "collection", "list", "--db", DB], capture_output=True, text=True, check=True)
        self.assertIn('\tpakistan actor:china published:2015..2025 speaker:"Kofi Annan"\n', cli.stdout)

    def test_collection_api_round_trip(self):
        t = {"X-CSRF-Token": token(SERVER.base)}
        status, _, body = post_json("/api/collections", {"name": "round", "q": "pakistan", "filters": [["actor", "china"]]}, t)
        self.assertEqual(status, 201, body)
        docs = [d["id"] for d in json.loads(body)["documents"]]
        self.assertGreater(len(docs), 1)
        self.assertEqual(post_json("/api/collections", {"name": "round", "q": "x"}, t)[0], 409)
        status, _, body = post_json("/api/collections/round", {"action": "exclude", "ids": [docs[0]]}, t)
        self.assertEqual(status, 200)
        self.assertNotIn(docs[0], [d["id"] for d in json.loads(body)["documents"]])
        status, _, body = post_json("/api/collections/round", {"action": "refresh"}, t)
        self.assertEqual(status, 200)
        self.assertEqual(json.loads(body)["refresh"]["gone"], [])
        status, h, body = get("/api/collections/round/export?format=ris")
        self.assertEqual(status, 200)
        self.assertIn("attachment", h["Content-Disposition"])
        self.assertEqual(body.decode().count("ER  -"), len(docs) - 1)
        for bad, want in [({"action": "explode"}, 400), ({"ids": []}, 400), ({"action": "add", "ids": ["nope"]}, 404),
                          ("not an object", 400)]:
            with self.subTest(bad=bad):
                status, _, body = post_json("/api/collections/round", bad, t)
                self.assertEqual(status, want)
                self.assertIn("error", json.loads(body))
        status, _, body = post("/api/collections/round", b"action=delete", dict(t, **{"Content-Type": "text/plain"}))
        self.assertEqual(status, 415)
        # A key given twice: which was meant is unknown, so neither is done.
        status, _, body = post("/api/collections/round", b'{"action": "refresh", "action": "delete"}',
                               dict(t, **{"Content-Type": "application/json"}))
        self.assertEqual(status, 400)
        self.assertIn('duplicate key \\"action\\"', body.decode())
        self.assertEqual(get("/api/collections/round")[0], 200)
        for name in ["..", "a b", "x" * 101, "a%2fb", "<b>"]:
            with self.subTest(name=name):
                status, _, body = get("/api/collections/" + urllib_quote(name))
                self.assertIn(status, (400, 404))
                self.assertIn("error", json.loads(body))
        self.assertEqual(post_json("/api/collections/round", {"action": "delete"}, t)[0], 200)
        self.assertEqual(get("/api/collections/round")[0], 404)


    def test_collection_bodies_of_the_wrong_shape_are_named_plainly(self):
        # rt11j row 12: nlohmann's "[json.exception.out_of_range.401] ..." was the answer; a message names
        # the key and what it takes. And the one query limit of a search holds for a collection's query.
        t = {"X-CSRF-Token": token(SERVER.base)}
        for path, body, reason in [
                ("/api/collections", {"name": "n5", "q": "china", "filters": [["actor"]]},
                 '"filters" must be a list of [field, value] pairs'),
                ("/api/collections", {"name": "n6", "q": "china", "filters": "actor"},
                 '"filters" must be a list of [field, value] pairs or an object of field: value'),
                ("/api/collections", {"name": "n8", "q": 5}, '"q" must be a string, not a number'),
                ("/api/collections", {"name": ["n9"], "q": "china"}, '"name" must be a string, not an array'),
                ("/api/collections", {"q": "china"}, 'the body has no "name"'),
                ("/api/collections", {"name": "n10", "q": "china", "plain": "yes"},
                 '"plain" must be true or false, not a string'),
                ("/api/collections", {"name": "n11", "q": "china", "replace": 1},
                 '"replace" must be true or false, not a number'),
                ("/api/collections", {"name": "n12", "query": "china"}, 'unknown key "query"'),
                ("/api/collections", {"name": "n13", "q": "a" * 4900}, "the limit is 4096"),
                ("/api/collections/round2", {"action": 3}, '"action" must be a string, not a number'),
                ("/api/collections/round2", {"action": "add", "ids": "x"}, '"ids" must be a list of strings'),
                ("/api/collections/round2", {"action": "add", "ids": [1]}, '"ids" must be a list of strings')]:
            with self.subTest(body=str(body)[:60]):
                status, _, answer = post_json(path, body, t)
                self.assertEqual(status, 400, answer)
                error = json.loads(answer)["error"]
                self.assertIn(reason, error)
                self.assertNotIn("json.exception", error)
        for name in ["n5", "n6", "n8", "n10", "n11", "n12", "n13"]:
            self.assertEqual(get("/api/collections/" + name)[0], 404)
        # The filters of a batch line, an object of field: value (or a list of values), are taken too.
        status, _, body = post_json("/api/collections", {"name": "n7", "q": "pakistan", "filters": {"actor": "china"}}, t)
        self.assertEqual(status, 201, body)
        self.assertEqual(json.loads(body)["filters"], [["actor", "china"]])
        self.assertEqual(post_json("/api/collections/n7", {"action": "delete"}, t)[0], 200)

def urllib_quote(s):
    import urllib.parse
    return urllib.parse.quote(s, safe="")


class Traversal(unittest.TestCase):
    def test_only_the_embedded_static_files_are_served(self):
        self.assertEqual(get("/static/app.js")[0], 200)
        for path in ["/static/../CMakeLists.txt", "/static/%2e%2e/%2e%2e/CMakeLists.txt", "/static/..%2fCMakeLists.txt",
                     "/static/app.js/../../../etc/passwd", "/../../../../etc/passwd", "/etc/passwd", "/static/",
                     "/static", "/static/APP.JS", "/serve/static/app.js", "/%2e%2e/%2e%2e/etc/passwd",
                     "/static/app.js%00.png", "/doc/..%2f..%2f..%2fetc%2fpasswd", "/api/documents/../../etc/passwd"]:
            with self.subTest(path=path):
                status, _, body = get(path)
                self.assertIn(status, (400, 404), body[:100])
                self.assertNotIn(b"root:x:", body)
                self.assertNotIn(b"cmake_minimum_required", body)


class Limits(unittest.TestCase):
    def test_bad_parameters_are_400_with_a_reason(self):
        cases = [("limit=0&q=china", "limit must be between 1 and 1000"),
                 ("limit=100000&q=china", "limit must be between 1 and 1000"),
                 ("limit=ten&q=china", "limit must be a whole number"),
                 ("limit=-1&q=china", "limit must be a whole number"),
                 ("offset=99999999999&q=china", "offset must be at most"),
                 ("k1=nan&q=china", "k1 must be a number"), ("b=2&q=china", "b must be between 0 and 1"),
                 ("passages=maybe&q=china", "passages must be 1 or 0"), ("sort=sideways&q=china", "sort must be"),
                 ("facets=actor,colour&q=china", "unknown facet 'colour'"), ("bogus=1&q=china", "unknown parameter"),
                 ("q=%22unclosed", "bad query"), ("", "q: give a query"), ("q=china&actor=", None),
                 ("q=peace+NEAR%2F0+war", "bad query: 'NEAR/0' at character 7"),
                 ("q=peace+ADJ%2F-1+war", "bad query: 'ADJ/-1' at character 7"),
                 ("q=a+NEAR%2F99999999999+b", "bad query: 'NEAR/99999999999'"),
                 ("q=" + "a" * 5000, "the limit is 4096"),
                 # rt11i row 10: the CLI's ranges, one source of truth, for every ranking option taken.
                 ("q=a*&max-wildcard=999999999", "max-wildcard must be between 1 and 100000"),
                 ("q=a*&max-wildcard=100001", "max-wildcard must be between 1 and 100000"),
                 ("q=a*&max-wildcard=0", "max-wildcard must be between 1 and 100000"),
                 ("q=a*&max-wildcard=100000", None),
                 ("q=china&proximity-depth=1001", "proximity-depth must be at most 1000"),
                 ("q=china&k3=1001", "k3 must be between 0 and 1000"),
                 ("q=china&mu=0", "mu must be above 0"),
                 ("q=china&feedback-terms=1001", "feedback-terms must be at most 1000"),
                 # rt11i rows 8-9: a capitalised unknown field is named, a known one is the field; a
                 # control character in a field's value is named.
                 ("q=Kashmir:India", "bad query: unknown field 'Kashmir:' at character 1"),
                 ("q=Pakistan:Kashmir+dispute", "bad query: unknown field 'Pakistan:' at character 1"),
                 ("q=TITLE:china", None), ("q=china+By:PAK", None),
                 ("q=by:%1B%5B2Jx", "bad query: 'by:' at character 1: its value holds the control character \\x1b")]
        for query, reason in cases:
            with self.subTest(query=query[:60]):
                status, h, body = get("/api/search?" + query)
                if reason is None:
                    self.assertEqual(status, 200)
                    continue
                self.assertEqual(status, 400, body[:200])
                self.assertTrue(h["Content-Type"].startswith("application/json"))
                self.assertIn(reason, json.loads(body)["error"])

    def test_oversize_requests_are_refused(self):
        t = {"X-CSRF-Token": token(SERVER.base), "Content-Type": "application/json"}
        status, _, body = post("/api/collections", b'{"name": "big", "q": "' + b"a" * 70000 + b'"}', t)
        self.assertEqual(status, 413)
        status, _, _ = get("/api/search?q=" + "a" * 9000)
        self.assertEqual(status, 414)
        status, _, _ = get("/api/search?q=china", {"X-Filler": "x" * 9000})
        self.assertIn(status, (400, 431))
        # The server still answers.
        self.assertEqual(get("/api/search?q=china")[0], 200)

    def test_a_slow_client_is_cut_off(self):
        import socket
        s = socket.create_connection(("127.0.0.1", SERVER.port))
        s.sendall(b"GET /api/search?q=china HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # never ends the headers
        start = time.time()
        s.settimeout(30)
        data = s.recv(1000)
        self.assertLess(time.time() - start, 15)
        self.assertTrue(data == b"" or b" 400 " in data or b" 408 " in data, data)
        s.close()


def raw(data, timeout=10):
    """Sends `data` on a connection of its own (stopping when the server answers or closes) and returns
    the status line and the body of the answer ("" when it closed without one)."""
    import select
    import socket
    s = socket.create_connection(("127.0.0.1", SERVER.port))
    s.settimeout(timeout)
    parts = data if isinstance(data, list) else [data]
    try:
        for part in parts:
            s.sendall(part)
            if select.select([s], [], [], 0)[0]:
                break
    except OSError:
        pass  # the server refused and closed while it was sent: its answer is still to be read
    out = b""
    try:
        while True:
            c = s.recv(65536)
            if not c:
                break
            out += c
    except OSError:
        pass
    s.close()
    head, _, body = out.partition(b"\r\n\r\n")
    return head.split(b"\r\n")[0].decode("latin-1"), body


def rss_kb():
    with open("/proc/%d/status" % SERVER.proc.pid) as f:
        return int(f.read().split("VmRSS:")[1].split()[0])


class Bounded(unittest.TestCase):
    """rt11e: every way of sending more than the limits (a chunked or length-less body, a long line, many
    headers, a compressed body) is refused before it is held in memory."""

    def head(self, extra=b"", method=b"POST /api/collections/c5"):
        return (method + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + b"X-CSRF-Token: " + token(SERVER.base).encode() + b"\r\n" + extra)

    def test_a_chunked_body_is_held_to_the_limit(self):
        before = rss_kb()
        mb = b" " * (1 << 20)
        chunks = [self.head(b"Transfer-Encoding: chunked\r\n\r\n")]
        chunks += [b"%x\r\n" % len(mb) + mb + b"\r\n"] * 200
        chunks += [b'14\r\n{"action":"refresh"}\r\n0\r\n\r\n']
        status, body = raw(chunks)
        self.assertIn(" 413 ", status)
        self.assertIn("too large", json.loads(body)["error"])
        self.assertLess(rss_kb() - before, 50 * 1024)
        # Just over the limit in small chunks, and a body with neither length nor chunks.
        over = b'{"action":"refresh"}' + b" " * 66000
        framed = b"".join(b"%x\r\n" % len(over[i:i + 1000]) + over[i:i + 1000] + b"\r\n"
                          for i in range(0, len(over), 1000))
        self.assertIn(" 413 ", raw(self.head(b"Transfer-Encoding: chunked\r\n\r\n") + framed + b"0\r\n\r\n")[0])
        self.assertIn(" 413 ", raw([self.head(b"Connection: close\r\n\r\n")] + [mb] * 20)[0])
        # A chunk size line that never ends.
        self.assertIn(" 413 ", raw([self.head(b"Transfer-Encoding: chunked\r\n\r\n")] + [b"0" * (1 << 20)] * 20)[0])
        # Under the limit, chunked is fine.
        body = b'{"name": "chunked", "q": "china"}'
        status, _ = raw(self.head(b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n", b"POST /api/collections")
                        + b"%x\r\n" % len(body) + body + b"\r\n0\r\n\r\n")
        self.assertIn(" 201 ", status)

    def test_long_lines_and_many_headers_are_refused(self):
        before = rss_kb()
        big = [b"a" * (1 << 20)] * 20
        self.assertEqual(raw([b"GET /"] + big)[0], "")  # a request line that never ends: closed
        status, body = raw([b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX: "] + big)
        self.assertIn(" 431 ", status)
        self.assertIn(" 431 ", raw([b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n"] + [b"X: a\r\n" * 100000] * 3)[0])
        self.assertLess(rss_kb() - before, 50 * 1024)
        self.assertEqual(get("/api/search?q=china")[0], 200)

    def test_a_compressed_body_is_refused(self):
        status, body = raw(self.head(b"Content-Encoding: gzip\r\nContent-Length: 4\r\n\r\nabcd"))
        self.assertIn(" 415 ", status)
        status, _ = raw(self.head(b"Transfer-Encoding: gzip, chunked\r\n\r\n4\r\nabcd\r\n0\r\n\r\n"))
        self.assertIn(" 501 ", status)

    def test_two_host_headers_are_refused(self):
        for hosts in ([b"127.0.0.1", b"evil.com"], [b"evil.com", b"127.0.0.1"], [b"127.0.0.1", b"127.0.0.1"]):
            status, body = raw(b"GET /api/token HTTP/1.1\r\nHost: " + hosts[0] + b"\r\nHost: " + hosts[1]
                               + b"\r\nConnection: close\r\n\r\n")
            self.assertIn(" 400 ", status, hosts)
            self.assertNotIn(b"csrf", body)

    def test_keep_alive_and_pipelining_still_work(self):
        one = b"GET /api/token HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        import socket
        s = socket.create_connection(("127.0.0.1", SERVER.port))
        s.settimeout(10)
        s.sendall(one + one + b"GET /api/token HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        out = b""
        while True:
            c = s.recv(65536)
            if not c:
                break
            out += c
        s.close()
        self.assertEqual(out.count(b"HTTP/1.1 200 OK"), 3)


def exchange(data, wait=5):
    """Sends `data` on a connection of its own and reads for up to `wait` seconds. Returns (answers, out,
    closed, seconds): the status lines of every answer, all that came back, whether the server closed
    the connection (else it was still open after `wait`), and the seconds until it closed or the first
    answer was whole."""
    import socket
    s = socket.create_connection(("127.0.0.1", SERVER.port))
    start = time.time()
    try:
        s.sendall(data)
    except OSError:
        pass
    s.settimeout(wait)
    out, closed = b"", False
    try:
        while True:
            c = s.recv(65536)
            if not c:
                closed = True
                break
            out += c
    except socket.timeout:
        pass
    except OSError:
        closed = True  # reset by the server
    seconds = time.time() - start
    s.close()
    answers = [m.decode("latin-1") for m in re.findall(rb"HTTP/1\.[01] [0-9]{3} [^\r\n]*", out)]
    return answers, out, closed, seconds


class Framing(unittest.TestCase):
    """rt11f: a request whose framing could be read two ways (RFC 9112: Content-Length with
    Transfer-Encoding, a bad or conflicting Content-Length, bare LF or CR, obs-fold, a bad header line)
    is a 400 at once, the connection closed and nothing after it read as another request."""

    SMUGGLED = b"GET /api/token HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"

    def post_head(self, extra):
        return (b"POST /api/collections HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + b"X-CSRF-Token: " + token(SERVER.base).encode() + b"\r\n" + extra)

    def refused(self, data, status=400, names=None):
        answers, out, closed, seconds = exchange(data)
        self.assertEqual(len(answers), 1, out[:600])
        self.assertIn(" %d " % status, answers[0] + " ")
        self.assertTrue(closed, "the connection was left open: %r" % out[:300])
        self.assertIn(b"Connection: close", out)
        self.assertLess(seconds, 3)
        self.assertNotIn(b'"csrf"', out)  # nothing smuggled was answered
        if data.startswith(b"HEAD "):
            return None  # an answer to HEAD has no body
        body = json.loads(out.partition(b"\r\n\r\n")[2])
        if names:
            self.assertIn(names, body["error"])
        return body["error"]

    def test_content_length_with_transfer_encoding_is_refused(self):
        chunked_then_get = b"0\r\n\r\n" + self.SMUGGLED
        for extra in [b"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n",
                      b"Transfer-Encoding: chunked\r\nContent-Length: 5\r\n",
                      b"Transfer-Encoding: chunked\r\nContent-Length: 0\r\n",
                      b"Content-Length: %d\r\nTransfer-Encoding: chunked\r\n" % len(chunked_then_get)]:
            with self.subTest(extra=extra):
                self.refused(self.post_head(extra + b"\r\n") + chunked_then_get,
                             names="Content-Length and Transfer-Encoding")

    def test_a_transfer_encoding_that_is_not_exactly_chunked(self):
        body = b"0\r\n\r\n" + self.SMUGGLED
        for extra, status in [(b"Transfer-Encoding: chunked, chunked\r\n", 400),
                              (b"Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n", 400),
                              (b"Transfer-Encoding: identity\r\n", 400),
                              (b"Transfer-Encoding: gzip, chunked\r\n", 501),
                              (b"Transfer-Encoding: xchunked\r\n", 400)]:
            with self.subTest(extra=extra):
                self.refused(self.post_head(extra + b"\r\n") + body, status, "Transfer-Encoding")
        # In HTTP/1.0 there is no chunked coding at all.
        self.refused(b"POST /api/collections HTTP/1.0\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                     + body, 400, "Transfer-Encoding")

    def test_a_get_with_a_body_is_refused(self):
        # cpp-httplib reads no body for a GET: what a proxy sent as its body would be the next request.
        for extra in [b"Content-Length: %d\r\n" % len(self.SMUGGLED), b"Transfer-Encoding: chunked\r\n"]:
            for method in [b"GET", b"HEAD"]:
                with self.subTest(extra=extra, method=method):
                    self.refused(method + b" /api/search?q=china HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra + b"\r\n"
                                 + self.SMUGGLED, names="body")
        # Content-Length: 0 on a GET is no body.
        answers, _, _, seconds = exchange(b"GET /api/token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n"
                                          b"Connection: close\r\n\r\n")
        self.assertEqual(answers, ["HTTP/1.1 200 OK"])

    def test_a_bad_content_length_is_400_at_once(self):
        for values in [[b"1e3"], [b"-1"], [b"+5"], [b"0x10"], [b""], [b"5 5"], [b"5, 6"], [b"5", b"6"],
                       [b"999999999999999999999999"], [b"18446744073709551616"], [b"5\x00"], [b"\xd9\xa5"]]:
            with self.subTest(values=values):
                extra = b"".join(b"Content-Length: " + v + b"\r\n" for v in values)
                self.refused(self.post_head(extra + b"\r\n") + b'{"name":"x","q":"china"}' + self.SMUGGLED,
                             names="Content-Length")

    def test_a_repeated_equal_content_length_is_one(self):
        body = b'{"name": "twice", "q": "china"}'
        for extra in [b"Content-Length: %d\r\nContent-Length: %d\r\n" % (len(body), len(body)),
                      b"Content-Length: %d, %d\r\n" % (len(body), len(body)),
                      b"Content-Length: 000%d\r\n" % len(body)]:
            with self.subTest(extra=extra):
                answers, out, closed, _ = exchange(self.post_head(extra + b"Connection: close\r\n\r\n") + body)
                self.assertEqual(len(answers), 1, out[:300])
                self.assertRegex(answers[0], " (201|409) ", out[:300])  # made, then there already
        self.assertEqual(get("/api/collections/twice")[0], 200)

    def test_bare_line_ends_are_400_at_once(self):
        for data in [b"GET /api/token HTTP/1.1\nHost: 127.0.0.1\n\n",
                     b"GET /api/token HTTP/1.1\r\nHost: 127.0.0.1\n\n",
                     b"GET /api/token HTTP/1.1\r\nHost: 127.0.0.1\n\r\n",
                     b"GET /api/token HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A: 1\n\r\n",
                     b"GET /api/token HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A: 1\rX-B: 2\r\n\r\n",
                     b"GET /api/token HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\r\n"]:
            with self.subTest(data=data):
                answers, out, closed, seconds = exchange(data + self.SMUGGLED)
                self.assertEqual(len(answers), 1, out[:300])
                self.assertIn(" 400 ", answers[0])
                self.assertTrue(closed)
                self.assertLess(seconds, 3)
                self.assertNotIn(b'"csrf"', out)

    def test_obs_fold_and_bad_header_lines_are_400(self):
        cases = [(b" host: evil\r\n", "space or tab"), (b"\thost: evil\r\n", "space or tab"),
                 (b"X-A: 1\r\n  folded\r\n", "space or tab"), (b"X-A: 1\r\n\tfolded\r\n", "space or tab"),
                 (b"Host : 127.0.0.1\r\n", "header name"), (b"no colon here\r\n", "':'"),
                 (b": empty name\r\n", "header name"), (b"X-A\x00: 1\r\n", "header name"),
                 (b"X-A: a\x00b\r\n", "control character"), (b"X-A: a\x1b[31mb\r\n", "control character"),
                 (b"X-A: a\x7fb\r\n", "control character")]
        for line, reason in cases:
            with self.subTest(line=line):
                data = b"GET /api/token HTTP/1.1\r\nHost: 127.0.0.1\r\n" + line + b"\r\n"
                if line.startswith((b" ", b"\t")):
                    data = b"GET /api/token HTTP/1.1\r\n" + line + b"Host: 127.0.0.1\r\n\r\n"
                self.refused(data, names=reason)
        # A tab in a value, and bytes of another script, are a value like any other.
        answers, _, _, _ = exchange(b"GET /api/token HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A: a\tb \xc3\xa9\r\n"
                                    b"Connection: close\r\n\r\n")
        self.assertEqual(answers, ["HTTP/1.1 200 OK"])

    def test_a_bad_request_line_closes_the_connection(self):
        for line in [b"BREW /api/token HTTP/1.1", b"GET  /api/token HTTP/1.1", b"GET /api/token HTTP/1.1 x",
                     b"GET /api/token HTTP/2.0", b"GET /api/\x00token HTTP/1.1", b"GET /api/token\tHTTP/1.1",
                     b"\r\nGET /api/token HTTP/1.1"]:
            with self.subTest(line=line):
                answers, out, closed, seconds = exchange(line + b"\r\nHost: 127.0.0.1\r\n\r\n" + self.SMUGGLED)
                self.assertEqual(len(answers), 1, out[:300])
                self.assertIn(" 400 ", answers[0])
                self.assertTrue(closed)
                self.assertLess(seconds, 3)
                self.assertNotIn(b'"csrf"', out)

    def test_a_body_cpp_httplib_cannot_read_closes_the_connection(self):
        # A trailer field after the last chunk (cpp-httplib 0.11 reads none), and a chunk of bad size.
        for body, names in [(b"2\r\n{}\r\n0\r\nX-Trailer: 1\r\n\r\n", "trailer"),
                            (b"zz\r\n{}\r\n0\r\n\r\n", "chunk size")]:
            with self.subTest(body=body):
                self.refused(self.post_head(b"Transfer-Encoding: chunked\r\n\r\n") + body + self.SMUGGLED,
                             names=names)

    def test_good_requests_still_pass(self):
        # A body under the limit by Content-Length then a pipelined GET on the same connection.
        body = b'{"name": "framed", "q": "china"}'
        answers, out, _, _ = exchange(self.post_head(b"Content-Length: %d\r\n\r\n" % len(body)) + body
                                      + b"GET /api/token HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        self.assertEqual(len(answers), 2, out[:600])
        self.assertIn(" 201 ", answers[0])
        self.assertIn(" 200 ", answers[1])
        # Chunked, with a chunk extension, then a pipelined GET.
        answers, out, _, _ = exchange(
            b"POST /api/collections/framed HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + b"X-CSRF-Token: " + token(SERVER.base).encode() + b"\r\nTransfer-Encoding: chunked\r\n\r\n"
            + b'14;x=1\r\n{"action":"refresh"}\r\n0\r\n\r\n'
            + b"GET /api/token HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        self.assertEqual(len(answers), 2, out[:600])
        self.assertIn(" 200 ", answers[0])
        self.assertIn(" 200 ", answers[1])


class ChunkFraming(unittest.TestCase):
    """rt11g rows 12-13: a chunked body's framing (RFC 9112 section 7.1) is checked as it comes: a chunk size
    that is not plain HEXDIG, chunk data not followed by CRLF, a bare LF, a chunk extension or a trailer
    field is a 400 at once with Connection: close; never a hang, and nothing is changed."""

    def post_head(self):
        return (b"POST /api/collections HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + b"X-CSRF-Token: " + token(SERVER.base).encode() + b"\r\nTransfer-Encoding: chunked\r\n\r\n")

    def test_bad_chunk_framing_is_400_at_once(self):
        for i, (frame, reason) in enumerate([
                (b"0x%X\r\n%s\r\n0\r\n\r\n", "chunk size"), (b"-%X\r\n%s\r\n0\r\n\r\n", "chunk size"),
                (b"+%X\r\n%s\r\n0\r\n\r\n", "chunk size"), (b" %X\r\n%s\r\n0\r\n\r\n", "chunk size"),
                (b"%X \r\n%s\r\n0\r\n\r\n", "chunk size"), (b"\r\n%X\r\n%s\r\n0\r\n\r\n", "chunk size"),
                (b"1%016X\r\n%s\r\n0\r\n\r\n", "too large"), (b"%X\r\n%sXX0\r\n\r\n", "CRLF"),
                (b"%X\r\n%s\n0\r\n\r\n", "CRLF"), (b"%X\n%s\n0\n\n", "LF"), (b"%X\r\n%s\r\n0\n\n", "LF"),
                (b"%X\r\n%s\r\n0\r\n\n", "LF"), (b"%X\r%s\r\n0\r\n\r\n", "CR"),
                (b"%X;\r\n%s\r\n0\r\n\r\n", "extension"), (b"%X;=1\r\n%s\r\n0\r\n\r\n", "extension"),
                (b"%X;a b\r\n%s\r\n0\r\n\r\n", "extension"), (b'%X;a="b\r\n%s\r\n0\r\n\r\n', "extension"),
                (b"%X;a=\x00\r\n%s\r\n0\r\n\r\n", "extension"), (b"%X;a\n%s\r\n0\r\n\r\n", "LF"),
                (b"%X\r\n%s\r\n0;x y\r\n\r\n", "extension"), (b"%X\r\n%s\r\n0\r\nX-Trailer: 1\r\n\r\n", "trailer")]):
            name = b"badchunk%d" % i
            body = b'{"name": "' + name + b'", "q": "china"}'
            data = frame.replace(b"%X", b"%X" % len(body)).replace(b"%s", body) if b"%016X" not in frame else \
                frame.replace(b"%016X", b"%016X" % len(body)).replace(b"%s", body)
            with self.subTest(frame=data):
                answers, out, closed, seconds = exchange(self.post_head() + data + Framing.SMUGGLED)
                self.assertEqual(len(answers), 1, out[:600])
                # A size past the body limit (one that overflows too) is refused as too large.
                self.assertIn(" 413 " if reason == "too large" else " 400 ", answers[0], out[:600])
                self.assertTrue(closed, "the connection was left open: %r" % out[:300])
                self.assertIn(b"Connection: close", out)
                self.assertLess(seconds, 3)
                self.assertNotIn(b'"csrf"', out)
                self.assertIn(reason, json.loads(out.partition(b"\r\n\r\n")[2])["error"])
                self.assertEqual(get("/api/collections/" + name.decode())[0], 404)

    def test_plain_chunks_still_pass(self):
        body = b'{"name": "goodchunks", "q": "china"}'
        data = (b"%04x\r\n" % 10 + body[:10] + b"\r\n" + b'%X ; a = "q\\"; b" ;c\r\n' % (len(body) - 10) + body[10:]
                + b"\r\n000\r\n\r\n")
        answers, out, _, _ = exchange(self.post_head() + data + b"GET /api/token HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                      b"Connection: close\r\n\r\n")
        self.assertEqual(len(answers), 2, out[:600])
        self.assertIn(" 201 ", answers[0])
        self.assertIn(" 200 ", answers[1])


class FormFields(unittest.TestCase):
    """rt11g row 9: a form field given twice is a 400 (as a JSON key given twice is), but `id` and the
    filters, which are lists."""

    def form(self, path, fields, query=""):
        body = "&".join(k + "=" + v for k, v in fields).encode()
        return post(path + query, body, {"Content-Type": "application/x-www-form-urlencoded"})

    def test_a_field_given_twice_is_400(self):
        t = token(SERVER.base)
        for i, fields in enumerate([[("csrf", t), ("csrf", "bad"), ("name", "twice%d"), ("q", "fox")],
                                    [("csrf", t), ("name", "twice%d"), ("name", "other%d"), ("q", "fox")],
                                    [("csrf", t), ("name", "twice%d"), ("q", "fox"), ("q", "peace")],
                                    [("csrf", t), ("name", "twice%d"), ("q", "fox"), ("sort", "date"),
                                     ("sort", "relevance")]]):
            fields = [(k, v.replace("%d", str(i))) for k, v in fields]
            with self.subTest(fields=fields):
                status, _, body = self.form("/collections", fields)
                self.assertEqual(status, 400, body)
                self.assertIn(b"given twice", body)
                self.assertEqual(get("/api/collections/twice%d" % i)[0], 404)
                self.assertEqual(get("/api/collections/other%d" % i)[0], 404)
        # Once in the URL and once in the body is twice too.
        status, _, _ = self.form("/collections", [("csrf", t), ("name", "twice9"), ("q", "fox")], "?name=other9")
        self.assertEqual(status, 400)
        self.assertEqual(get("/api/collections/twice9")[0], 404)
        # Filters and ids are lists.
        status, _, body = self.form("/collections", [("csrf", t), ("name", "lists"), ("q", "china"),
                                                     ("actor", "china"), ("actor", "pakistan")])
        self.assertEqual(status, 303, body)
        ids = [d["id"] for d in json.loads(get("/api/search?q=china&limit=2")[2])["results"]]
        status, _, body = self.form("/collections/lists/exclude", [("csrf", t), ("id", ids[0]), ("id", ids[1])])
        self.assertEqual(status, 303, body)
        self.assertEqual(sorted(json.loads(get("/api/collections/lists")[2])["excluded"]), sorted(ids))


class SlowClients(unittest.TestCase):
    """rt11g row 7: the request head has 5 s from its first byte in all (not 5 s a byte); a request with
    no Host is a 400; Connection: close is honoured."""

    def test_a_dribbled_head_is_cut_off_5_s_after_its_first_byte(self):
        import socket
        s = socket.create_connection(("127.0.0.1", SERVER.port))
        s.settimeout(0.5)
        start = time.time()
        out, closed = b"", False
        try:
            for b in b"GET /api/token HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 40:
                s.sendall(bytes([b]))
                try:
                    c = s.recv(4096)
                    out += c
                    if not c:
                        closed = True
                        break
                except socket.timeout:
                    pass
        except OSError:
            closed = True
        seconds = time.time() - start
        try:
            s.settimeout(2)
            out += s.recv(4096)  # the answer, if the send failed before it was read
        except OSError:
            pass
        s.close()
        self.assertTrue(closed, "still open after %.1f s" % seconds)
        self.assertLess(seconds, 7)
        self.assertGreater(seconds, 4)
        self.assertIn(b" 408 ", out)

    def trickle_body(self, head, piece):
        """Sends `head`, then `piece` every half second; returns (closed, seconds, what came back)."""
        import socket
        s = socket.create_connection(("127.0.0.1", SERVER.port))
        s.settimeout(0.5)
        s.sendall(head)
        start = time.time()
        out, closed = b"", False
        try:
            while time.time() - start < 25:
                s.sendall(piece)
                try:
                    c = s.recv(4096)
                    out += c
                    if not c:
                        closed = True
                        break
                except socket.timeout:
                    pass
        except OSError:
            closed = True
        seconds = time.time() - start
        try:
            s.settimeout(2)
            out += s.recv(4096)
        except OSError:
            pass
        s.close()
        return closed, seconds, out

    def test_a_trickled_body_is_cut_off_10_s_after_the_requests_first_byte(self):
        """rt11i row 11: the head's 5 s did not cover the body; a byte a second held the thread for hours."""
        t = token(SERVER.base)
        head = ("POST /api/collections HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nX-CSRF-Token: %s\r\n"
                "Content-Type: application/json\r\n" % (SERVER.port, t)).encode()
        for name, framing, piece in [("length", b"Content-Length: 60000\r\n\r\n", b"a"),
                                     ("chunked", b"Transfer-Encoding: chunked\r\n\r\n", b"1\r\na\r\n")]:
            with self.subTest(framing=name):
                closed, seconds, out = self.trickle_body(head + framing, piece)
                self.assertTrue(closed, "still open after %.1f s" % seconds)
                self.assertLess(seconds, 13)
                self.assertGreater(seconds, 8)
                self.assertIn(b" 408 ", out)
                self.assertIn(b"not complete 10 s", out)
        # The server still answers.
        self.assertEqual(get("/api/search?q=china")[0], 200)

    def test_a_request_without_host_is_400(self):
        for version in [b"1.1", b"1.0"]:
            with self.subTest(version=version):
                answers, out, closed, _ = exchange(b"GET /api/token HTTP/" + version + b"\r\nConnection: close\r\n\r\n")
                self.assertEqual(len(answers), 1, out)
                self.assertIn(" 400 ", answers[0])
                self.assertIn(b"Host", out.partition(b"\r\n\r\n")[2])

    def test_connection_close_is_honoured(self):
        answers, out, closed, seconds = exchange(b"GET /api/token HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                                 b"Connection: close\r\n\r\n" + Framing.SMUGGLED)
        self.assertEqual(answers, ["HTTP/1.1 200 OK"])
        self.assertTrue(closed)
        self.assertLess(seconds, 2)
        self.assertIn(b"Connection: close", out)


class Echoes(unittest.TestCase):
    """rt11f: an error that names what the request sent names all of it, its control characters and
    invalid UTF-8 shown escaped (\\x00, U+FFFD), never cut at a NUL nor sent raw, in JSON and on pages."""

    MARK = "a%00b%1b[31mc%ffd"
    SHOWN = "a\\x00b\\x1b[31mc\ufffdd"

    def check_clean(self, body):
        text = body.decode("utf-8")  # strict: no invalid UTF-8 sent on
        self.assertFalse([ch for ch in text if ord(ch) < 0x20 and ch not in "\n"], text[:300])
        return text

    def test_json_errors_quote_the_input_whole(self):
        t = {"X-CSRF-Token": token(SERVER.base)}
        cases = [("GET", "/api/documents/" + self.MARK, None, 404, "no document '" + self.SHOWN + "'"),
                 ("GET", "/api/search?q=china&sort=" + self.MARK, None, 400, "not '" + self.SHOWN + "'"),
                 ("GET", "/api/search?q=china&limit=" + self.MARK, None, 400, "not '" + self.SHOWN + "'"),
                 ("GET", "/api/search?q=china&k1=" + self.MARK, None, 400, "not '" + self.SHOWN + "'"),
                 ("GET", "/api/search?q=china&passages=" + self.MARK, None, 400, "not '" + self.SHOWN + "'"),
                 ("GET", "/api/search?q=china&" + self.MARK + "=1", None, 400, "'" + self.SHOWN + "'"),
                 ("GET", "/api/search?q=china&facet-order=" + self.MARK, None, 400, "not '" + self.SHOWN + "'"),
                 ("GET", "/api/collections/" + self.MARK, None, 400, "name '" + self.SHOWN + "'"),
                 ("GET", "/api/nothing/" + self.MARK, None, 404, self.SHOWN),
                 ("POST", "/api/collections/keep", {"action": "a\u0000b\u001b[31mc"}, None, "'a\\x00b\\x1b[31mc'"),
                 ("POST", "/api/collections", {"name": "a\u0000b\u001b[31mc", "q": "china"}, 400,
                  "'a\\x00b\\x1b[31mc'")]
        for method, path, obj, status, shown in cases:
            with self.subTest(path=path, obj=obj):
                if method == "GET":
                    got, h, body = get(path)
                else:
                    got, h, body = post_json(path, obj, t)
                if status is not None:
                    self.assertEqual(got, status, body[:300])
                self.assertTrue(h["Content-Type"].startswith("application/json"))
                self.check_clean(body)
                self.assertIn(shown, json.loads(body)["error"])

    def test_pages_quote_the_input_whole(self):
        for path, status in [("/doc/" + self.MARK, 404), ("/nothing/" + self.MARK, 404),
                             ("/collections/" + self.MARK, 400), ("/?q=china&sort=" + self.MARK, 400)]:
            with self.subTest(path=path):
                got, h, body = get(path)
                self.assertEqual(got, status)
                self.assertTrue(h["Content-Type"].startswith("text/html"))
                self.assertIn(self.SHOWN, self.check_clean(body))

    def test_header_values_in_errors(self):
        # Bytes that are not UTF-8 in Host and Origin (control characters there are refused as framing).
        answers, out, _, _ = exchange(b"GET /api/token HTTP/1.1\r\nHost: ev\xffil\r\nConnection: close\r\n\r\n")
        self.assertIn(" 403 ", answers[0])
        err = json.loads(self.check_clean(out.partition(b"\r\n\r\n")[2]))["error"]
        self.assertIn("'ev\ufffdil'", err)
        answers, out, _, _ = exchange(
            b"POST /api/collections HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: http://ev\xffil\r\nContent-Length: 2\r\n"
            b"Content-Type: application/json\r\nConnection: close\r\n\r\n{}")
        self.assertIn(" 403 ", answers[0])
        err = json.loads(self.check_clean(out.partition(b"\r\n\r\n")[2]))["error"]
        self.assertIn("http://ev\ufffdil", err)


def stopped(pid, limit=30):
    """Waits until process `pid` is stopped (SIGSTOP by the crash shim); True when it is."""
    deadline = time.time() + limit
    while time.time() < deadline:
        with open("/proc/%d/stat" % pid) as f:
            if f.read().rsplit(")", 1)[1].split()[0] == "T":
                return True
        time.sleep(0.02)
    return False


def write_locked(db):
    """Whether some process holds Xapian's write lock on `db` (a fcntl lock on its flintlock file)."""
    import fcntl
    import struct
    with open(os.path.join(db, "flintlock"), "r+b") as f:
        lock = struct.pack("hhqqi", fcntl.F_WRLCK, 0, 0, 0, 0)
        got = fcntl.fcntl(f.fileno(), fcntl.F_GETLK, lock)
        return struct.unpack("hhqqi", got)[0] != fcntl.F_UNLCK


class Locked(unittest.TestCase):
    """rt11f: a collection change while `quire index` holds the index's write lock is a 409 with
    Retry-After at once (serve waits for the lock well under a second), not a wait of up to 30 s; reads
    go on; `quire collection` still waits for the lock."""

    def test_a_change_while_quire_index_holds_the_lock_is_409_at_once(self):
        shim = os.environ.get("QUIRE_CRASH_SHIM", "")
        self.assertTrue(os.path.exists(shim), "QUIRE_CRASH_SHIM must name the crash shim (tests/CMakeLists.txt)")
        asan = os.environ.get("ASAN_OPTIONS", "")
        env = dict(os.environ, LD_PRELOAD=shim, QUIRE_CRASH_AT="fsync:1:stop",
                   ASAN_OPTIONS=asan + (":" if asan else "") + "verify_asan_link_order=0")
        with tempfile.TemporaryDirectory(prefix="quire-serve-locked-") as work:
            db = make_index(QUIRE, SOURCE, work)
            server = Server(QUIRE, db)
            rebuild = cli = None
            try:
                t = {"X-CSRF-Token": token(server.base)}
                self.assertEqual(post_json("/api/collections", {"name": "before", "q": "china"}, t, server.base)[0], 201)
                # The rebuild stops itself at its first fsync, holding the write lock.
                rebuild = subprocess.Popen([QUIRE, "index", "--rebuild", "--db", db, os.path.join(work, "docs")],
                                           env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                self.assertTrue(stopped(rebuild.pid))
                self.assertTrue(write_locked(db))
                form = {"Content-Type": "application/x-www-form-urlencoded"}
                for path, obj in [("/api/collections", {"name": "during", "q": "china"}),
                                  ("/api/collections/before", {"action": "refresh"}),
                                  ("/api/collections/before", {"action": "add", "ids": ["hostile-doc"]}),
                                  ("/api/collections/before", {"action": "exclude", "ids": ["hostile-doc"]}),
                                  ("/api/collections/before", {"action": "delete"}),
                                  ("/collections/before/refresh", None), ("/collections", None)]:
                    with self.subTest(path=path, obj=obj):
                        start = time.time()
                        if obj is None:
                            status, h, body = post(path, ("name=during&q=china&csrf=" + t["X-CSRF-Token"]).encode(),
                                                   form, server.base)
                        else:
                            status, h, body = post_json(path, obj, t, server.base)
                        self.assertLess(time.time() - start, 2)
                        self.assertEqual(status, 409, body[:300])
                        self.assertRegex(h.get("Retry-After", ""), r"^[1-9][0-9]*$")
                        text = body.decode()
                        if path.startswith("/api/"):
                            text = json.loads(body)["error"]
                        self.assertIn("is locked", text)
                        self.assertIn("try again", text)
                # Reading goes on meanwhile.
                self.assertEqual(request(server.base, "/api/collections/before")[0], 200)
                self.assertEqual(request(server.base, "/api/search?q=china")[0], 200)
                # The command line waits for the lock, as before.
                cli = subprocess.Popen([QUIRE, "collection", "new", "bycli", "--query", "china", "--db", db],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                time.sleep(1.5)
                self.assertIsNone(cli.poll())
                os.kill(rebuild.pid, signal.SIGCONT)
                self.assertEqual(rebuild.wait(timeout=120), 0, rebuild.stderr.read())
                self.assertEqual(cli.wait(timeout=60), 0, cli.stderr.read())
                # Nothing was changed by the refused requests, and now a change goes through.
                shown = json.loads(request(server.base, "/api/collections/before")[2])
                self.assertEqual(len(shown["history"]), 1)
                self.assertEqual(post_json("/api/collections", {"name": "during", "q": "china"}, t, server.base)[0], 201)
            finally:
                for p in (rebuild, cli):
                    if p is not None and p.poll() is None:
                        os.kill(p.pid, signal.SIGCONT)
                        p.wait(timeout=120)
                self.assertEqual(server.stop(), 0)


class Connections(unittest.TestCase):
    def test_idle_keep_alive_connections_do_not_hold_up_a_new_one(self):
        # A fixed pool would make the new request wait for the 5 s keep-alive timeout; this checks the
        # pool grows (benchmarks/serve_idle.py measures the delay itself).
        import socket
        idle = []
        try:
            for _ in range(100):
                s = socket.create_connection(("127.0.0.1", SERVER.port))
                s.sendall(b"GET /api/token HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                s.settimeout(30)
                self.assertIn(b" 200 ", s.recv(4096))
                idle.append(s)
            start = time.time()
            self.assertEqual(get("/api/search?q=china&limit=1")[0], 200)
            self.assertLess(time.time() - start, 2.5)
        finally:
            for s in idle:
                s.close()


class Escaping(unittest.TestCase):
    def test_document_strings_reach_pages_escaped(self):
        for path in ["/?q=zanzibarite", "/?q=zanzibarite&passages=1", "/doc/hostile-doc", "/doc/hostile-doc?q=zanzibarite",
                     "/?q=zanzibarite&facets=publisher"]:
            with self.subTest(path=path):
                status, _, body = get(path)
                html = body.decode()
                self.assertEqual(status, 200)
                self.assertNotIn("<script>window", html)
                self.assertNotIn("<img", html)
                self.assertNotIn("<svg onload", html)
                self.assertNotIn("<b onmouseover", html)
                self.assertNotIn('href="javascript', html.lower())
                self.assertIn("&lt;script&gt;window.__pwned", html)

    def test_the_query_reaches_the_page_escaped(self):
        status, _, body = get('/?q=%22%3E%3Cscript%3Ealert(1)%3C/script%3E&actor=%22%3E%3Cimg%20src=x%3E')
        html = body.decode()
        self.assertNotIn("<script>alert", html)
        self.assertNotIn("<img", html)


class FileNames(unittest.TestCase):
    """rt11h rows 5, 7, 10: a file named with LF and CR, and one with U+202E, on serve's pages and API."""

    def test_a_file_name_with_line_breaks_is_one_line_and_its_id_works(self):
        with tempfile.TemporaryDirectory(prefix="quire-serve-names-") as work:
            docs = os.path.join(work, "d")
            os.makedirs(docs)
            body = "Zebra a\u2028b c\u2029d giraffe okapi narwhal prose sentence with enough words, surely.\n"
            for name in ["zq\nnl\rcr.txt", "zq \u202etxt.exe.txt"]:
                with open(os.path.join(docs, name), "w", encoding="utf-8") as f:
                    f.write(body)
            db = os.path.join(work, "index")
            subprocess.run([QUIRE, "index", "--db", db, docs], check=True, stdout=subprocess.DEVNULL)
            server = Server(QUIRE, db, "--read-only")
            try:
                for doc_id in ["zq_nl_cr", "zq_txt.exe"]:
                    status, _, page = request(server.base, "/doc/" + doc_id)
                    self.assertEqual(status, 200, doc_id)
                    text = page.decode("utf-8")
                    self.assertNotIn("\u2028", text)
                    self.assertNotIn("\u202e", text)
                    status, _, api = request(server.base, "/api/documents/" + doc_id)
                    self.assertEqual(status, 200, doc_id)
                    self.assertEqual(json.loads(api)["id"], doc_id)
                status, _, page = request(server.base, "/doc/zq_nl_cr")
                text = page.decode("utf-8")
                self.assertIn("zq\\nnl\\rcr.txt", text)  # as the terminal shows it: printable_line()
                self.assertNotIn("zq\nnl", text)
            finally:
                self.assertEqual(server.stop(), 0)


class Api(unittest.TestCase):
    def test_api_search_is_the_cli_search_json_object(self):
        cases = [(["--passages", "--limit", "3", '"all-weather"'], "passages=1&limit=3&q=%22all-weather%22"),
                 (["--actor", "china", "--facets", "actor,theme", "pakistan"], "actor=china&facets=actor,theme&q=pakistan"),
                 (["--offset", "1", "--limit", "2", "china"], "offset=1&limit=2&q=china")]
        for args, query in cases:
            with self.subTest(query=query):
                cli = subprocess.run([QUIRE, "search", "--db", DB, "--json", *args], capture_output=True, check=True)
                status, _, body = get("/api/search?" + query)
                self.assertEqual(status, 200)
                api = json.loads(body)
                self.assertEqual(api.pop("sort"), "relevance")
                self.assertEqual(api, json.loads(cli.stdout))

    def test_a_bracketed_group_of_filters_restricts_q(self):
        import urllib.parse
        q = "pakistan (actor:india OR actor:china)"
        cli = subprocess.run([QUIRE, "search", "--db", DB, "--json", "--passages", "--limit", "1000", q],
                             capture_output=True, check=True)
        status, _, body = get("/api/search?passages=1&limit=1000&q=" + urllib.parse.quote(q))
        self.assertEqual(status, 200)
        api = json.loads(body)
        api.pop("sort")
        self.assertEqual(api, json.loads(cli.stdout))
        self.assertTrue(api["results"])
        for hit in api["results"]:
            passage = hit["passages"][0]
            self.assertTrue({"india", "china"} & set(passage.get("actors", [])), hit["id"])
            self.assertIn("pakistan", passage["text"].lower(), hit["id"])

    def test_every_facet_value_link_filters_to_its_count(self):
        import html as htmlmod
        import re
        _, _, body = get("/?q=pakistan")
        page = body.decode()
        checked = set()
        for facet, section in re.findall(r'<section class="facet" data-facet="([a-z]+)">(.*?)</section>', page, re.S):
            links = re.findall(r'<li><a href="([^"]+)"><span class="label">[^<]*</span> '
                               r'<span class="count" title="documents">(\d+)</span>', section)
            for href, count in links[:3]:
                with self.subTest(facet=facet, href=href):
                    status, _, body = get(htmlmod.unescape(href))
                    self.assertEqual(status, 200)
                    target = body.decode()
                    self.assertIn('class="chip"', target)
                    m = re.search(r'role="status">(?:about )?(\d+) document', target)
                    self.assertEqual(m.group(1), count)
                    checked.add(facet)
        self.assertTrue({"actor", "theme", "published", "speaker", "publisher", "dyad"} <= checked, checked)

    def test_sort_by_date(self):
        dates = {}
        for sort in ["newest", "oldest"]:
            _, _, body = get("/api/search?q=china&limit=20&sort=" + sort)
            dates[sort] = [r["date"] for r in json.loads(body)["results"]]
        dated = [d for d in dates["newest"] if d]
        self.assertGreater(len(set(dated)), 1)
        self.assertEqual(dated, sorted(dated, reverse=True))
        self.assertEqual([d for d in dates["oldest"] if d], sorted(dated))

    def test_facets_and_documents(self):
        status, _, body = get("/api/facets?q=pakistan")
        j = json.loads(body)
        self.assertEqual(status, 200)
        self.assertIs(j["total_exact"], True)
        self.assertEqual(sorted(j["facets"]),
                         sorted(["actor", "theme", "published", "mentions", "speaker", "publisher", "dyad", "by"]))
        status, _, body = get("/api/documents/hostile-doc?q=zanzibarite")
        d = json.loads(body)
        self.assertEqual(d["id"], "hostile-doc")
        self.assertEqual([p["passage"] for p in d["passages"]], [1, 2])
        self.assertTrue(all(p["highlights"] for p in d["passages"]))
        for path in ["/api/documents/no-such-doc", "/api/collections/no-such", "/api/nothing"]:
            with self.subTest(path=path):
                status, _, body = get(path)
                self.assertEqual(status, 404)
                self.assertIn("error", json.loads(body))

    def test_a_concurrent_index_shows_up(self):
        docs = os.path.join(WORK.name, "later")
        os.makedirs(docs, exist_ok=True)
        with open(os.path.join(docs, "later.md"), "w") as f:
            f.write("# Later\n\nThe quixotrombe treaty was signed after the server started.\n")
        self.assertEqual(json.loads(get("/api/search?q=quixotrombe")[2])["total"], 0)
        subprocess.run([QUIRE, "index", "--db", DB, docs], check=True, stdout=subprocess.DEVNULL)
        self.assertEqual(json.loads(get("/api/search?q=quixotrombe")[2])["total"], 1)


class Exports(unittest.TestCase):
    """A catalogue's strings must not break out of their field in a download."""

    HOSTILE_EXPORT = """<?xml version="1.0" encoding="UTF-8"?>
<document version="1" id="export-breakout">
  <meta>
    <title>=HYPERLINK("http://evil.example/","open") xylocarpite</title>
    <authors><author>+cmd|' /C calc'!A0</author><author>@SUM(1+1)</author></authors>
    <publisher>-2+3</publisher>
    <date>2021</date>
    <url>http://x.example/}, note = {PWNED}}
@preamble{"\\input{/etc/passwd}"}
@misc{y, x = {</url>
  </meta>
  <body><section><p>The xylocarpite export paragraph.</p></section></body>
</document>
"""

    @classmethod
    def setUpClass(cls):
        docs = os.path.join(WORK.name, "export-docs")
        os.makedirs(docs, exist_ok=True)
        with open(os.path.join(docs, "breakout.xml"), "w", encoding="utf-8") as f:
            f.write(cls.HOSTILE_EXPORT)
        subprocess.run([QUIRE, "index", "--db", DB, docs], check=True, stdout=subprocess.DEVNULL)
        t = {"X-CSRF-Token": token(SERVER.base)}
        status, _, body = post_json("/api/collections", {"name": "breakout", "q": "xylocarpite"}, t)
        assert status == 201, body

    def test_a_url_cannot_close_its_bibtex_field(self):
        status, _, body = get("/api/collections/breakout/export?format=bibtex")
        self.assertEqual(status, 200)
        bib = body.decode()
        entries = [line for line in bib.splitlines() if line.startswith("@")]
        self.assertEqual(len(entries), 1, bib)  # one entry, no injected @preamble or @misc
        self.assertNotIn("note = {PWNED", bib)
        url = [line for line in bib.splitlines() if line.strip().startswith("url = ")]
        self.assertEqual(len(url), 1, bib)
        value = url[0].strip()[len("url = {"):-len("},")]
        depth = 0
        for c in value:  # the braces inside the value balance and never close the field early
            depth += {"{": 1, "}": -1}.get(c, 0)
            self.assertGreaterEqual(depth, 0, url[0])
        self.assertEqual(depth, 0, url[0])

    def test_csv_cells_cannot_start_a_spreadsheet_formula(self):
        import csv
        import io
        status, _, body = get("/api/collections/breakout/export?format=csv")
        self.assertEqual(status, 200)
        rows = list(csv.reader(io.StringIO(body.decode(), newline="")))
        self.assertEqual(len(rows), 2, rows)
        for cell in rows[1]:
            with self.subTest(cell=cell):
                self.assertFalse(cell[:1] in ("=", "+", "-", "@", "\t", "\r"), cell)
        self.assertIn("HYPERLINK", rows[1][1])  # the text itself is kept


class Modes(unittest.TestCase):
    def test_read_only_refuses_every_change(self):
        ro = Server(QUIRE, DB, "--read-only")
        try:
            t = token(ro.base)
            for path, body in [("/api/collections", {"name": "ro", "q": "china"}),
                               ("/api/collections/keep", {"action": "delete"}),
                               ("/api/collections/keep", {"action": "exclude", "ids": ["hostile-doc"]})]:
                with self.subTest(path=path, body=body):
                    status, _, out = post_json(path, body, {"X-CSRF-Token": t}, base=ro.base)
                    self.assertEqual(status, 403)
                    self.assertIn("read-only", json.loads(out)["error"])
            form = {"Content-Type": "application/x-www-form-urlencoded"}
            for path in ["/collections", "/collections/keep/delete", "/collections/keep/refresh"]:
                with self.subTest(path=path):
                    status, _, _ = post(path, ("name=ro&q=china&csrf=" + t).encode(), form, base=ro.base)
                    self.assertEqual(status, 403)
            html = request(ro.base, "/?q=china")[2].decode()
            self.assertNotIn('method="post"', html)
            self.assertIn("(read-only)", ro.stderr())
        finally:
            self.assertEqual(ro.stop(), 0)
        self.assertEqual(get("/api/collections/keep")[0], 200)

    def test_a_second_server_cannot_take_the_port(self):
        p = subprocess.run([QUIRE, "serve", "--db", DB, "--port", str(SERVER.port)], capture_output=True,
                           text=True, timeout=30)
        self.assertEqual(p.returncode, 2)
        self.assertIn("cannot listen on 127.0.0.1:%d" % SERVER.port, p.stderr)

    def test_bad_serve_options(self):
        for args, message in [(["--port", "70000"], "--port must be between 0 and 65535"),
                              (["--max-connections", "0"], "--max-connections must be between"),
                              (["--time-limit", "0"], "--time-limit must be more than 0"),
                              (["--keep-alive", "0"], "--keep-alive must be between"),
                              (["--db", os.path.join(WORK.name, "nothing")], "no index at")]:
            with self.subTest(args=args):
                defaults = [a for a in (["--db", DB], ["--port", "0"]) if a[0] not in args]
                p = subprocess.run([QUIRE, "serve", *sum(defaults, []), *args], capture_output=True, text=True,
                                   timeout=30)
                self.assertEqual(p.returncode, 2)
                self.assertIn(message, p.stderr)

    def test_listening_beyond_loopback_warns(self):
        wide = Server(QUIRE, DB, "--host", "0.0.0.0")
        try:
            self.assertIn("warning: listening on 0.0.0.0, not loopback", wide.stderr())
            status, _, _ = request(wide.base, "/api/search?q=china", headers={"Host": "evil.example"})
            self.assertEqual(status, 403)
        finally:
            self.assertEqual(wide.stop(), 0)
        self.assertNotIn("warning", SERVER.stderr())



class Rebuilt(unittest.TestCase):
    """`quire index --rebuild` swaps a new index in at the same path while the server runs."""

    def test_searches_and_new_collections_see_the_rebuilt_index(self):
        with tempfile.TemporaryDirectory(prefix="quire-serve-rebuild-") as work:
            db = make_index(QUIRE, SOURCE, work)
            docs = os.path.join(work, "docs")
            server = Server(QUIRE, db)
            try:
                self.assertEqual(json.loads(request(server.base, "/api/search?q=zarquonite")[2])["total"], 0)
                before = json.loads(request(server.base, "/api/search?q=corridor")[2])["total"]
                self.assertGreater(before, 0)
                with open(os.path.join(docs, "new.md"), "w") as f:
                    f.write("# New\n\nThe zarquonite accord came with the rebuild.\n")
                subprocess.run([QUIRE, "index", "--rebuild", "--db", db, docs], check=True,
                               stdout=subprocess.DEVNULL)
                for _ in range(3):  # every searcher of the pool, not only the first one taken
                    got = json.loads(request(server.base, "/api/search?q=zarquonite")[2])
                    self.assertEqual(got["total"], 1)
                    self.assertEqual(got["results"][0]["id"], "new")
                t = {"X-CSRF-Token": token(server.base)}
                status, _, body = post_json("/api/collections", {"name": "after", "q": "zarquonite"}, t, server.base)
                self.assertEqual(status, 201, body)
                show = subprocess.run([QUIRE, "collection", "show", "after", "--json", "--db", db], check=True,
                                      capture_output=True, text=True)
                shown = json.loads(show.stdout)["documents"]
                self.assertEqual([(d["id"], d["in_index"]) for d in shown], [("new", True)])
            finally:
                self.assertEqual(server.stop(), 0)

    def test_a_download_name_cannot_break_its_header(self):
        status, h, _ = get("/api/collections/breakout/export?format=csv")
        self.assertEqual(status, 200)
        self.assertRegex(h["Content-Disposition"], r'^attachment; filename="[A-Za-z0-9_-]+\.csv"$')


class DamagedCollection(unittest.TestCase):
    """rt11g row 6: one damaged record in the manifest leaves the other collections listed and usable,
    is named, and can be deleted (on a copy of the index, with its own server)."""

    def test_a_damaged_record_is_named_and_can_be_deleted(self):
        import shutil
        db = os.path.join(WORK.name, "damaged-idx")
        shutil.copytree(DB, db)
        subprocess.run([QUIRE, "collection", "new", "good", "--db", db, "--query", "china"], check=True,
                       stdout=subprocess.DEVNULL)
        path = os.path.join(db, "quire-manifest.json")
        with open(path) as f:
            m = json.load(f)
        m["collections"]["bad"] = {"query": "peace", "matched": "x"}
        with open(path, "w") as f:
            json.dump(m, f)
        server = Server(QUIRE, db)
        try:
            status, _, body = request(server.base, "/api/collections")
            self.assertEqual(status, 200, body)
            j = json.loads(body)
            self.assertIn("good", [c["name"] for c in j["collections"]])
            self.assertNotIn("bad", [c["name"] for c in j["collections"]])
            self.assertIn("collection 'bad'", j["damaged"][0])
            status, _, body = request(server.base, "/collections")
            self.assertEqual(status, 200)
            self.assertIn(b"good", body)
            self.assertIn(b"is damaged", body)
            self.assertEqual(request(server.base, "/api/collections/good")[0], 200)
            self.assertEqual(request(server.base, "/api/collections/good/export?format=ris")[0], 200)
            t = {"X-CSRF-Token": token(server.base), "Content-Type": "application/json"}
            status, _, body = request(server.base, "/api/collections/good", method="POST",
                                      body=json.dumps({"action": "refresh"}).encode(), headers=t)
            self.assertEqual(status, 200, body)
            status, _, body = request(server.base, "/api/collections/bad", method="POST",
                                      body=json.dumps({"action": "delete"}).encode(), headers=t)
            self.assertEqual(status, 200, body)
            status, _, body = request(server.base, "/api/collections")
            self.assertNotIn("damaged", json.loads(body))
        finally:
            self.assertEqual(server.stop(), 0)


if __name__ == "__main__":
    QUIRE, SOURCE = sys.argv[1], sys.argv[2]
    unittest.main(argv=[sys.argv[0], "-v"] + sys.argv[3:])
