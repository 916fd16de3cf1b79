#!/usr/bin/env python3
"""Opens report.html pages in headless Chromium and checks what is rendered.

Usage: scripts/browser-check.py --chromium PATH --binary STORYCLUST --seeds DIR --work DIR --shots DIR [--corpus FILE]

Talks to Chromium over the DevTools protocol on a pipe (--remote-debugging-pipe: JSON messages
ending in NUL on file descriptors 3 and 4), so it needs nothing beyond Python's standard library.
For each page it records every network request, console message, exception and dialog, then
asserts on the DOM. Exits 1 with the failed checks listed.
"""
import argparse
import base64
import json
import os
import queue
import subprocess
import sys
import threading
import time

FAILURES = []


def check(condition, what):
    print(("ok   " if condition else "FAIL ") + what)
    if not condition:
        FAILURES.append(what)


class Browser:
    def __init__(self, chromium, profile):
        to_chrome_r, self.to_chrome = os.pipe()
        self.from_chrome, from_chrome_w = os.pipe()

        def child():
            # Moved out of the way first: a pipe end may itself be 3 or 4.
            read, write = os.dup(to_chrome_r), os.dup(from_chrome_w)
            os.dup2(read, 3)
            os.dup2(write, 4)
            os.set_inheritable(3, True)
            os.set_inheritable(4, True)

        self.proc = subprocess.Popen(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe",
             "--user-data-dir=" + profile, "--no-first-run", "--no-default-browser-check",
             "--disable-extensions", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--metrics-recording-only", "--hide-scrollbars", "about:blank"],
            preexec_fn=child, close_fds=False, stdout=subprocess.DEVNULL, stderr=open(os.path.join(profile + ".log"), "w"))
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self.next_id = 0
        self.messages = queue.Queue()
        self.events = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        buffer = b""
        while True:
            chunk = os.read(self.from_chrome, 1 << 16)
            if not chunk:
                self.messages.put(None)
                return
            buffer += chunk
            while b"\0" in buffer:
                message, buffer = buffer.split(b"\0", 1)
                self.messages.put(json.loads(message))

    def send(self, method, params=None, session=None, timeout=120):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.to_chrome, json.dumps(message).encode() + b"\0")
        deadline = time.time() + timeout
        while True:
            reply = self.messages.get(timeout=max(0.1, deadline - time.time()))
            if reply is None:
                raise RuntimeError("chromium closed the pipe")
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self._event(reply, session)

    def _event(self, event, session):
        self.events.append(event)
        if event.get("method") == "Page.javascriptDialogOpening":
            # Answered, so that the page goes on; the dialog itself is the failure.
            message = {"id": 0, "method": "Page.handleJavaScriptDialog", "params": {"accept": True}, "sessionId": event.get("sessionId", session)}
            os.write(self.to_chrome, json.dumps(message).encode() + b"\0")

    def wait_for(self, method, session, timeout=120):
        for event in self.events:
            if event.get("method") == method and not event.get("seen"):
                event["seen"] = True
                return event
        deadline = time.time() + timeout
        while True:
            event = self.messages.get(timeout=max(0.1, deadline - time.time()))
            if event is None:
                raise RuntimeError("chromium closed the pipe")
            self._event(event, session)
            if event.get("method") == method:
                event["seen"] = True
                return event

    def close(self):
        try:
            self.send("Browser.close", timeout=10)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


