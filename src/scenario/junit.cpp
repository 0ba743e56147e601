// JUnit XML for CI (rulebook test --junit): valid against the strict schema in
// tests/scenario/junit.xsd (Jenkins' junit-10 with typed attributes).
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>

#include "scenario/scenario.hpp"

namespace rulebook::scenario {

std::string xml_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t k = 0; k < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[k]);
    if (c < 0x80) {
      switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&apos;"; break;
        case '\n': out += "&#10;"; break;
        case '\r': out += "&#13;"; break;
        case '\t': out += "&#9;"; break;
        default: out += c < 0x20 || c == 0x7F ? '?' : static_cast<char>(c);
      }
      ++k;
      continue;
    }
    // A UTF-8 sequence: copy it when it is well formed, else U+FFFD.
    std::size_t len = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    bool ok = len > 0 && k + len <= s.size();
    uint32_t cp = ok ? (c & (0x7F >> len)) : 0;
    for (std::size_t j = 1; ok && j < len; ++j) {
      const unsigned char cc = static_cast<unsigned char>(s[k + j]);
      if ((cc & 0xC0) != 0x80) ok = false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if (ok) {
      const uint32_t min = len == 2 ? 0x80 : len == 3 ? 0x800 : 0x10000;
      ok = cp >= min && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF) && cp != 0xFFFE && cp != 0xFFFF;
    }
    if (ok) {
      out.append(s.substr(k, len));
      k += len;
    } else {
      out += "\xEF\xBF\xBD";
      ++k;
    }
  }
  return out;
}

namespace {

// Element text: like attributes, but line breaks stay line breaks.
std::string xml_text(std::string_view s) {
  std::string out = xml_escape(s);
  std::string fixed;
  for (std::size_t k = 0; k < out.size(); ++k) {
    if (out.compare(k, 5, "&#10;") == 0) {
      fixed += '\n';
      k += 4;
    } else {
      fixed += out[k];
    }
  }
  return fixed;
}

std::string seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", s);
  return buf;
}

// ISO 8601 date and time in UTC, without a zone (the schema's pattern): 2026-03-02T09:30:05.
std::string timestamp(std::chrono::system_clock::time_point t) {
  const std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  return buf;
}

std::string host_name() {
  char buf[256] = {0};
  if (gethostname(buf, sizeof buf - 1) != 0 || buf[0] == 0) return "localhost";
  return buf;
}

}  // namespace

std::string junit_xml(const std::vector<SuiteResult>& results, const std::vector<const Suite*>& unreadable,
                      std::chrono::system_clock::time_point written) {
  std::size_t tests = 0, failures = 0, errors = 0, id = 0;
  double total = 0;
  const std::string host = xml_escape(host_name());
  std::string body;
  for (const auto& sr : results) {
    std::size_t f = 0, sk = 0;
    std::string cases;
    for (const auto& r : sr.results) {
      const Scenario& sc = *r.scenario;
      cases += "    <testcase name=\"" + xml_escape(sc.name) + "\" classname=\"" +
               xml_escape(sc.policy.empty() ? sr.suite->title : sc.policy) + "\" time=\"" + seconds(r.seconds) + "\">\n";
      if (r.status == Status::skipped) {
        ++sk;
        cases += "      <skipped message=\"not selected by --filter\"/>\n";
      } else if (r.status == Status::failed) {
        ++f;
        const std::string& first = r.failures.empty() ? std::string("failed") : r.failures.front();
        cases += "      <failure message=\"" + xml_escape(first) + "\" type=\"ScenarioFailure\">" +
                 xml_text(r.report()) + "</failure>\n";
      }
      // Where the scenario is written: the schema has no attribute for it.
      cases += "      <system-out>" + xml_text(sr.suite->path + ":" + std::to_string(sc.pos.line)) + "</system-out>\n";
      cases += "    </testcase>\n";
    }
    tests += sr.results.size();
    failures += f;
    total += sr.seconds;
    body += "  <testsuite name=\"" + xml_escape(sr.suite->path) + "\" tests=\"" + std::to_string(sr.results.size()) +
            "\" failures=\"" + std::to_string(f) + "\" errors=\"0\" skipped=\"" + std::to_string(sk) + "\" time=\"" +
            seconds(sr.seconds) + "\" timestamp=\"" + timestamp(sr.started) + "\" hostname=\"" + host + "\" id=\"" +
            std::to_string(id++) + "\" package=\"" + xml_escape(sr.suite->title) + "\">\n" + cases + "  </testsuite>\n";
  }
  for (const Suite* s : unreadable) {
    std::string text;
    for (const auto& d : s->diagnostics) text += format_diagnostic(d);
    const std::string first = s->diagnostics.empty() ? "cannot read this suite" : format_headline(s->diagnostics.front());
    ++tests;
    ++errors;
    body += "  <testsuite name=\"" + xml_escape(s->path) + "\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\" time=\"0.000\" timestamp=\"" +
            timestamp(written) + "\" hostname=\"" + host + "\" id=\"" + std::to_string(id++) + "\" package=\"" + xml_escape(s->path) + "\">\n" +
            "    <testcase name=\"read suite\" classname=\"" + xml_escape(s->path) + "\" time=\"0.000\">\n      <error message=\"" +
            xml_escape(first) + "\" type=\"SuiteError\">" + xml_text(text) + "</error>\n    </testcase>\n  </testsuite>\n";
  }
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"rulebook test\" tests=\"" +
         std::to_string(tests) + "\" failures=\"" + std::to_string(failures) + "\" errors=\"" + std::to_string(errors) +
         "\" time=\"" + seconds(total) + "\">\n" + body + "</testsuites>\n";
}

}  // namespace rulebook::scenario
