#include "authoring/lsp_workspace.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "authoring/lsp_protocol.hpp"
#include "rulebook/limits.hpp"

namespace rulebook::lsp {

namespace fs = std::filesystem;

namespace {

bool read_whole(const std::string& path, std::string& out) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return false;
  const auto size = fs::file_size(path, ec);
  if (ec || size > (16u << 20)) return false;  // the parser refuses anything over its limit itself
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  out = s.str();
  return static_cast<bool>(in);
}

}  // namespace

bool Workspace::in_folder(const std::string& path) const {
  return !folder.empty() && path.size() > folder.size() + 1 && path.compare(0, folder.size(), folder) == 0 &&
         path[folder.size()] == '/';
}

std::string Workspace::relative(const std::string& path) const {
  return in_folder(path) ? path.substr(folder.size() + 1) : path;
}

std::map<std::string, std::string> Workspace::texts() const {
  std::map<std::string, std::string> out;
  if (!folder.empty()) {
    std::error_code ec;
    const auto options = fs::directory_options::skip_permission_denied;
    std::size_t seen = 0;
    for (fs::recursive_directory_iterator it(folder, options, ec), end; !ec && it != end; it.increment(ec)) {
      if (++seen > Limits{}.max_files) break;
      const std::string name = it->path().filename().string();
      if (!name.empty() && name[0] == '.') {
        if (it->is_directory(ec)) it.disable_recursion_pending();
        continue;
      }
      if (it->path().extension() != ".rules") continue;
      std::string text;
      if (read_whole(it->path().string(), text)) out[it->path().string()] = std::move(text);
    }
  }
  for (const auto& [uri, doc] : documents.all()) {
    if (!doc.path.empty() && fs::path(doc.path).extension() == ".rules") out[doc.path] = doc.text;
  }
  return out;
}

std::string Workspace::text_of(const std::string& path) const {
  for (const auto& [uri, doc] : documents.all()) {
    if (doc.path == path) return doc.text;
  }
  std::string text;
  read_whole(path, text);
  return text;
}

const Index& Workspace::index() {
  if (!index_ || index_generation_ != generation_) {
    index_ = std::make_unique<Index>(texts());
    index_generation_ = generation_;
  }
  return *index_;
}

const Document& Workspace::document(const json& params) const {
  if (!params.is_object() || !params.contains("textDocument") || !params["textDocument"].is_object() ||
      !params["textDocument"].contains("uri") || !params["textDocument"]["uri"].is_string()) {
    throw RequestError{error::invalid_params, "params.textDocument.uri is missing"};
  }
  const std::string& uri = params["textDocument"]["uri"].get_ref<const std::string&>();
  const Document* doc = documents.find(uri);
  if (!doc) throw RequestError{error::invalid_params, "the document " + uri + " is not open"};
  return *doc;
}

std::size_t Workspace::offset(const Document& doc, const json& params) {
  const json* pos = params.contains("position") ? &params["position"] : nullptr;
  auto whole = [&](const char* key) {
    return pos->contains(key) && (*pos)[key].is_number_integer() && (*pos)[key].get<std::int64_t>() >= 0;
  };
  if (!pos || !pos->is_object() || !whole("line") || !whole("character")) {
    throw RequestError{error::invalid_params, "params.position needs a line and a character (whole numbers from 0)"};
  }
  return LineMap(doc.text).offset((*pos)["line"].get<std::size_t>(), (*pos)["character"].get<std::size_t>());
}

std::string type_text(const ast::TypeSpec& t) {
  using K = ast::TypeSpec::Kind;
  switch (t.kind) {
    case K::yes_no: return "yes/no";
    case K::number: return "number";
    case K::decimal: return "decimal";
    case K::text: return "text";
    case K::date: return "date";
    case K::duration: return "duration";
    case K::named: return t.name;
    case K::record: return "record";
    case K::list: return "list of " + (t.element ? type_text(*t.element) : std::string("?"));
    case K::one_of: {
      std::string out = "one of ";
      for (std::size_t k = 0; k < t.members.size(); ++k) {
        if (k) out += t.ordered ? " < " : ", ";
        out += t.members[k];
      }
      return out;
    }
  }
  return "";
}

}  // namespace rulebook::lsp
