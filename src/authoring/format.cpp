// The canonical layout (see format.hpp): tokens per line, then each line's
// indentation from what it starts and the brackets open before it.
#include "authoring/format.hpp"

#include <algorithm>
#include <array>
#include <cstddef>

#include "lang/parser.hpp"
#include "scenario/scenario.hpp"

namespace rulebook::authoring {
namespace {

enum class Kind { word, text, comment, open, close, comma, op, other };

struct Token {
  Kind kind;
  std::string_view text;
  bool spaced = false;  // whitespace separated it from the token before it on its line
};

struct Line {
  std::vector<Token> tokens;  // a comment, when there is one, is the last token
  bool code() const { return !tokens.empty() && tokens.front().kind != Kind::comment; }
  bool blank() const { return tokens.empty(); }
};

bool is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
}
bool is_ident_char(char c) { return is_word_char(c) && c != '.'; }

// One line (without its newline) as tokens. A word is a run of letters, digits,
// '_' and '.', with '-' kept inside it when a letter or digit follows at once:
// rule names (non-ongoing-refused), ids (aps.temporary-end) and dates stay whole.
std::vector<Token> tokenize(std::string_view line) {
  std::vector<Token> out;
  std::size_t i = 0;
  bool spaced = false;
  static constexpr std::array<std::string_view, 5> two_char_ops{"**", "<=", ">=", "==", "=>"};  // => ends a table row's cells
  while (i < line.size()) {
    const char c = line[i];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
      spaced = true;
      ++i;
      continue;
    }
    const std::size_t start = i;
    Kind kind = Kind::other;
    if (c == '#') {
      std::size_t end = line.find_last_not_of(" \t\r\f\v");
      i = end + 1;
      kind = Kind::comment;
    } else if (c == '"') {
      ++i;
      while (i < line.size() && line[i] != '"') i += (line[i] == '\\' && i + 1 < line.size()) ? 2 : 1;
      if (i < line.size()) ++i;
      kind = Kind::text;
    } else if (is_word_char(c)) {
      while (i < line.size() &&
             (is_word_char(line[i]) || (line[i] == '-' && i + 1 < line.size() && is_ident_char(line[i + 1])))) {
        ++i;
      }
      // The type yes/no is one word.
      if (line.substr(start, i - start) == "yes" && line.substr(i, 3) == "/no" &&
          (i + 3 == line.size() || !is_ident_char(line[i + 3]))) {
        i += 3;
      }
      kind = Kind::word;
    } else if (c == '(' || c == '[') {
      ++i;
      kind = Kind::open;
    } else if (c == ')' || c == ']') {
      ++i;
      kind = Kind::close;
    } else if (c == ',') {
      ++i;
      kind = Kind::comma;
    } else if (std::string_view("=<>+-*/:|").find(c) != std::string_view::npos) {
      const auto two = line.substr(i, 2);
      i += std::find(two_char_ops.begin(), two_char_ops.end(), two) != two_char_ops.end() ? 2 : 1;
      kind = Kind::op;
    } else {
      ++i;  // anything else (only in a file that would not parse) keeps its place
    }
    out.push_back(Token{kind, line.substr(start, i - start), spaced});
    spaced = false;
  }
  return out;
}

// Keywords after which a '-' negates (`is -1`, `default -1`); the values
// yes, no, true, false and missing are not among them.
bool is_operator_keyword(std::string_view w) {
  static constexpr std::array<std::string_view, 23> kws{
      "and", "cite", "default", "define", "else", "exception", "from", "given", "if", "in", "is",
      "not", "of", "one", "or", "then", "to", "until", "when", "expect", "as", "mod", "row"};
  return std::find(kws.begin(), kws.end(), w) != kws.end();
}

bool negates(const Token* before) {
  if (before == nullptr) return true;
  switch (before->kind) {
    case Kind::op:
    case Kind::open:
    case Kind::comma:
      return true;
    case Kind::word:
      return is_operator_keyword(before->text);
    default:
      return false;
  }
}

