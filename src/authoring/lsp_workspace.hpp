// The state `rulebook lsp` works on: the policy folder, the open buffers, and
// the navigation index built from both (rebuilt after a change, when asked).
// The request handlers of lsp_*.cpp take it and the request's params.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "authoring/lsp_documents.hpp"
#include "authoring/lsp_index.hpp"

namespace rulebook::lsp {

// A request that cannot be answered: sent back as a JSON-RPC error.
struct RequestError {
  int code;
  std::string message;
};

class Workspace {
 public:
  // The policy folder compiled for diagnostics and indexed for navigation
  // (absolute, without a trailing '/'); "" until initialize names one.
  std::string folder;
  Documents documents;

  // The .rules files under the folder, each with its open buffer's text or
  // its text on disk, and every other open .rules buffer.
  std::map<std::string, std::string> texts() const;
  // An open buffer's text, else the file on disk, else "".
  std::string text_of(const std::string& path) const;
  bool in_folder(const std::string& path) const;
  // `path` relative to the folder, for messages ("aps/s26-facts.rules").
  std::string relative(const std::string& path) const;

  void changed() { ++generation_; }
  const Index& index();

  // The open document a request names (params.textDocument.uri); throws RequestError.
  const Document& document(const json& params) const;
  // The byte offset of params.position in `doc`.
  static std::size_t offset(const Document& doc, const json& params);

 private:
  std::unique_ptr<Index> index_;
  std::uint64_t generation_ = 0, index_generation_ = ~std::uint64_t{0};
};

// The request handlers (lsp_diagnostics.cpp, lsp_navigation.cpp, lsp_completion.cpp,
// lsp_formatting.cpp).

// Compiles the folder (and open buffers outside it) as the loader does, the
// open buffers in place of their files: every file's diagnostics, by path.
std::map<std::string, json> compile_diagnostics(const Workspace& ws);

json hover(Workspace& ws, const json& params);
json definition(Workspace& ws, const json& params);
json references(Workspace& ws, const json& params);
json rename(Workspace& ws, const json& params);
json document_symbols(Workspace& ws, const json& params);
json completion(Workspace& ws, const json& params);
// The whole buffer formatted as `rulebook fmt` would (lsp_formatting.cpp).
json formatting(Workspace& ws, const json& params);
// The keywords completion offers.
const std::vector<std::string>& completion_keywords();

// "one of a, b", "list of party", "yes/no": a type as the language writes it.
std::string type_text(const ast::TypeSpec& t);

}  // namespace rulebook::lsp