class Page:
    """One tab with every event domain the checks read."""

    def __init__(self, browser, width=1200, height=1600):
        self.browser = browser
        target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ["Page", "Runtime", "Log", "Network"]:
            self.send(domain + ".enable")
        self.send("Emulation.setDeviceMetricsOverride", {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})

    def send(self, method, params=None):
        return self.browser.send(method, params, self.session)

    def open(self, url):
        self.browser.events.clear()
        self.send("Page.navigate", {"url": url})
        self.browser.wait_for("Page.loadEventFired", self.session)

    def eval(self, expression):
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def screenshot(self, path, full=False):
        params = {"format": "png"}
        if full:
            height = min(self.eval("document.documentElement.scrollHeight"), 12000)
            params["clip"] = {"x": 0, "y": 0, "width": 1200, "height": height, "scale": 1}
            params["captureBeyondViewport"] = True
        data = self.send("Page.captureScreenshot", params)["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))
        print(f"     screenshot {path}")

    def problems(self, page_url):
        """Requests other than the page itself, console errors, exceptions and dialogs."""
        requests, errors, dialogs = [], [], []
        for event in self.browser.events:
            method, params = event.get("method"), event.get("params", {})
            # data: URLs never leave the machine (Chromium's date fields draw their icon with one).
            url = params.get("request", {}).get("url", "")
            if method == "Network.requestWillBeSent" and url != page_url and not url.startswith("data:"):
                requests.append(url)
            elif method == "Runtime.consoleAPICalled" and params["type"] in ("error", "assert", "warning"):
                errors.append(" ".join(str(a.get("value", a.get("description", ""))) for a in params["args"]))
            elif method == "Runtime.exceptionThrown":
                errors.append(params["exceptionDetails"].get("text", "exception"))
            elif method == "Log.entryAdded" and params["entry"]["level"] in ("error", "warning"):
                errors.append(params["entry"]["text"])
            elif method == "Page.javascriptDialogOpening":
                dialogs.append(params.get("message", ""))
        return requests, errors, dialogs


VISIBLE_CARDS = "Array.from(document.querySelectorAll('article.story')).filter(e => !e.hidden).length"


def search(page, text):
    page.eval(f"(() => {{ const q = document.getElementById('q'); q.value = {json.dumps(text)}; "
              "q.dispatchEvent(new Event('input')); })()")
    return page.eval(VISIBLE_CARDS)


def common_checks(page, name, url, expected_cards):
    requests, errors, dialogs = page.problems(url)
    check(requests == [], f"{name}: no network request (saw {requests[:3]})")
    check(errors == [], f"{name}: no console error or exception (saw {errors[:3]})")
    check(dialogs == [], f"{name}: no dialog (saw {dialogs[:3]})")
    cards = page.eval("document.querySelectorAll('article.story').length")
    check(cards == expected_cards, f"{name}: {expected_cards} story cards (saw {cards})")
    check(page.eval("document.getElementById('filters').hidden") is False, f"{name}: the script ran and showed the filters")
    check(page.eval("document.querySelectorAll('script').length") == 2, f"{name}: only the page's own two script elements")


def cluster(binary, inputs, out, extra=()):
    subprocess.run([binary, "cluster", *inputs, "--out", out, "--quiet", *extra], check=True)
    return "file://" + os.path.abspath(os.path.join(out, "report.html"))


HOSTILE = [
    {"id": "h1", "title": "</script><script>window.__pwned=1;alert(1)</script> Storm hits harbour town",
     "body": "storm harbour town flood waves boats damaged residents evacuated coast guard", "publisher": "\"><img src=x onerror=\"window.__pwned=2;alert(2)\">",
     "url": "javascript:window.__pwned=3;alert(3)", "published": "2024-05-01T10:00:00Z"},
    {"id": "h2", "title": "<svg onload=\"window.__pwned=4;alert(4)\"> Storm hits harbour town",
     "body": "storm harbour town flood waves boats damaged residents evacuated coast guard again", "publisher": "\u202eevil\u202c Outlet",
     "url": "https://ok.test/\"onmouseover=\"window.__pwned=5", "published": "2024-05-01T11:00:00Z"},
    {"id": "h3", "title": "Storm\u2028hits <iframe src=\"https://evil.test/\"></iframe> harbour town",
     "body": "storm harbour town flood waves boats damaged residents evacuated coast guard", "publisher": "<style>body{display:none}</style>",
     "url": "data:text/html,<script>alert(6)</script>", "published": "2024-05-01T12:00:00Z"},
]


def generate(path, count):
    """A seeded stand-in for ../shared/bench/gen_corpus.py where that is not checked out (CI):
    stories of 1 to 30 articles over three days, told by different outlets, some copied."""
    import random
    rng = random.Random(1)
    syllables = ["ka", "lo", "mer", "tin", "sa", "vo", "ree", "dan", "po", "lu", "shi", "ber", "nak", "tor", "ue", "gal"]
    word = lambda: "".join(rng.choice(syllables) for _ in range(rng.randint(2, 3)))
    outlets = [f"{word().title()} {rng.choice(['Times', 'Post', 'Daily', 'Herald', 'News'])}" for _ in range(120)]
    start = 1588291200  # 2020-05-01
    written, story = 0, 0
    with open(path, "w", encoding="utf-8") as f:
        while written < count:
            story += 1
            vocabulary = [word() for _ in range(12)]
            size = min(count - written, 1 if rng.random() < 0.4 else rng.randint(2, 30))
            first = start + rng.randint(0, 3 * 86400)
            for k in range(size):
                words = vocabulary if k % 5 == 4 else rng.sample(vocabulary, 9)
                title = " ".join(words[:6]).capitalize()
                body = " ".join(rng.choice(words) for _ in range(40))
                when = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(first + rng.randint(0, 36 * 3600)))
                f.write(json.dumps({"id": f"g{story}-{k}", "title": title, "body": body, "publisher": rng.choice(outlets),
                                    "url": f"https://news{k}.test/{story}/{k}", "published": when}) + "\n")
                written += 1


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--chromium", required=True)
    parser.add_argument("--binary", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--shots", required=True)
    parser.add_argument("--seeds", required=True)
    parser.add_argument("--corpus", help="a 10k-article JSONL corpus (default: a generated stand-in)")
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    os.makedirs(args.shots, exist_ok=True)

    if not args.corpus:
        args.corpus = os.path.join(args.work, "generated.jsonl")
        generate(args.corpus, 10_000)
    seeds_url = cluster(args.binary, [args.seeds], os.path.join(args.work, "seeds"))
    hostile_file = os.path.join(args.work, "hostile.jsonl")
    with open(hostile_file, "w", encoding="utf-8") as f:
        f.write("".join(json.dumps(r) + "\n" for r in HOSTILE) + "{not json\n")
    hostile_url = cluster(args.binary, [hostile_file], os.path.join(args.work, "hostile"))
    started = time.time()
    big_url = cluster(args.binary, [args.corpus], os.path.join(args.work, "big"), ["--html-stories", "200"])
    print(f"     clustered the 10k corpus in {time.time() - started:.1f} s")

    browser = Browser(args.chromium, os.path.join(args.work, "profile"))
    try:
        page = Page(browser)

        # The seeds: the supercomputer story's five outlets on one card; search narrows the cards.
        page.open(seeds_url)
        common_checks(page, "seeds", seeds_url, 3)
        outlets = page.eval("Array.from(document.querySelector('article.story').querySelectorAll('.outlet')).map(e => e.textContent)")
        check(outlets is not None and len(outlets) == 5, f"seeds: the largest story's card names five outlets ({outlets})")
        check(search(page, "supercomputer openai") == 1, "seeds: searching 'supercomputer openai' leaves one card")
        check(search(page, "no such headline anywhere") == 0, "seeds: a search matching nothing hides every card")
        check(search(page, "") == 3, "seeds: clearing the search shows every card again")
        page.eval("(() => { const m = document.getElementById('min'); m.value = '2'; m.dispatchEvent(new Event('input')); })()")
        check(page.eval(VISIBLE_CARDS) == 2, "seeds: 'at least 2 articles' leaves the two stories of several articles")
        page.eval("(() => { const m = document.getElementById('min'); m.value = '1'; m.dispatchEvent(new Event('input')); })()")
        page.eval("(() => { const o = document.getElementById('outlet'); o.value = 'CRN'; o.dispatchEvent(new Event('input')); })()")
        check(page.eval(VISIBLE_CARDS) == 1, "seeds: the outlet filter 'CRN' leaves its one story")
        page.eval("(() => { const o = document.getElementById('outlet'); o.value = ''; o.dispatchEvent(new Event('input')); })()")
        page.eval("(() => { const f = document.getElementById('from'); f.value = '2020-05-21'; f.dispatchEvent(new Event('input')); })()")
        check(page.eval(VISIBLE_CARDS) == 0, "seeds: a date range after the last report hides every card")
        page.eval("(() => { const f = document.getElementById('from'); f.value = ''; f.dispatchEvent(new Event('input')); })()")
        # Keyboard: '/' focuses the search box.
        page.send("Input.dispatchKeyEvent", {"type": "keyDown", "key": "/", "text": "/"})
        page.send("Input.dispatchKeyEvent", {"type": "keyUp", "key": "/"})
        check(page.eval("document.activeElement && document.activeElement.id") == "q", "seeds: '/' puts the focus in the search box")
        page.send("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": "light"}]})
        page.screenshot(os.path.join(args.shots, "seeds-light.png"), full=True)
        page.send("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": "dark"}]})
        background = page.eval("getComputedStyle(document.body).backgroundColor")
        check(background != "rgb(255, 255, 255)", f"seeds: dark mode changes the background ({background})")
        page.screenshot(os.path.join(args.shots, "seeds-dark.png"), full=True)
        page.send("Emulation.setEmulatedMedia", {"media": "print", "features": [{"name": "prefers-color-scheme", "value": "light"}]})
        check(page.eval("getComputedStyle(document.getElementById('filters')).display") == "none", "seeds: print hides the filters")
        page.screenshot(os.path.join(args.shots, "seeds-print.png"), full=True)
        page.send("Emulation.setEmulatedMedia", {"media": "", "features": []})

        # Without JavaScript every story is still there, and no control that would do nothing.
        page.send("Emulation.setScriptExecutionDisabled", {"value": True})
        page.open(seeds_url)
        check(page.eval("document.querySelectorAll('article.story').length") == 3, "seeds, script off: the three cards are plain HTML")
        check(page.eval("document.getElementById('filters').hidden") is True, "seeds, script off: the filters stay hidden")
        page.send("Emulation.setScriptExecutionDisabled", {"value": False})

        # The hostile fixture: nothing it holds runs or becomes an element.
        page.open(hostile_url)
        common_checks(page, "hostile", hostile_url, 1)
        check(page.eval("typeof window.__pwned") == "undefined", "hostile: no injected script ran")
        injected = page.eval("document.querySelectorAll('img, iframe, svg[onload], body style, object, embed').length")
        check(injected == 0, f"hostile: no injected element ({injected})")
        handlers = page.eval("Array.from(document.querySelectorAll('*')).filter(e => Array.from(e.attributes).some(a => a.name.startsWith('on'))).length")
        check(handlers == 0, f"hostile: no element with an event handler attribute ({handlers})")
        links = page.eval("Array.from(document.querySelectorAll('a[href]')).map(a => a.href).filter(h => !h.startsWith('file:'))")
        check(all(h.startswith("https://") for h in links), f"hostile: only https links ({links})")
        check(page.eval("document.getElementById('rejects') !== null"), "hostile: the bad line is listed in the rejects section")
        page.screenshot(os.path.join(args.shots, "hostile-light.png"), full=True)

        # 10k articles: the budget's 200 cards, the rest in a table, search narrowing.
        started = time.time()
        page.open(big_url)
        print(f"     opened the 10k page in {time.time() - started:.1f} s")
        common_checks(page, "10k", big_url, 200)
        rows = page.eval("document.querySelectorAll('tr.rest').length")
        check(rows > 0, f"10k: stories past the budget are listed in a table ({rows} rows)")
        budget = page.eval("document.getElementById('budget').textContent")
        check("Shown in full: the 200 largest" in budget, f"10k: the page states its budget ({budget[:120]})")
        word = page.eval("document.querySelector('article.story .hl').textContent.split(' ').filter(w => w.length > 5)[0]")
        narrowed = search(page, word)
        check(0 < narrowed < 200, f"10k: searching '{word}' narrows the cards ({narrowed} of 200)")
        search(page, "")
        page.screenshot(os.path.join(args.shots, "10k-light.png"))
        page.send("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": "dark"}]})
        page.screenshot(os.path.join(args.shots, "10k-dark.png"))
        size = os.path.getsize(big_url[len("file://"):])
        print(f"     10k page: {size} bytes")
    finally:
        browser.close()

    if FAILURES:
        print(f"{len(FAILURES)} browser checks failed", file=sys.stderr)
        sys.exit(1)
    print("every browser check passed")


if __name__ == "__main__":
    main()
