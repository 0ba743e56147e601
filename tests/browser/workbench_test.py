#!/usr/bin/python3
"""The workbench in a real browser: headless Chromium driven by Selenium
against the real `rulebook serve` on a free loopback port (issue 18).

Run by ctest (test "browser: workbench", label `browser`) with Debian's
/usr/bin/python3, which sees python3-selenium:

  workbench_test.py --rulebook build/rulebook --policies policies --out DIR

It fills in the contract's worked example (Sarah) through the form and checks
the outputs against the contract, the fired rules and the marked policy text
against the API's own answer for the same facts (so rule renames and line
moves in the policy do not break it), a required fact left empty, saving as a
scenario (checked with `rulebook test`), the link that reopens a case, the
suites against `rulebook test`, labels, phone and laptop widths, the browser
console, and `--no-ui`. Screenshots of each step go to DIR.

Exit 0: passed; 1: failed; 77: chromium, chromium-driver or python3-selenium
is missing (ctest shows the test as skipped; scripts/setup installs them).
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

SKIP = 77
# The browser part takes 20-40 s on the 2-core development machine and ~50 s
# when its load average is 60; past this it fails with the step it was at.
# ctest's TIMEOUT (100 s) is the backstop.
DEADLINE_SECONDS = 80

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CHROMEDRIVER = "/usr/bin/chromedriver"
CHROMIUM = "/usr/bin/chromium"

try:
    from selenium import webdriver
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select, WebDriverWait
except ImportError:
    print("SKIP: python3-selenium is not installed (scripts/setup installs it)")
    sys.exit(SKIP)

# The contract's worked example (aps-s26 contract, "Worked example"): Sarah's
# facts and the decision the contract fixes for them.
SARAH_FACTS = {
    "employee": {"employment": "ongoing", "classification": "APS6", "on_temporary_transfer": True},
    "move": {"kind": "ongoing", "from_agency": "Finance", "to_agency": "Social Services", "to_classification": "APS6"},
    "agreement": {"employee": True, "gaining_head": True},
    "dates": {"notice_given_on": "2026-03-02"},
}
SARAH_AS_OF = "2026-03-02"
SARAH_EXPECTED = {
    "outcome": "approved",
    "effective_kind": "ongoing",
    "right_of_return": False,
    "classification_change": "at_level",
    "pay_basis": "substantive",
    "missing_agreements": [],
    "date_of_effect": "2026-03-30",
    "notify_original_agency": True,
    "engagement_conditions_review": False,
    "missing_terms": [],  # revision 2 of the contract; checked when the policy declares it
}


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


def shown(v):
    """A value as the workbench shows it (dom.js showValue)."""
    if v is None:
        return "none"
    if v is True:
        return "yes"
    if v is False:
        return "no"
    if isinstance(v, list):
        return "[" + ", ".join(shown(x) if x is not None else "not given" for x in v) + "]"
    return str(v)


def leaves(facts, prefix=""):
    for key, value in facts.items():
        path = prefix + "." + key if prefix else key
        if isinstance(value, dict):
            yield from leaves(value, path)
        else:
            yield path, value


class Server:
    """`rulebook serve --port 0` with its address read from its one line."""

    def __init__(self, binary, policies, *extra):
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen([binary, "serve", "--policies", policies, "--port", "0", *extra],
                                        stdout=subprocess.PIPE, stderr=self.log, text=True)
        line = self.process.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:\d+", line)
        if not match:
            self.stop()
            self.log.seek(0)
            raise Failure("rulebook serve did not start: " + line + self.log.read().decode(errors="replace"))
        self.url = match.group(0)

    def request(self, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                return r.status, r.headers.get("Content-Type", ""), r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.headers.get("Content-Type", ""), e.read().decode()

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()


class Workbench:
    def __init__(self, args, server):
        self.args = args
        self.server = server
        self.started = time.monotonic()
        self.step_number = 0
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--lang=en-US", "--window-size=1366,900", "--no-first-run", "--disable-extensions",
                     "--disable-background-networking", "--disable-sync", "--disable-component-update"):
            options.add_argument(flag)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        self.downloads = os.path.join(args.out, "downloads")
        options.add_experimental_option("prefs", {"download.default_directory": self.downloads,
                                                  "download.prompt_for_download": False})
        self.driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        self.driver.set_page_load_timeout(20)
        self.driver.set_script_timeout(20)
        self.wait = WebDriverWait(self.driver, 10, poll_frequency=0.05)
        self.console = []  # every console entry, with the step it came in

    # ---- helpers ----

    def remaining(self):
        left = DEADLINE_SECONDS - (time.monotonic() - self.started)
        check(left > 0, "the test ran past its %d s budget" % DEADLINE_SECONDS)
        return left

    def step(self, name):
        self.remaining()
        self.step_number += 1
        self.step_name = "%02d-%s" % (self.step_number, name)
        print("step %s (%.1f s)" % (self.step_name, time.monotonic() - self.started), flush=True)

    def shot(self, show=None):
        """Screenshot of the window, after scrolling the element with id `show` to the top."""
        if show:
            self.driver.execute_script("document.getElementById(arguments[0]).scrollIntoView()", show)
        self.driver.save_screenshot(os.path.join(self.args.out, self.step_name + ".png"))

    def collect_console(self):
        for entry in self.driver.get_log("browser"):
            entry["step"] = getattr(self, "step_name", "start")
            self.console.append(entry)

    def find(self, css):
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def finds(self, css):
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def until(self, css, message):
        try:
            return self.wait.until(lambda d: d.find_element(By.CSS_SELECTOR, css))
        except TimeoutException:
            self.shot()
            raise Failure(message + " (waited 10 s for " + css + ")")

    def control(self, path):
        found = self.finds('#facts-fields input[data-path="%s"], #facts-fields select[data-path="%s"]' % (path, path))
        check(len(found) == 1, "the form has %d controls for %s, expected 1" % (len(found), path))
        return found[0]

    def set_date(self, element, iso):
        # Typed as a person would, in the en-US order of the date control.
        # (No click first: a click puts the caret in the segment under the pointer.)
        y, m, d = iso.split("-")
        element.send_keys(m + d + y)
        check(element.get_attribute("value") == iso,
              "typing %s into a date field gave %r" % (iso, element.get_attribute("value")))

    def fill(self, facts):
        for path, value in leaves(facts):
            if isinstance(value, list):
                self.fill_list(path, value)
                continue
            c = self.control(path)
            if c.tag_name == "select":
                Select(c).select_by_visible_text(shown(value))
            elif c.get_attribute("type") == "date":
                self.set_date(c, value)
            else:
                c.clear()
                c.send_keys(str(value))

    def fill_list(self, path, values):
        """A list fact: Add an item for each value (and one more, removed again), then fill them."""
        fieldset = self.find('fieldset.array[data-path="%s"]' % path)
        add = fieldset.find_element(By.CSS_SELECTOR, ":scope > button.add")
        for _ in range(len(values) + 1):
            add.click()
        fieldset.find_element(By.CSS_SELECTOR, ":scope > ol > li:first-child > button.remove").send_keys(Keys.ENTER)
        for k, value in enumerate(values):
            item = self.control("%s[%d]" % (path, k))
            if item.tag_name == "select":
                Select(item).select_by_visible_text(shown(value))
            else:
                item.send_keys(str(value))
        count = len(fieldset.find_elements(By.CSS_SELECTOR, ":scope > ol > li"))
        check(count == len(values), "%s has %d items after adding %d and removing one" % (path, count, len(values) + 1))

    def case_in_link(self):
        """The facts the page sent, as its case link carries them."""
        href = self.find("#case-link").get_attribute("href")
        return self.driver.execute_script(
            "return JSON.parse(new URLSearchParams(arguments[0].split('#')[1]).get('facts'))", href)

    def decide_by_keyboard(self):
        # Enter in a text field submits the form, as in any form.
        self.control("move.to_agency").send_keys(Keys.ENTER)

    def open(self, path=""):
        self.driver.get(self.server.url + "/" + path)
        self.until('body[data-ready="true"]', "the workbench did not start")

    def choose_policy(self, policy_id):
        Select(self.find("#policy-select")).select_by_value(policy_id)
        try:
            self.wait.until(lambda d: d.find_element(By.ID, "source-meta").text.startswith(policy_id + " version "))
        except TimeoutException:
            raise Failure("picking %s did not show its text" % policy_id)
        self.until('#facts-fields .field', "picking %s gave no form" % policy_id)
        self.until('#source .rule-block', "picking %s showed no policy text" % policy_id)

    # ---- the steps ----

    def run(self):
        api = self.server
        policies_list = json.loads(api.request("/v1/policies")[2])["policies"]

        self.step("loaded")
        self.open()
        check(self.driver.title == "Rulebook workbench", "title is %r" % self.driver.title)
        rows = self.finds("#policies-table tbody tr")
        check(len(rows) == len(policies_list),
              "the policies table has %d rows; the server has %d versions" % (len(rows), len(policies_list)))
        check(self.find("#banner").get_attribute("hidden") is not None, "an error banner shows on load")
        self.find("#policies-details summary").click()
        self.shot()
        self.collect_console()

        self.step("policy")
        self.choose_policy("aps.s26")
        detail = json.loads(api.request("/v1/policies/aps.s26?as_of=" + SARAH_AS_OF)[2])
        for path in ("employee.classification", "move.kind", "dates.notice_given_on"):
            self.control(path)
        self.check_labels()
        self.shot(show="case")
        self.collect_console()

        self.step("sarah-filled")
        self.set_date(self.find("#as-of"), SARAH_AS_OF)
        self.fill(SARAH_FACTS)
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", self.control("move.kind"))
        self.shot()

        self.step("sarah-decided")
        self.decide_by_keyboard()
        self.until("#outputs", "deciding Sarah's case showed no outputs")
        status, _, body = api.request("/v1/decide/aps.s26", {"facts": SARAH_FACTS, "as_of": SARAH_AS_OF, "explain": True})
        check(status == 200, "the API refused Sarah's case: " + body)
        answer = json.loads(body)
        self.check_outputs(detail, answer)
        self.check_fired(answer)
        self.check_marks(answer)
        self.check_rule_link(answer)
        self.shot(show="decision")
        self.step("explanation")
        overridden = [e["rule"] for e in answer["explanation"] if e.get("status") == "overridden"]
        if overridden:
            self.find('#explanation li[data-rule="%s"] a.rule-link' % overridden[0]).click()
        self.shot(show="explanation")
        self.collect_console()

        self.step("scenario")
        name = self.find("#scenario-name")
        name.clear()
        name.send_keys("Sarah, saved from the workbench")
        text = self.find("#scenario-text").get_attribute("value")
        check('scenario "Sarah, saved from the workbench"' in text, "the scenario text does not carry its name:\n" + text)
        saved = os.path.join(self.args.out, "saved.scenarios")
        with open(saved, "w") as f:
            f.write(text)
        run = subprocess.run([self.args.rulebook, "test", saved, "--policies", self.args.policies],
                             capture_output=True, text=True, timeout=30)
        check(run.returncode == 0 and run.stdout.strip().endswith("1 passed, 0 failed"),
              "rulebook test on the saved scenario: exit %d\n%s%s\n%s" % (run.returncode, run.stdout, run.stderr, text))
        # Both downloads, as the browser saves them: the readable one is the text shown,
        # the JSON suite holds the same case.
        self.find("#download-scenario").click()
        self.find("#download-json").click()
        downloaded = os.path.join(self.downloads, "case.scenarios")
        saved_json = os.path.join(self.downloads, "case.scenarios.json")
        until = time.monotonic() + 10
        while not (os.path.exists(downloaded) and os.path.exists(saved_json)) and time.monotonic() < until:
            time.sleep(0.05)
        check(os.path.exists(downloaded) and os.path.exists(saved_json), "the downloads did not arrive in 10 s")
        with open(downloaded) as f:
            check(f.read() == text, "the downloaded .scenarios is not the text shown")
        with open(saved_json) as f:
            as_json = f.read()
        run = subprocess.run([self.args.rulebook, "test", saved_json, "--policies", self.args.policies],
                             capture_output=True, text=True, timeout=30)
        check(run.returncode == 0 and run.stdout.strip().endswith("1 passed, 0 failed"),
              "rulebook test on the saved JSON suite: exit %d\n%s%s\n%s" % (run.returncode, run.stdout, run.stderr, as_json))
        self.shot(show="scenario")
        self.collect_console()

        self.step("reopened-by-link")
        link = self.find("#case-link").get_attribute("href")
        check("#" in link and "policy=aps.s26" in link, "the case link is %r" % link)
        self.driver.get("about:blank")
        self.driver.get(link)
        self.until('body[data-ready="true"]', "the case link did not open the workbench")
        self.until("#outputs", "the case link did not decide the case again")
        check(self.control("move.from_agency").get_attribute("value") == "Finance", "the link did not restore the facts")
        check(self.find('#outputs tr[data-output="outcome"] td').get_attribute("data-value") == '"approved"',
              "the reopened case is not approved")
        self.shot(show="decision")
        self.collect_console()

        self.step("version-2016")
        # Another day picks another version: its form, its text, its decision.
        as_of = self.find("#as-of")
        as_of.clear()
        self.set_date(as_of, "2019-03-04")
        try:
            self.wait.until(lambda d: d.find_element(By.ID, "source-meta").text.startswith("aps.s26 version 2016 "))
        except TimeoutException:
            raise Failure("deciding as of 2019-03-04 did not bring the text of version 2016")
        self.find("#decide").click()
        try:
            self.wait.until(lambda d: "version 2016" in d.find_element(By.CSS_SELECTOR, "#decision-body .decided-by").text)
        except TimeoutException:
            raise Failure("the decision as of 2019-03-04 was not made by version 2016")
        status, _, body = api.request("/v1/decide/aps.s26", {"facts": SARAH_FACTS, "as_of": "2019-03-04", "explain": True})
        check(status == 200, "the API refused Sarah's case as of 2019-03-04: " + body)
        answer_2016 = json.loads(body)
        for name, value in answer_2016["decision"].items():
            cell = self.find('#outputs tr[data-output="%s"] td' % name)
            check(json.loads(cell.get_attribute("data-value")) == value, "version 2016: %s differs from the API" % name)
        self.check_fired(answer_2016)
        self.check_marks(answer_2016)
        self.shot(show="decision")
        self.collect_console()

        self.step("required-fact-missing")
        self.find("#clear-case").click()
        without = json.loads(json.dumps(SARAH_FACTS))
        del without["employee"]["classification"]
        self.fill(without)
        self.find("#decide").click()
        field = self.until('.field.invalid[data-path="employee.classification"]',
                           "leaving employee.classification empty showed no error at its field")
        status, _, body = api.request("/v1/decide/aps.s26", {"facts": without, "as_of": SARAH_AS_OF})
        check(status == 422, "the API answered %d to facts without a classification" % status)
        problems = [d["problem"] for d in json.loads(body)["error"]["details"] if d["path"] == "employee.classification"]
        check(len(problems) == 1, "the API gave %r for employee.classification" % problems)
        shown_error = field.find_element(By.CSS_SELECTOR, ".field-error")
        check(shown_error.is_displayed() and shown_error.text == problems[0],
              "the error at the field reads %r, the server's message is %r" % (shown_error.text, problems[0]))
        check(self.control("employee.classification").get_attribute("aria-invalid") == "true",
              "the empty field is not marked aria-invalid")
        others = [e.text for e in self.finds(".field-error") if e.is_displayed()]
        check(others == [problems[0]], "other fields show errors too: %r" % others)
        check(self.find("#error-summary").is_displayed(), "no summary of the problems above the form")
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", field)
        self.shot()
        self.collect_console()

        self.step("suites")
        self.find("#run-suites").click()
        self.until("#suites-total", "running the suites showed no result")
        self.check_suites()
        self.shot(show="suites")
        self.collect_console()

        self.step("list-facts")
        self.check_list_facts()
        self.shot()
        self.collect_console()

        self.step("records")
        self.check_records()
        self.collect_console()

        self.step("phone")
        # Sarah's case again, by its link, on a phone and then a laptop.
        self.driver.set_window_size(390, 844)
        self.driver.get("about:blank")
        self.driver.get(link)
        self.until("#outputs", "the case link did not decide the case on a phone")
        self.check_width(390, 844)
        self.shot(show="decision")
        self.step("phone-policy-text")
        self.shot(show="policy-text")
        self.step("laptop")
        self.check_width(1366, 768)
        self.shot(show="case")

        self.step("unknown-policy-link")
        # Pasted into the open workbench (the fragment changes, the page stays).
        self.driver.get(self.server.url + "/#policy=no.such.policy&facts=%7B%7D")
        try:
            banner = self.wait.until(lambda d: d.find_element(By.CSS_SELECTOR, "#banner:not([hidden])"))
        except TimeoutException:
            raise Failure("no message for a link to an unknown policy")
        check("no.such.policy" in banner.text, "the message for a link to an unknown policy reads %r" % banner.text)
        check(self.find("#case-form").is_displayed() and self.control("move.kind").is_displayed(),
              "the page lost the case it showed")
        self.shot()
        self.collect_console()

        self.step("edited-on-disk")
        # The file changes and the server (no --watch) still decides with the loaded rules: the text says so.
        path = os.path.join(self.args.policies, "aps", "s26-2022.rules")
        with open(path) as f:
            text = f.read()
        with open(path, "w") as f:
            f.write("# a line added while the server runs\n" + text)
        if self.find("#policies-details").get_attribute("open") is None:
            self.find("#policies-details summary").click()
        self.find('#policies-table tr[data-policy="aps.s26"][data-version="2022"] button').click()
        warning = self.until("#source > p.problem", "a policy file edited on disk gave no warning over its text")
        check("aps/s26-2022.rules changed on disk" in warning.text, "the warning reads %r" % warning.text)
        self.shot(show="policy-text")
        self.collect_console()

        self.step("server-gone")
        self.server.stop()
        self.find("#decide").click()
        try:
            problem = self.wait.until(lambda d: d.find_element(By.CSS_SELECTOR, "#decision-body .problem"))
        except TimeoutException:
            raise Failure("deciding with the server gone showed nothing")
        check("cannot be reached" in problem.text, "with the server gone the page says %r" % problem.text)
        check(self.find("#decide").is_enabled(), "the Decide button stays disabled after a failed request")
        check(not self.find("#scenario-body").is_displayed(), "the last case is still offered as a scenario")
        check(not self.finds('#source .rule-block:not([data-status="none"])'), "the text still marks the last decision")
        self.shot(show="decision")
        self.collect_console()

        self.check_console()

    def check_labels(self):
        unlabelled = self.driver.execute_script("""
          const out = [];
          for (const c of document.querySelectorAll('input, select, textarea')) {
            if (c.type === 'hidden') continue;
            const label = c.id && document.querySelector('label[for="' + CSS.escape(c.id) + '"]');
            if (!(label && label.textContent.trim()) && !c.getAttribute('aria-label')) out.push(c.outerHTML.slice(0, 80));
          }
          for (const b of document.querySelectorAll('button, a')) {
            if (!(b.textContent.trim() || b.getAttribute('aria-label'))) out.push(b.outerHTML.slice(0, 80));
          }
          return out;""")
        check(not unlabelled, "controls without a label: %r" % unlabelled)

    def check_outputs(self, detail, answer):
        declared = [o["name"] for o in detail["outputs"]]
        rows = self.finds("#outputs tbody tr")
        names = [r.get_attribute("data-output") for r in rows]
        check(names == declared, "the outputs shown %r are not the policy's %r" % (names, declared))
        for row in rows:
            name = row.get_attribute("data-output")
            cell = row.find_element(By.CSS_SELECTOR, "td")
            value = json.loads(cell.get_attribute("data-value"))
            check(value == answer["decision"][name], "%s shows %r, the API says %r" % (name, value, answer["decision"][name]))
            check(cell.text == shown(value), "%s reads %r, expected %r" % (name, cell.text, shown(value)))
            if name in SARAH_EXPECTED:
                check(value == SARAH_EXPECTED[name], "%s is %r; the contract says %r" % (name, value, SARAH_EXPECTED[name]))
        missing = [n for n in SARAH_EXPECTED if n not in names and n != "missing_terms"]
        check(not missing, "the contract's outputs %r are not shown" % missing)

    def check_fired(self, answer):
        items = self.finds("#fired li")
        shown_rules = [(li.get_attribute("data-rule"), li.find_element(By.CSS_SELECTOR, ".cite").text.strip())
                       for li in items]
        expected = [(f["rule"], f["cite"]) for f in answer["fired"]]
        check(shown_rules == expected, "fired rules shown %r, the API says %r" % (shown_rules, expected))
        check(len(expected) > 0, "no rule fired for Sarah")

    def check_marks(self, answer):
        statuses = {e["rule"]: e["status"] for e in answer["explanation"] if "rule" in e}
        # Every block at once (one round trip, not a hundred).
        blocks = self.driver.execute_script("""
          return [...document.querySelectorAll('#source .rule-block')].map((b) => ({
            rule: b.dataset.rule, status: b.dataset.status,
            first: b.querySelector('.line .lt').textContent,
            badge: b.querySelector('.mark').hidden ? '' : b.querySelector('.mark').textContent,
            badgeShown: b.querySelector('.mark').offsetParent !== null }));""")
        marked = {b["rule"]: b for b in blocks}
        check(set(marked) == set(statuses), "rules marked in the text %r, rules of the policy %r" %
              (sorted(marked), sorted(statuses)))
        label = {"applied": "applied", "not_applied": "not applied", "overridden": "overridden"}
        for rule, status in statuses.items():
            block = marked[rule]
            check(block["status"] == status, "rule %s is marked %s, the API says %s" % (rule, block["status"], status))
            check(re.match(r"\s*rule\s+" + re.escape(rule) + r"\b", block["first"]),
                  "the block marked for %s starts %r" % (rule, block["first"]))
            check(block["badgeShown"] and block["badge"].startswith(label[status]),
                  "rule %s is badged %r, expected %s" % (rule, block["badge"], label[status]))
        for status in ("applied", "not_applied"):
            check(status in statuses.values(), "no rule is %s for Sarah" % status)
        print("  marks: %d applied, %d not applied, %d overridden" % tuple(
            list(statuses.values()).count(s) for s in ("applied", "not_applied", "overridden")))

    def check_rule_link(self, answer):
        target = next(e["rule"] for e in answer["explanation"] if e.get("status") == "not_applied")
        link = self.find('#explanation li[data-rule="%s"] a.rule-link' % target)
        link.send_keys(Keys.ENTER)  # by keyboard
        active = self.driver.switch_to.active_element
        check(active.get_attribute("data-rule") == target and "focused" in active.get_attribute("class"),
              "following the link to %s did not take the focus to its text" % target)

    def check_suites(self):
        suites = self.finds("details.suite")
        check(suites, "no suite listed for aps.s26")
        total_passed = total_failed = 0
        for s in suites:
            path = s.get_attribute("data-path")
            passed, failed = int(s.get_attribute("data-passed")), int(s.get_attribute("data-failed"))
            run = subprocess.run([self.args.rulebook, "test", os.path.join(self.args.policies, path),
                                  "--policies", self.args.policies], capture_output=True, text=True, timeout=30)
            last = run.stdout.strip().splitlines()[-1] if run.stdout.strip() else ""
            check(last.startswith("%d passed, %d failed" % (passed, failed)),
                  "the workbench counts %s as %d passed, %d failed; rulebook test says %r" % (path, passed, failed, last))
            shown_rows = s.find_elements(By.CSS_SELECTOR, "li.scenario")
            check(len(shown_rows) == passed + failed, "%s lists %d scenarios for %d results" % (path, len(shown_rows), passed + failed))
            total_passed += passed
            total_failed += failed
        failing = self.find('details.suite[data-path="%s"]' % FAILING_SUITE)
        check(failing.get_attribute("data-failed") == "1" and failing.get_attribute("data-passed") == "1",
              "the suite that fails on purpose counts %s passed, %s failed" %
              (failing.get_attribute("data-passed"), failing.get_attribute("data-failed")))
        failure = failing.find_element(By.CSS_SELECTOR, 'li.scenario[data-status="failed"] pre.failures').text
        check("outcome: expected refused, got approved" in failure, "the failure reads %r" % failure)
        check(failing.find_elements(By.CSS_SELECTOR, 'li.scenario[data-status="failed"] details pre'),
              "the failed scenario has no explanation")
        total = self.find("#suites-total")
        check(total.get_attribute("data-passed") == str(total_passed) and total.get_attribute("data-failed") == str(total_failed),
              "the total reads %r" % total.text)
        check(("%d passed, %d failed" % (total_passed, total_failed)) in total.text, "the total reads %r" % total.text)
        print("  suites: %d passed, %d failed in %d suites" % (total_passed, total_failed, len(suites)))

    def check_list_facts(self):
        """aps.s26.cancel has list facts (move.signed_by): filled with Add and Remove."""
        with open(os.path.join(REPO, "examples", "requests", "aps.s26.cancel.json")) as f:
            request = json.load(f)
        self.choose_policy("aps.s26.cancel")
        self.find("#clear-case").click()
        self.set_date(self.find("#as-of"), request["as_of"])
        self.fill(request["facts"])
        self.find("#decide").click()
        self.until("#outputs", "deciding the aps.s26.cancel example showed no outputs")
        check(self.case_in_link() == request["facts"], "the form sent %r for %r" % (self.case_in_link(), request["facts"]))
        status, _, body = self.server.request("/v1/decide/aps.s26.cancel", request)
        check(status == 200, "the API refused the aps.s26.cancel example: " + body)
        for name, value in json.loads(body)["decision"].items():
            cell = self.find('#outputs tr[data-output="%s"] td' % name)
            check(json.loads(cell.get_attribute("data-value")) == value, "aps.s26.cancel: %s differs from the API" % name)
        self.driver.execute_script("document.getElementById('case').scrollIntoView()")

    def check_records(self):
        """Lists of records (the language is getting them): the form is built from the
        schema alone, so a schema with an array of objects must give Add, Remove,
        renumbered items, the right JSON and errors at the item's field."""
        schema = {"type": "object", "required": ["household"], "additionalProperties": False, "properties": {
            "household": {"type": "object", "required": ["members"], "additionalProperties": False, "properties": {
                "members": {"type": "array", "description": "everyone in the household", "items": {
                    "type": "object", "required": ["name", "born"], "additionalProperties": False, "properties": {
                        "name": {"type": "string", "description": "full name"},
                        "born": {"type": "string", "format": "date"},
                        "carer": {"type": ["boolean", "null"], "default": False}}}}}}}}
        problem = self.driver.execute_async_script("""
          const [schema, done] = arguments;
          import('/ui/form.js').then((m) => {
            const box = document.createElement('section');
            box.id = 'records-test';
            box.setAttribute('aria-label', 'A form for a list of records');
            document.querySelector('main').prepend(box);
            window.recordsForm = m.buildForm(box, schema);
            done('');
          }).catch((e) => done(String(e)));""", schema)
        check(problem == "", "form.js could not build a form for records: " + problem)
        add = self.find('#records-test fieldset.array[data-path="household.members"] > button.add')
        for _ in range(3):
            add.click()
        people = [("Ana", "1980-01-31"), ("Ben", "2010-06-01"), ("Cy", "2012-12-24")]
        for k, (name, born) in enumerate(people):
            self.find('#records-test input[data-path="household.members[%d].name"]' % k).send_keys(name)
            self.set_date(self.find('#records-test input[data-path="household.members[%d].born"]' % k), born)
        Select(self.find('#records-test select[data-path="household.members[0].carer"]')).select_by_visible_text("yes")
        self.find('#records-test li:nth-child(2) > button.remove').click()  # Ben
        value = self.driver.execute_script("return window.recordsForm.read()")
        expected = {"household": {"members": [{"name": "Ana", "born": "1980-01-31", "carer": True},
                                              {"name": "Cy", "born": "2012-12-24"}]}}
        check(value == expected, "the records form reads %r, expected %r" % (value, expected))
        label = self.find('#records-test fieldset[data-path="household.members[1]"] > legend .name').text
        check(label == "record 2", "after removing record 2, Cy's record is labelled %r" % label)
        self.check_labels()
        unplaced = self.driver.execute_script(
            "return window.recordsForm.showErrors(arguments[0])",
            [{"path": "household.members[1].born", "problem": "not a real date"},
             {"path": "household.pets", "problem": "unknown fact"},
             {"path": "pets", "problem": "unknown fact"}])
        error = self.find('#records-test .field[data-path="household.members[1].born"] > .field-error')
        check(error.is_displayed() and error.text == "not a real date", "the record's error reads %r" % error.text)
        group = self.find('#records-test fieldset[data-path="household"] > .field-error')
        check(group.text == "household.pets: unknown fact", "an unknown fact in a group reads %r at the group" % group.text)
        check(unplaced == [{"path": "pets", "problem": "unknown fact"}],
              "an error with no field or group to go to was not handed back: %r" % unplaced)
        self.driver.execute_script("document.getElementById('records-test').scrollIntoView()")
        self.shot()
        self.driver.execute_script("document.getElementById('records-test').remove()")

    def check_width(self, width, height):
        self.driver.set_window_size(width, height)
        overflow = self.driver.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
        check(overflow <= 1, "at %d px wide the page scrolls sideways by %d px" % (width, overflow))

    def check_console(self):
        self.collect_console()
        errors = []
        for e in self.console:
            if e["level"] != "SEVERE":
                continue
            # Refusing the facts is a 422, which Chrome logs as a failed load; that one is expected,
            # as is the refused connection once the server is gone.
            if (e["step"].endswith("required-fact-missing") and e.get("source") == "network"
                    and "/v1/decide/aps.s26" in e["message"] and "422" in e["message"]):
                continue
            if (e["step"].endswith("server-gone") and e.get("source") == "network"
                    and "ERR_CONNECTION_REFUSED" in e["message"]):
                continue
            errors.append("%s: %s" % (e["step"], e["message"]))
        check(not errors, "console errors:\n  " + "\n  ".join(errors))

    def quit(self):
        self.driver.quit()