// The text between two tokens of one line. `prev_unary`: `prev` is a negating '-'.
std::string_view gap(const Token& prev, const Token& cur, bool prev_unary) {
  if (cur.kind == Kind::comment) return "  ";
  if (prev.kind == Kind::open) return "";
  if (cur.kind == Kind::close || cur.kind == Kind::comma) return "";
  if (prev.kind == Kind::comma) return " ";
  if (prev_unary) return "";
  // A parameter's entry (issue 14): `from 2016-12-01: 4 weeks`, the ':' tight after the date.
  if (cur.kind == Kind::op && cur.text == ":" && prev.kind == Kind::word && !prev.text.empty() &&
      prev.text.front() >= '0' && prev.text.front() <= '9') {
    return "";
  }
  // A call or an index (`count(x)`, `items[0]`) and a field after an index
  // (`items[0].name`) stay as written: there the space decides the meaning.
  if (cur.kind == Kind::open && prev.kind == Kind::word && !is_operator_keyword(prev.text)) {
    return cur.spaced ? " " : "";
  }
  if (prev.kind == Kind::close && cur.kind == Kind::word && cur.text.front() == '.') return cur.spaced ? " " : "";
  if (prev.kind == Kind::other || cur.kind == Kind::other) return cur.spaced ? " " : "";
  return " ";
}

// Whether a text after `prev` on a field line is the field's description
// (not a default value or a member of `one of`).
bool is_description_after(const Token& prev) {
  if (prev.kind == Kind::close || prev.kind == Kind::text) return true;
  return prev.kind == Kind::word && prev.text != "default" && prev.text != "of";
}

// What a line starts, for its indentation.
struct Layout {
  std::vector<std::string_view> items;                 // start an item: column 1
  std::vector<std::pair<std::string_view, std::vector<std::string_view>>> parts;  // item -> its part keywords
  std::vector<std::string_view> field_blocks;          // items whose lines are `name : type` fields
  std::vector<std::string_view> spaced_items;          // items that get a blank line before them
};

const Layout& rules_layout() {
  static const Layout l{
      {"policy", "module", "use", "type", "facts", "outputs", "define", "rule",
       "parameter", "internal", "table", "require"},  // dated parameters, internal values, tables, require (issue 14)
      {{"rule", {"cite", "exception", "when", "then", "in", "label"}}, {"policy", {"version", "in", "source"}},
       {"parameter", {"cite", "from"}},  // a rule's own `in force`, a parameter's entries (issue 14)
       {"table", {"cite", "hit", "given", "then", "row"}}},
      {"facts", "outputs", "internal"},
      {"policy", "module", "facts", "outputs", "rule", "parameter", "internal", "table"}};
  return l;
}

const Layout& scenarios_layout() {
  static const Layout l{{"suite", "scenario"},
                        {{"suite", {"for", "as", "given"}}, {"scenario", {"for", "as", "given", "expect"}}},
                        {},
                        {"suite", "scenario"}};
  return l;
}

bool contains(const std::vector<std::string_view>& v, std::string_view w) {
  return std::find(v.begin(), v.end(), w) != v.end();
}

std::vector<Line> split_lines(std::string_view text) {
  std::vector<Line> lines;
  std::size_t at = 0;
  while (at <= text.size()) {
    std::size_t nl = text.find('\n', at);
    if (nl == std::string_view::npos) nl = text.size();
    lines.push_back(Line{tokenize(text.substr(at, nl - at))});
    at = nl + 1;
  }
  return lines;
}

struct OutLine {
  std::string text;      // the tokens, laid out, without indentation
  std::size_t indent = 0;
  bool code = false;
  bool blank = false;
  bool field = false;           // `name : type` in a facts or outputs block
  std::size_t name_width = 0;   // a field's name
  std::size_t description_at = 0;  // a field's description: where the space before it is (0: none)
  std::string_view starts;      // the item keyword it starts, if it does
  // A table's `row` line: where each `|` or `=>` between its cells begins (the
  // space before it), so the alignment pass can put the cells in columns.
  bool row = false;
  std::vector<std::size_t> cuts;
};

