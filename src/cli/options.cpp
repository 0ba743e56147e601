#include "cli/options.hpp"

#include <algorithm>
#include <ostream>

namespace rulebook::cli {

std::optional<int> parse_options(CLI::App& app, const Args& args, std::ostream& out, std::ostream& err) {
  // CLI11 takes the words in reverse order (it pops them from the back).
  app.get_formatter()->column_width(30);
  std::vector<std::string> words(args.rbegin(), args.rend());
  try {
    app.parse(words);
  } catch (const CLI::CallForHelp&) {
    out << app.help();
    return kOk;
  } catch (const CLI::ParseError& e) {
    err << app.get_name() << ": " << e.what() << "\n"
        << "run '" << app.get_name() << " --help' for its options\n";
    return kBadInput;
  }
  return std::nullopt;
}

}  // namespace rulebook::cli