FAILING_SUITE = "workbench-test-failing.scenarios"


def policies_with_failing_suite(policies, into):
    """A copy of the policies with one more suite, one of whose two scenarios fails."""
    shutil.copytree(policies, into)
    given = "\n".join("    %s = %s" % (path, "yes" if v is True else "no" if v is False else json.dumps(v))
                      for path, v in leaves(SARAH_FACTS))
    with open(os.path.join(into, FAILING_SUITE), "w") as f:
        f.write('suite "Fails on purpose: the workbench test" for aps.s26\n  as of %s\n  given\n%s\n\n'
                'scenario "Sarah is approved"\n  expect outcome = approved\n\n'
                'scenario "Sarah is refused (wrong on purpose)"\n  expect outcome = refused\n' % (SARAH_AS_OF, given))
    return into


def check_no_ui(args):
    server = Server(args.rulebook, args.policies, "--no-ui")
    try:
        status, kind, body = server.request("/")
        check(status == 404 and kind.startswith("application/json") and json.loads(body)["error"]["code"] == "not_found",
              "with --no-ui, / answered %d %s %s" % (status, kind, body[:200]))
        status, _, _ = server.request("/ui/app.js")
        check(status == 404, "with --no-ui, /ui/app.js answered %d" % status)
        status, _, _ = server.request("/healthz")
        check(status == 200, "with --no-ui the API does not answer")
    finally:
        server.stop()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rulebook", required=True)
    parser.add_argument("--policies", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    for tool in (CHROMIUM, CHROMEDRIVER):
        if not os.access(tool, os.X_OK):
            print("SKIP: %s is missing (scripts/setup installs chromium and chromium-driver)" % tool)
            return SKIP
    shutil.rmtree(args.out, ignore_errors=True)
    os.makedirs(args.out)
    started = time.monotonic()

    work = tempfile.TemporaryDirectory()
    args.policies = policies_with_failing_suite(args.policies, os.path.join(work.name, "policies"))
    server = Server(args.rulebook, args.policies)
    bench = None
    try:
        status, kind, body = server.request("/")
        check(status == 200 and kind.startswith("text/html"), "GET / answered %d %s" % (status, kind))
        bench = Workbench(args, server)
        bench.run()
        check_no_ui(args)
    except Failure as e:
        print("FAILED: %s" % e)
        print("screenshots: %s" % args.out)
        return 1
    finally:
        if bench:
            bench.quit()
        server.stop()
        work.cleanup()
    print("passed in %.1f s; screenshots in %s" % (time.monotonic() - started, args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