std::string layout(std::string_view text, const Layout& L) {
  std::vector<Line> lines = split_lines(text);
  std::vector<OutLine> out;
  std::string_view item;       // the item being laid out
  std::size_t part_indent = 0; // the indentation of the item's line or part being continued
  int depth = 0;               // brackets open before the line
  const Token* last = nullptr; // the last code token so far, across lines

  for (const Line& line : lines) {
    OutLine o;
    if (line.blank()) {
      o.blank = true;
      out.push_back(std::move(o));
      continue;
    }
    o.code = line.code();
    if (o.code) {
      const Token& first = line.tokens.front();
      const bool at_top = depth <= 0;
      if (at_top && first.kind == Kind::word && contains(L.items, first.text)) {
        item = first.text;
        o.starts = first.text;
        o.indent = part_indent = 0;
      } else {
        bool part = false;
        if (at_top && first.kind == Kind::word) {
          for (const auto& [owner, keywords] : L.parts) {
            if (owner == item && contains(keywords, first.text)) part = true;
          }
          if (contains(L.field_blocks, item) && line.tokens.size() > 1 && line.tokens[1].text == ":") {
            part = true;
            o.field = true;
            o.name_width = first.text.size();
          }
        }
        if (part) {
          o.indent = part_indent = 2;
          o.row = item == "table" && first.text == "row";
        } else {
          const int open = std::max(0, depth - (first.kind == Kind::close ? 1 : 0));
          o.indent = part_indent + 2 + 2 * static_cast<std::size_t>(open);
        }
      }
    }
    // Lay the tokens out, tracking brackets and negations.
    const Token* prev = nullptr;
    bool prev_unary = false;
    const int line_depth = depth;
    for (const Token& t : line.tokens) {
      const bool cell_separator = o.row && depth == line_depth && t.kind == Kind::op && (t.text == "|" || t.text == "=>");
      if (o.field && t.kind == Kind::text && prev != nullptr && is_description_after(*prev) &&
          (&t == &line.tokens.back() || (&t + 1)->kind == Kind::comment)) {
        o.description_at = o.text.size();
      }
      bool unary = false;
      if (t.kind == Kind::op && t.text == "-") unary = negates(last);
      if (prev != nullptr) {
        if (o.field && prev == &line.tokens.front()) {
          o.text += ' ';  // the alignment pass pads the name
        } else if (cell_separator) {
          o.cuts.push_back(o.text.size());
          o.text += ' ';
        } else {
          o.text += gap(*prev, t, prev_unary);
        }
      }
      o.text += t.text;
      if (t.kind == Kind::open) ++depth;
      if (t.kind == Kind::close) --depth;
      if (t.kind != Kind::comment) {
        last = &t;
      }
      prev = &t;
      prev_unary = unary;
    }
    out.push_back(std::move(o));
  }

  // A comment line takes the indentation of the code line after it.
  std::size_t next_indent = 0;
  for (auto it = out.rbegin(); it != out.rend(); ++it) {
    if (it->code) next_indent = it->indent;
    else if (!it->blank) it->indent = next_indent;
  }

  // Blank lines: none at either end, never two together, and one before each
  // block item (before the comment lines right above it).
  std::vector<OutLine> spaced;
  for (std::size_t i = 0; i < out.size(); ++i) {
    OutLine& o = out[i];
    if (o.blank) {
      if (!spaced.empty() && !spaced.back().blank) spaced.push_back(std::move(o));
      continue;
    }
    if (!o.starts.empty() && contains(L.spaced_items, o.starts)) {
      std::size_t k = spaced.size();
      while (k > 0 && !spaced[k - 1].code && !spaced[k - 1].blank) --k;  // its comment lines
      if (k > 0 && !spaced[k - 1].blank) {
        OutLine b;
        b.blank = true;
        spaced.insert(spaced.begin() + static_cast<std::ptrdiff_t>(k), std::move(b));
      }
    }
    spaced.push_back(std::move(o));
  }
  while (!spaced.empty() && spaced.back().blank) spaced.pop_back();

  // The ':' of consecutive field lines in one column, and their descriptions in another.
  for (std::size_t i = 0; i < spaced.size();) {
    if (!spaced[i].field) {
      ++i;
      continue;
    }
    std::size_t j = i, width = 0;
    for (; j < spaced.size() && spaced[j].field; ++j) width = std::max(width, spaced[j].name_width);
    std::size_t described = 0;  // where the descriptions start, after the names are padded
    for (std::size_t k = i; k < j; ++k) {
      spaced[k].text.insert(spaced[k].name_width, width - spaced[k].name_width, ' ');
      if (spaced[k].description_at) spaced[k].description_at += width - spaced[k].name_width;
      described = std::max(described, spaced[k].description_at);
    }
    for (std::size_t k = i; k < j; ++k) {
      if (spaced[k].description_at) {
        spaced[k].text.insert(spaced[k].description_at, described - spaced[k].description_at, ' ');
      }
    }
    i = j;
  }

  // The cells of consecutive rows of a table in columns (issue 14): each cell but
  // the last padded to the widest in its column, among rows with as many cells.
  for (std::size_t i = 0; i < spaced.size();) {
    if (!spaced[i].row) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < spaced.size() && spaced[j].row && spaced[j].cuts.size() == spaced[i].cuts.size()) ++j;
    const std::size_t columns = spaced[i].cuts.size();
    std::vector<std::size_t> width(columns, 0);
    for (std::size_t k = i; k < j; ++k) {
      for (std::size_t c = 0; c < columns; ++c) {
        const std::size_t start = c == 0 ? 0 : spaced[k].cuts[c - 1];
        width[c] = std::max(width[c], spaced[k].cuts[c] - start);
      }
    }
    for (std::size_t k = i; k < j; ++k) {
      std::string aligned;
      std::size_t start = 0;
      for (std::size_t c = 0; c < columns; ++c) {
        const std::size_t cell = spaced[k].cuts[c] - start;
        aligned.append(spaced[k].text, start, cell).append(width[c] - cell, ' ');
        start = spaced[k].cuts[c];
      }
      aligned.append(spaced[k].text, start, std::string::npos);
      spaced[k].text = std::move(aligned);
    }
    i = j;
  }

  std::string result;
  for (const OutLine& o : spaced) {
    if (!o.blank) result.append(o.indent, ' ').append(o.text);
    result += '\n';
  }
  return result;
}

