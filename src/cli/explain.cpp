// `rulebook explain CODE`: prints what a diagnostic code means, an example that
// triggers it and how to fix it (docs/diagnostics.md, compiled into the binary).
// Exit 0 when the code has an entry; 1 when it has none (the nearest code is
// suggested, then the known codes are listed).
#include <ostream>

#include "authoring/explain.hpp"
#include "check/checker.hpp"
#include "cli/cli.hpp"
#include "cli/options.hpp"

namespace rulebook::cli {

int explain(const Args& args, std::ostream& out, std::ostream& err) {
  std::string code;
  CLI::App app{"Explain a diagnostic code: what it means, an example, how to fix it.", "rulebook explain"};
  app.add_option("CODE", code, "the code, as `rulebook check` prints it (e.g. unknown-name)")->required();
  if (const auto done = parse_options(app, args, out, err)) return *done;
  const auto doc = authoring::diagnostics_doc();
  if (const auto entry = authoring::explain_entry(doc, code)) {
    out << *entry;
    return kOk;
  }
  const auto codes = authoring::documented_codes(doc);
  err << "rulebook explain: no diagnostic is called '" << code << "'";
  // A misspelling gets the nearest code; a word that starts codes gets them.
  if (const std::string near = did_you_mean(code, codes); !near.empty()) {
    err << "; did you mean " << near << "?";
  } else {
    std::string starting;
    for (const auto& c : codes) {
      if (c.rfind(code + "-", 0) == 0) starting += (starting.empty() ? "" : ", ") + c;
    }
    if (!starting.empty()) err << "; did you mean one of " << starting << "?";
  }
  err << "\nthe codes are:";
  for (const auto& c : codes) err << " " << c;
  err << "\n";
  return kFailed;
}

}  // namespace rulebook::cli
