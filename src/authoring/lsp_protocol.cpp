#include "authoring/lsp_protocol.hpp"

#include <cctype>
#include <charconv>
#include <istream>
#include <ostream>

namespace rulebook::lsp {

namespace {

constexpr std::size_t kMaxHeaderLine = 8192;

// One header line without its "\r\n"; false at the end of the stream.
bool read_line(std::istream& in, std::string& line, bool& too_long) {
  line.clear();
  too_long = false;
  int c;
  bool any = false;
  while ((c = in.get()) != std::char_traits<char>::eof()) {
    any = true;
    if (c == '\n') break;
    if (line.size() < kMaxHeaderLine) line += static_cast<char>(c);
    else too_long = true;
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return any;
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t k = 0; k < a.size(); ++k) {
    if (std::tolower(static_cast<unsigned char>(a[k])) != std::tolower(static_cast<unsigned char>(b[k]))) return false;
  }
  return true;
}

std::size_t nesting_depth(const std::string& s) {
  std::size_t depth = 0, deepest = 0;
  bool in_string = false;
  for (std::size_t k = 0; k < s.size(); ++k) {
    const char c = s[k];
    if (in_string) {
      if (c == '\\') ++k;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

}  // namespace

Frame read_frame(std::istream& in, std::size_t max_body) {
  Frame f;
  std::string line;
  bool too_long = false, any_header = false, have_length = false, bad_length = false;
  std::size_t length = 0;
  for (;;) {
    if (!read_line(in, line, too_long)) {
      if (!any_header) return f;  // eof
      f.status = Frame::Status::bad_header;
      f.problem = "the stream ended inside a message header";
      return f;
    }
    if (line.empty()) {
      if (!any_header) continue;  // blank lines between messages
      break;
    }
    any_header = true;
    const auto colon = line.find(':');
    if (too_long || colon == std::string::npos) {
      bad_length = bad_length || too_long;
      continue;
    }
    if (!equals_ignoring_case(std::string_view(line).substr(0, colon), "Content-Length")) continue;
    std::string_view value = std::string_view(line).substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), length);
    if (ec != std::errc() || end != value.data() + value.size() || have_length) bad_length = true;
    have_length = true;
  }
  if (!have_length || bad_length) {
    f.status = Frame::Status::bad_header;
    f.problem = have_length ? "the message header has an unreadable Content-Length"
                            : "the message header has no Content-Length";
    return f;
  }
  if (length > max_body) {
    in.ignore(static_cast<std::streamsize>(length));
    f.status = Frame::Status::too_large;
    f.problem = "the message is " + std::to_string(length) + " bytes; the limit is " + std::to_string(max_body);
    return f;
  }
  f.body.resize(length);
  in.read(f.body.data(), static_cast<std::streamsize>(length));
  if (static_cast<std::size_t>(in.gcount()) != length) {
    f.status = Frame::Status::bad_header;
    f.problem = "the stream ended inside a message body";
    f.body.clear();
    return f;
  }
  f.status = Frame::Status::ok;
  return f;
}

void write_frame(std::ostream& out, const json& message) {
  const std::string body = message.dump(-1, ' ', false, json::error_handler_t::replace);
  out << "Content-Length: " << body.size() << "\r\n\r\n" << body;
  out.flush();
}

json parse_body(const std::string& body, std::string& problem) {
  if (nesting_depth(body) > kMaxJsonDepth) {
    problem = "the JSON is nested more than " + std::to_string(kMaxJsonDepth) + " levels deep";
    return json(json::value_t::discarded);
  }
  json j = json::parse(body, nullptr, false);
  if (j.is_discarded()) problem = "the message is not valid JSON";
  return j;
}

json response(const json& id, json result) {
  return json{{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}};
}

json error_response(const json& id, int code, const std::string& message) {
  return json{{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", code}, {"message", message}}}};
}

json notification(const std::string& method, json params) {
  return json{{"jsonrpc", "2.0"}, {"method", method}, {"params", std::move(params)}};
}

}  // namespace rulebook::lsp