FormatResult finish(std::string_view input, std::string formatted, std::vector<Diagnostic> after, const std::string& path) {
  FormatResult r;
  if (has_errors(after)) {
    // The layout must never break a file that parsed: keep the input and say so.
    Diagnostic d;
    d.code = "format-failed";
    d.pos = SourcePos{path, 1, 1, 0};
    d.message = "the formatter could not lay this file out without changing it (please report this); it was left as it was";
    r.diagnostics.push_back(std::move(d));
    r.text = std::string(input);
    return r;
  }
  r.changed = formatted != input;
  r.text = std::move(formatted);
  return r;
}

std::vector<Diagnostic> errors_only(std::vector<Diagnostic> ds) {
  ds.erase(std::remove_if(ds.begin(), ds.end(), [](const Diagnostic& d) { return d.severity != Severity::error; }),
           ds.end());
  return ds;
}

}  // namespace

FormatResult format_rules(std::string_view text, const std::string& path) {
  auto before = errors_only(parse_rules(path, std::string(text)).diagnostics);
  if (!before.empty()) return FormatResult{std::string(text), std::move(before), false};
  std::string formatted = layout(text, rules_layout());
  auto after = parse_rules(path, formatted).diagnostics;
  return finish(text, std::move(formatted), errors_only(std::move(after)), path);
}

FormatResult format_scenarios(std::string_view text, const std::string& path) {
  auto before = errors_only(scenario::parse_scenarios(path, std::string(text)).diagnostics);
  if (!before.empty()) return FormatResult{std::string(text), std::move(before), false};
  std::string formatted = layout(text, scenarios_layout());
  auto after = scenario::parse_scenarios(path, formatted).diagnostics;
  return finish(text, std::move(formatted), errors_only(std::move(after)), path);
}

std::optional<FileKind> file_kind(std::string_view path) {
  auto ends_with = [&](std::string_view s) {
    return path.size() >= s.size() && path.substr(path.size() - s.size()) == s;
  };
  if (ends_with(".rules")) return FileKind::rules;
  if (ends_with(".scenarios")) return FileKind::scenarios;
  return std::nullopt;
}

FormatResult format_text(FileKind kind, std::string_view text, const std::string& path) {
  return kind == FileKind::rules ? format_rules(text, path) : format_scenarios(text, path);
}

}  // namespace rulebook::authoring
