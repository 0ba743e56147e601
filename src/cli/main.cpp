// rulebook: check, decide, test and serve policy-as-data rules.
#include <iostream>
#include <string>

#include "analysis/proofs.hpp"
#include "cli/build_info.hpp"
#include "cli/cli.hpp"

namespace {
const char* kUsage = R"(usage: rulebook <verb> [options]

  check [PATH...]        check rule files (default: ./policies); exit 1 on errors (--strict: on warnings)
  decide POLICY_ID       decide one request body ({"facts": {...}}) and print the answer
  test [PATH...]         run scenario suites (default: every suite under the policies folder)
  diff BASE NEW          which decisions an edit changes (see docs/impact.md)
  serve                  serve decisions over HTTP and the workbench (see docs/http-api.md)
  lsp                    the language server for editors, over stdin and stdout (docs/editors.md)
  fmt [PATH...]          lay out .rules and .scenarios files canonically (default: ./policies)
  explain CODE           what a diagnostic code means, an example, and how to fix it
  help                   this text
  --version              version, git revision and build date

'rulebook VERB --help' lists a verb's options.
)";
}

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << kUsage;
    return rulebook::cli::kBadInput;
  }
  const std::string verb = argv[1];
  rulebook::cli::Args args(argv + 2, argv + argc);
  if (verb == "check") return rulebook::cli::check(args, std::cout, std::cerr);
  if (verb == "decide") return rulebook::cli::decide(args, std::cout, std::cerr);
  if (verb == "test") return rulebook::cli::test(args, std::cout, std::cerr, std::cin, rulebook::analysis::suggest_facts);
  if (verb == "explain") return rulebook::cli::explain(args, std::cout, std::cerr);
  if (verb == "fmt") return rulebook::cli::fmt(args, std::cout, std::cerr);
  if (verb == "diff") return rulebook::cli::diff(args, std::cout, std::cerr);
  if (verb == "serve") return rulebook::cli::serve(args, std::cout, std::cerr);
  if (verb == "lsp") return rulebook::cli::lsp(args, std::cout, std::cerr);
  if (verb == "--version" || verb == "version") {
    const auto& b = rulebook::cli::kBuildInfo;
    std::cout << "rulebook " << b.version << " (revision " << b.revision << ", built " << b.date << ")\n";
    return 0;
  }
  if (verb == "help" || verb == "--help" || verb == "-h") {
    std::cout << kUsage;
    return 0;
  }
  std::cerr << "rulebook: unknown verb '" << verb << "'\n" << kUsage;
  return rulebook::cli::kBadInput;
}
