// Keeps grammar/rulebook.peg in step with the PEGTL grammar: a small PEG
// interpreter runs the readable grammar over every shipped .rules file and
// over broken variants, and must accept exactly what parse_rules accepts.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <regex>
#include <sstream>

#include "support.hpp"

namespace {

// ---- a tiny PEG interpreter ---------------------------------------------------

struct Peg {
  enum Kind { seq, choice, star, plus, opt, and_, not_, literal, cls, any, ref };
  Kind kind = seq;
  std::vector<std::unique_ptr<Peg>> kids;
  std::string text;       // literal, or rule name for ref
  bool set[256] = {};     // class
};

class PegParser {  // reads the .peg notation
 public:
  explicit PegParser(std::string src) : s_(std::move(src)) {}

  std::map<std::string, std::unique_ptr<Peg>> rules() {
    std::map<std::string, std::unique_ptr<Peg>> out;
    skip();
    while (k_ < s_.size()) {
      const std::string name = identifier();
      skip();
      if (s_.compare(k_, 2, "<-") != 0) throw std::runtime_error("expected <- after " + name);
      k_ += 2;
      out[name] = choice();
      skip();
    }
    return out;
  }

 private:
  void skip() {
    while (k_ < s_.size()) {
      if (std::isspace(static_cast<unsigned char>(s_[k_]))) {
        ++k_;
      } else if (s_[k_] == '#') {
        while (k_ < s_.size() && s_[k_] != '\n') ++k_;
      } else {
        break;
      }
    }
  }
  std::string identifier() {
    const std::size_t b = k_;
    while (k_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[k_])) || s_[k_] == '_')) ++k_;
    return s_.substr(b, k_ - b);
  }
  bool at_rule_start() {  // `name <-` begins the next rule
    std::size_t save = k_;
    std::string id = identifier();
    skip();
    bool starts = !id.empty() && s_.compare(k_, 2, "<-") == 0;
    k_ = save;
    return starts;
  }
  char escape(char c) {
    switch (c) {
      case 'n': return '\n';
      case 'r': return '\r';
      case 't': return '\t';
      case 'v': return '\v';
      case 'f': return '\f';
      default: return c;
    }
  }
  std::unique_ptr<Peg> choice() {
    auto first = sequence();
    skip();
    if (k_ >= s_.size() || s_[k_] != '/') return first;
    auto c = std::make_unique<Peg>();
    c->kind = Peg::choice;
    c->kids.push_back(std::move(first));
    while (k_ < s_.size() && s_[k_] == '/') {
      ++k_;
      c->kids.push_back(sequence());
      skip();
    }
    return c;
  }
  std::unique_ptr<Peg> sequence() {
    auto sq = std::make_unique<Peg>();
    sq->kind = Peg::seq;
    for (;;) {
      skip();
      if (k_ >= s_.size() || s_[k_] == '/' || s_[k_] == ')' || at_rule_start()) break;
      sq->kids.push_back(prefixed());
    }
    return sq;
  }
  std::unique_ptr<Peg> prefixed() {
    if (s_[k_] == '&' || s_[k_] == '!') {
      auto p = std::make_unique<Peg>();
      p->kind = s_[k_] == '&' ? Peg::and_ : Peg::not_;
      ++k_;
      skip();
      p->kids.push_back(suffixed());
      return p;
    }
    return suffixed();
  }
  std::unique_ptr<Peg> suffixed() {
    auto p = primary();
    while (k_ < s_.size() && (s_[k_] == '*' || s_[k_] == '+' || s_[k_] == '?')) {
      auto w = std::make_unique<Peg>();
      w->kind = s_[k_] == '*' ? Peg::star : s_[k_] == '+' ? Peg::plus : Peg::opt;
      w->kids.push_back(std::move(p));
      p = std::move(w);
      ++k_;
    }
    return p;
  }
  std::unique_ptr<Peg> primary() {
    auto p = std::make_unique<Peg>();
    const char c = s_[k_];
    if (c == '(') {
      ++k_;
      p = choice();
      skip();
      ++k_;  // ')'
    } else if (c == '\'') {
      p->kind = Peg::literal;
      ++k_;
      while (s_[k_] != '\'') {
        if (s_[k_] == '\\') {
          p->text += escape(s_[k_ + 1]);
          k_ += 2;
        } else {
          p->text += s_[k_++];
        }
      }
      ++k_;
    } else if (c == '[') {
      p->kind = Peg::cls;
      ++k_;
      auto next = [&]() {
        char x = s_[k_++];
        if (x == '\\') x = escape(s_[k_++]);
        return x;
      };
      while (s_[k_] != ']') {
        const char from = next();
        if (s_[k_] == '-' && s_[k_ + 1] != ']') {
          ++k_;
          const char to = next();
          for (int x = static_cast<unsigned char>(from); x <= static_cast<unsigned char>(to); ++x) p->set[x] = true;
        } else {
          p->set[static_cast<unsigned char>(from)] = true;
        }
      }
      ++k_;
    } else if (c == '.') {
      p->kind = Peg::any;
      ++k_;
    } else {
      p->kind = Peg::ref;
      p->text = identifier();
      if (p->text.empty()) throw std::runtime_error("unexpected character in grammar: " + std::string(1, c));
    }
    return p;
  }
  std::string s_;
  std::size_t k_ = 0;
};

