// `rulebook lsp [--policies DIR]`: the language server over stdin and stdout
// (docs/editors.md).
#include <iostream>

#include "authoring/lsp_server.hpp"
#include "cli/cli.hpp"
#include "cli/options.hpp"

namespace rulebook::cli {

int lsp(const Args& args, std::ostream& out, std::ostream& err) {
  lsp::ServerOptions options;
  CLI::App app{"Serve the Language Server Protocol over stdin and stdout, for editors.", "rulebook lsp"};
  app.add_option("--policies", options.policies,
                 "the policy folder to compile and index (default: policies/ under the editor's root, else the root)");
  bool stdio = true;
  app.add_flag("--stdio", stdio, "talk over stdin and stdout (the default and only way; editors pass it)");
  if (const auto done = parse_options(app, args, out, err)) return *done;
  std::ios::sync_with_stdio(false);
  return lsp::run(std::cin, out, options);
}

}  // namespace rulebook::cli
