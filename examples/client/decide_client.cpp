// decide_client: ask a Rulebook decision service for a decision, and read
// the answer or the error the way the contract gives them. Copy it.
//
//   decide_client [BASE_URL] [POLICY_ID] [REQUEST_FILE]
//   decide_client http://127.0.0.1:8080 aps.s26 examples/http/sarah.json
//
// Without REQUEST_FILE it sends Sarah's case from the aps.s26 contract.
// Exit 0 with a decision, 2 when the server refused the request (4xx),
// 1 when there was no answer or the server failed (5xx).
//
// Build: g++ -std=c++17 decide_client.cpp $(pkg-config --cflags --libs cpp-httplib)
// (Debian's libcpp-httplib-dev is a compiled library: its pkg-config flags matter.)
#include <httplib.h>

#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

using nlohmann::json;

namespace {

json sarah() {
  return json::parse(R"({
    "facts": {
      "employee": {"employment": "ongoing", "classification": "APS6", "on_temporary_transfer": true},
      "move": {"kind": "ongoing", "from_agency": "Finance", "to_agency": "Social Services", "to_classification": "APS6"},
      "agreement": {"employee": true, "gaining_head": true},
      "dates": {"notice_given_on": "2026-03-02"}
    },
    "as_of": "2026-03-02"
  })");
}

}  // namespace

int main(int argc, char** argv) {
  const std::string base = argc > 1 ? argv[1] : "http://127.0.0.1:8080";
  const std::string policy = argc > 2 ? argv[2] : "aps.s26";
  json request = sarah();
  if (argc > 3) {
    std::ifstream in(argv[3]);
    std::stringstream text;
    text << in.rdbuf();
    request = json::parse(text.str(), nullptr, false);
    if (!in || request.is_discarded()) {
      std::cerr << "cannot read a JSON request from " << argv[3] << "\n";
      return 1;
    }
  }

  // One client per server, reused: it keeps the connection alive between
  // requests. Turn Nagle off (TCP_NODELAY), or each request waits ~40 ms.
  httplib::Client client(base);
  client.set_tcp_nodelay(true);
  client.set_keep_alive(true);
  client.set_connection_timeout(2);
  client.set_read_timeout(10);

  const auto res = client.Post(("/v1/decide/" + policy).c_str(), request.dump(), "application/json");
  if (!res) {
    std::cerr << "no answer from " << base << ": " << httplib::to_string(res.error()) << "\n";
    return 1;
  }
  const json body = json::parse(res->body, nullptr, false);
  if (body.is_discarded()) {
    std::cerr << "HTTP " << res->status << " without a JSON body\n";
    return 1;
  }
  // Quote the request id when you report a problem: the decision log has it too.
  const std::string request_id = res->get_header_value("X-Request-Id");

  if (res->status == 200) {
    const json& p = body["policy"];
    std::cout << p["id"].get<std::string>() << " version " << p["version"].get<std::string>() << " as of "
              << body["as_of"].get<std::string>() << " (" << p["hash"].get<std::string>() << ")\n";
    for (const auto& [output, value] : body["decision"].items()) std::cout << "  " << output << ": " << value.dump() << "\n";
    std::cout << "because:\n";
    for (const auto& f : body["fired"]) {
      std::cout << "  " << f["rule"].get<std::string>() << " (" << f["cite"].get<std::string>() << ")\n";
    }
    std::cout << "request id " << request_id << "\n";
    return 0;
  }

  // Every error is {"error": {"code", "message", "details"}}; decide on the code.
  const json& error = body["error"];
  std::cerr << "HTTP " << res->status << " " << error["code"].get<std::string>() << ": "
            << error["message"].get<std::string>() << " (request id " << request_id << ")\n";
  for (const auto& d : error["details"]) {
    if (d.contains("path")) std::cerr << "  " << d["path"].get<std::string>() << ": " << d["problem"].get<std::string>() << "\n";
  }
  return res->status >= 500 ? 1 : 2;
}