class PegMatcher {
 public:
  explicit PegMatcher(const std::map<std::string, std::unique_ptr<Peg>>& rules) : rules_(rules) {}
  bool full_match(const std::string& start, const std::string& input) {
    in_ = &input;
    std::size_t pos = 0;
    return match(*rules_.at(start), pos) && pos == input.size();
  }

 private:
  bool match(const Peg& p, std::size_t& pos) {
    const std::string& in = *in_;
    switch (p.kind) {
      case Peg::seq: {
        std::size_t at = pos;
        for (const auto& k : p.kids) {
          if (!match(*k, at)) return false;
        }
        pos = at;
        return true;
      }
      case Peg::choice:
        for (const auto& k : p.kids) {
          std::size_t at = pos;
          if (match(*k, at)) {
            pos = at;
            return true;
          }
        }
        return false;
      case Peg::star:
      case Peg::plus: {
        std::size_t count = 0;
        for (;;) {
          std::size_t at = pos;
          if (!match(*p.kids[0], at) || at == pos) break;
          pos = at;
          ++count;
        }
        return p.kind == Peg::star || count > 0;
      }
      case Peg::opt: {
        std::size_t at = pos;
        if (match(*p.kids[0], at)) pos = at;
        return true;
      }
      case Peg::and_:
      case Peg::not_: {
        std::size_t at = pos;
        const bool m = match(*p.kids[0], at);
        return p.kind == Peg::and_ ? m : !m;
      }
      case Peg::literal:
        if (in.compare(pos, p.text.size(), p.text) != 0) return false;
        pos += p.text.size();
        return true;
      case Peg::cls:
        if (pos >= in.size() || !p.set[static_cast<unsigned char>(in[pos])]) return false;
        ++pos;
        return true;
      case Peg::any:
        if (pos >= in.size()) return false;
        ++pos;
        return true;
      case Peg::ref: {
        auto it = rules_.find(p.text);
        if (it == rules_.end()) throw std::runtime_error("undefined rule " + p.text);
        return match(*it->second, pos);
      }
    }
    return false;
  }
  const std::map<std::string, std::unique_ptr<Peg>>& rules_;
  const std::string* in_ = nullptr;
};

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("the readable grammar names the same rules as the PEGTL grammar") {
  auto rules = PegParser(read(test::source_dir() + "/grammar/rulebook.peg")).rules();
  const std::string cpp = read(test::source_dir() + "/src/lang/grammar.hpp");
  for (const auto& [name, _] : rules) {
    if (std::isupper(static_cast<unsigned char>(name[0])) || name == "file") continue;  // notation helpers
    INFO("rule " << name << " of rulebook.peg");
    CHECK(cpp.find("struct " + name + " :") != std::string::npos);
  }
}

TEST_CASE("the readable grammar accepts exactly what the PEGTL grammar accepts") {
  auto rules = PegParser(read(test::source_dir() + "/grammar/rulebook.peg")).rules();
  PegMatcher peg(rules);
  std::vector<std::string> samples;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(test::source_dir() + "/policies")) {
    if (entry.path().extension() == ".rules") samples.push_back(read(entry.path().string()));
  }
  REQUIRE(samples.size() >= 3);
  // Broken variants of each file: cut short, a character dropped or doubled.
  std::vector<std::string> variants;
  for (const auto& s : samples) {
    variants.push_back(s);
    for (std::size_t cut : {s.size() / 3, s.size() / 2, s.size() - 7}) variants.push_back(s.substr(0, cut));
    for (std::size_t at = 17; at < s.size(); at += s.size() / 23 + 1) {
      variants.push_back(s.substr(0, at) + s.substr(at + 1));
      variants.push_back(s.substr(0, at) + s[at] + s.substr(at));
    }
  }
  variants.push_back("define x = if a then b else c\nrule r \"t\"\n  then o = [a if b, c]\n");
  variants.push_back("define x = a is not one of [b] and not c <= d or - e * f / g - h\n");
  variants.push_back("facts\n  a.b : list of one of x < y, default [x]  \"d\"\n");
  // Records, functions and aggregates, whole and broken.
  const std::vector<std::string> constructs{
      "type period = record \"p\"\n  start : date\n  use : one of owned, used, default owned\n  end : date, optional\n",
      "define f(p: period, w: date) = max(0, days_between(p.start, w))\ndefine g() = 1\n",
      "define n = count of c in h.children where c.in_care\n",
      "define s = sum of f(p, as_of) for each p in e.service where p.use is used else 0\n",
      "define m = max of p.end for each p in e.service else 2000-01-01\n",
      "define a = every c in h.children satisfies c.in_care and some p in e.service satisfies p.end is missing\n",
      "define l = [c.birth_date for each c in h.children where c.income is missing]\n",
      "define count = count(xs) + count of x in xs\n",
      "define c = child(birth_date: 2010-01-01, in_care: no, use: [period(start: as_of)])\n",
      "define d = max(x: 1, 2) + f(a, b: c)\n",
      "outputs\n  approval.status : one of a, b\n  first : period, optional\n"
      "rule r \"t\"\n  then approval.status = a\n       first = period(start: 2024-01-01)\n",
      // Issue 14: labels, collect outputs, decision tables.
      "outputs\n  days : number, sum of rules\n  why : list of reason, list of rules \"d\"\n"
      "rule r \"t\"\n  label base-rules\n  exception to other, base-rules\n  then days = 1\n",
      "table extra-vacation \"Extra\"\n  cite \"s3\"\n  hit sum\n  given e.age, e.years\n  then days, why\n"
      "  row < 18 | any => 5 | young\n  row >= 60 | 15 to 29 => 3 | old\n"
      "  row one of [a, b] | not 3 => 1 | x\n  row <= lo | > hi + 1 => 0 | y\n",
      // dated parameters and per-rule in force (issue 14)
      "parameter pay_period \"N\"\n  cite \"s46\"\n  from 2016-12-01: 4 weeks\n  from 2030-07-01: 6 weeks\n",
      "parameter p\n  from 2020-01-01: 0.20 from 2021-01-01: if a then 1 else 2\n",
      "rule r \"t\"\n  in force from 2016-12-01 until 2022-06-30\n  when x in y\n  then o = a in b\n"
      "  in force from 2020-01-01\n",
      // require (issue 14)
      "require dates.end > dates.start\n  \"the end must be after the start\"\n",
      "require x is missing or x >= 0 and f(y) \"x\"\nrequire n > 0 \"n\"\n"};
  for (const auto& s : constructs) {
    variants.push_back(s);
    for (std::size_t cut = 8; cut < s.size(); cut += 5) variants.push_back(s.substr(0, cut));
  }
  // ---- sub-decisions (issue 14), whole and broken ----
  for (const std::string s : {"define w = decision of fr.smic with region = h.region,\n  children = [c for each c in h.children]\n"
                              "rule r \"t\"\n  then o = w.hourly\n",
                              "define decision = decision of a.b-c with x.y = decision, z = 1 + 2\n"}) {
    variants.push_back(s);
    for (std::size_t cut = 8; cut < s.size(); cut += 5) variants.push_back(s.substr(0, cut));
  }
  std::size_t accepted = 0;
  for (const auto& v : variants) {
    const bool by_peg = peg.full_match("file", v);
    bool by_pegtl = true;  // literal values (dates, numbers) are checked after the grammar
    for (const auto& d : rulebook::parse_rules("v.rules", v).diagnostics) by_pegtl &= d.code != "syntax";
    INFO(v);
    CHECK(by_peg == by_pegtl);
    accepted += by_peg;
  }
  CHECK(accepted >= samples.size());  // every shipped file is accepted
}
