// The reference policy aps.s26 against ../shared/contract/aps-s26.md, value by
// value: the worked example and each step of the precedence.
#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>

#include "support.hpp"

using test::json;
using namespace rulebook;

namespace {

// An ongoing APS6 employee moving at level from Finance to Health, everyone agreeing.
json base() {
  return {{"employee", {{"employment", "ongoing"}, {"classification", "APS6"}}},
          {"move", {{"kind", "ongoing"}, {"from_agency", "Finance"}, {"to_agency", "Health"}, {"to_classification", "APS6"}}},
          {"agreement", {{"employee", true}, {"current_head", true}, {"gaining_head", true}}}};
}

test::Run decide(const json& facts, const char* as_of = "2026-03-02") {
  auto set = test::shipped();
  auto found = set->find("aps.s26", *parse_iso_date(as_of));
  REQUIRE(found.status == PolicySet::Status::ok);
  auto r = test::run(*found.program, facts);
  INFO(facts.dump());
  REQUIRE(r.problems.empty());
  REQUIRE_FALSE(r.decision.error);
  return r;
}

json with(json j, const json& patch) {
  j.merge_patch(patch);
  return j;
}

}  // namespace

TEST_CASE("the worked example: Sarah, on a temporary transfer, takes an ongoing job") {
  json sarah = {{"employee", {{"employment", "ongoing"}, {"classification", "APS6"}, {"on_temporary_transfer", true}}},
                {"move", {{"kind", "ongoing"}, {"from_agency", "Finance"}, {"to_agency", "Social Services"}, {"to_classification", "APS6"}}},
                {"agreement", {{"employee", true}, {"gaining_head", true}}},
                {"dates", {{"notice_given_on", "2026-03-02"}}}};
  auto r = decide(sarah);
  CHECK(r.out("outcome") == "approved");
  CHECK(r.out("effective_kind") == "ongoing");
  CHECK(r.out("right_of_return") == "no");
  CHECK(r.out("classification_change") == "at_level");
  CHECK(r.out("pay_basis") == "substantive");
  CHECK(r.out("missing_agreements") == "[]");
  CHECK(r.out("date_of_effect") == "2026-03-30");
  CHECK(r.out("notify_original_agency") == "yes");
  CHECK(r.out("engagement_conditions_review") == "no");
  CHECK(r.fired("ongoing-move-agreed"));
  // The decision object lists every output in declaration order.
  CHECK(decision_object_json(*r.program, r.decision) ==
        R"({"outcome":"approved","effective_kind":"ongoing","right_of_return":false,"classification_change":"at_level",)"
        R"("pay_basis":"substantive","missing_agreements":[],"date_of_effect":"2026-03-30","notify_original_agency":true,)"
        R"("engagement_conditions_review":false})");
}

TEST_CASE("precedence 1: refused for a non-ongoing employee or a move within one agency") {
  auto non_ongoing = decide(with(base(), {{"employee", {{"employment", "non_ongoing"}, {"misconduct_alleged", true}}}}));
  CHECK(non_ongoing.out("outcome") == "refused");
  CHECK(non_ongoing.out("effective_kind") == "missing");
  CHECK(non_ongoing.out("right_of_return") == "no");
  CHECK(non_ongoing.out("date_of_effect") == "missing");
  CHECK(non_ongoing.fired("non-ongoing-refused"));
  CHECK_FALSE(non_ongoing.fired("misconduct-defers"));

  auto same = decide(with(base(), {{"move", {{"to_agency", "Finance"}}}}));
  CHECK(same.out("outcome") == "refused");
  CHECK(same.fired("same-agency-refused"));

  // A non-ongoing employee moved compulsorily is not an s26 agreement move: not refused.
  auto excess = decide(with(base(), {{"employee", {{"employment", "non_ongoing"}}}, {"move", {{"basis", "excess"}}}}));
  CHECK(excess.out("outcome") == "approved");
}

TEST_CASE("precedence 2: deferred while misconduct is alleged, unless all agree to proceed") {
  auto deferred = decide(with(base(), {{"employee", {{"misconduct_alleged", true}}}, {"dates", {{"notice_given_on", "2026-03-02"}}}}));
  CHECK(deferred.out("outcome") == "deferred");
  CHECK(deferred.out("effective_kind") == "missing");
  CHECK(deferred.out("date_of_effect") == "missing");
  CHECK(deferred.rule("ongoing-move-agreed").status == RuleStatus::overridden);

  auto compulsory = decide(with(base(), {{"employee", {{"misconduct_alleged", true}}}, {"move", {{"basis", "excess"}}}}));
  CHECK(compulsory.out("outcome") == "deferred");

  auto proceed = decide(with(base(), {{"employee", {{"misconduct_alleged", true}}},
                                      {"agreement", {{"proceed_despite_misconduct", true}}}}));
  CHECK(proceed.out("outcome") == "approved");
}

TEST_CASE("precedence 3: the Commissioner's compulsory moves need no consent") {
  for (const char* basis : {"excess", "machinery_of_government"}) {
    auto r = decide({{"employee", {{"employment", "ongoing"}, {"classification", "EL1"}}},
                     {"move", {{"kind", "temporary"}, {"basis", basis}, {"from_agency", "A"}, {"to_agency", "B"}, {"to_classification", "EL1"}}}});
    INFO(basis);
    CHECK(r.out("outcome") == "approved");
    CHECK(r.out("effective_kind") == "ongoing");
    CHECK(r.out("right_of_return") == "no");
    CHECK(r.out("missing_agreements") == "[]");
    CHECK(r.out("date_of_effect") == "missing");
  }
}

TEST_CASE("precedence 4: the agreements each kind of move needs") {
  auto ongoing = decide(with(base(), {{"agreement", {{"current_head", false}}}}));
  CHECK(ongoing.out("outcome") == "approved");  // the losing head's agreement is not required
  CHECK(ongoing.out("effective_kind") == "ongoing");

  auto ongoing_missing = decide(with(base(), {{"agreement", {{"employee", false}, {"gaining_head", false}}}}));
  CHECK(ongoing_missing.out("outcome") == "awaiting_agreement");
  CHECK(ongoing_missing.out("missing_agreements") == "[employee, gaining_head]");
  CHECK(ongoing_missing.out("effective_kind") == "missing");

  auto temporary = decide(with(base(), {{"move", {{"kind", "temporary"}}}, {"dates", {{"agreed_date_of_effect", "2026-04-01"}}}}));
  CHECK(temporary.out("outcome") == "approved");
  CHECK(temporary.out("effective_kind") == "temporary");
  CHECK(temporary.out("right_of_return") == "yes");
  CHECK(temporary.out("date_of_effect") == "2026-04-01");

  auto temporary_missing = decide(with(base(), {{"move", {{"kind", "temporary"}}}, {"agreement", {{"current_head", false}}}}));
  CHECK(temporary_missing.out("outcome") == "awaiting_agreement");
  CHECK(temporary_missing.out("missing_agreements") == "[current_head]");

  // Only the current head is missing and the employee has started: regarded as ongoing.
  auto regarded = decide(with(base(), {{"move", {{"kind", "temporary"}, {"commenced_duties", true}}},
                                       {"agreement", {{"current_head", false}}},
                                       {"dates", {{"notice_given_on", "2026-01-31"}}}}));
  CHECK(regarded.out("outcome") == "approved");
  CHECK(regarded.out("effective_kind") == "ongoing");
  CHECK(regarded.out("right_of_return") == "no");
  CHECK(regarded.out("missing_agreements") == "[]");
  CHECK(regarded.out("date_of_effect") == "2026-02-28");
  CHECK(regarded.fired("temporary-move-regarded-ongoing"));

  // A temporary promotion-level move needs all three too.
  auto all_three = decide(with(base(), {{"move", {{"kind", "temporary"}, {"to_classification", "EL1"}}},
                                        {"agreement", {{"employee", false}, {"current_head", false}, {"gaining_head", false}}}}));
  CHECK(all_three.out("missing_agreements") == "[employee, current_head, gaining_head]");
  CHECK(all_three.out("classification_change") == "temporary_higher_duties");
}

TEST_CASE("classification change and pay basis") {
  struct Case {
    const char* kind;
    const char* to;
    bool lower_pay;
    const char* change;
    const char* pay;
  } cases[] = {
      {"ongoing", "APS6", false, "at_level", "substantive"},
      {"ongoing", "EL1", false, "promotion", "new_classification"},
      {"temporary", "EL1", false, "temporary_higher_duties", "new_classification"},
      {"ongoing", "APS4", false, "reduction", "new_classification"},
      {"temporary", "APS4", false, "temporary_lower_duties", "substantive"},
      {"temporary", "APS4", true, "temporary_lower_duties", "new_classification"},
      {"temporary", "APS6", true, "at_level", "substantive"},
  };
  for (const auto& c : cases) {
    auto r = decide(with(base(), {{"move", {{"kind", c.kind}, {"to_classification", c.to}, {"instrument_allows_lower_pay", c.lower_pay}}}}));
    INFO(c.kind << " to " << c.to);
    CHECK(r.out("classification_change") == c.change);
    CHECK(r.out("pay_basis") == c.pay);
  }
}

TEST_CASE("date of effect") {
  // An agreed date wins.
  auto agreed = decide(with(base(), {{"dates", {{"agreed_date_of_effect", "2026-05-01"}, {"notice_given_on", "2026-03-02"}}}}));
  CHECK(agreed.out("date_of_effect") == "2026-05-01");
  // Four weeks after notice, across a leap day.
  auto leap = decide(with(base(), {{"dates", {{"notice_given_on", "2028-02-10"}}}}), "2028-02-10");
  CHECK(leap.out("date_of_effect") == "2028-03-09");
  // A promotion takes effect under s42 of the Directions, outside this policy.
  auto promotion = decide(with(base(), {{"move", {{"to_classification", "EL2"}}}, {"dates", {{"notice_given_on", "2026-03-02"}}}}));
  CHECK(promotion.out("classification_change") == "promotion");
  CHECK(promotion.out("date_of_effect") == "missing");
  // A temporary move's date must be agreed.
  auto temporary = decide(with(base(), {{"move", {{"kind", "temporary"}}}, {"dates", {{"notice_given_on", "2026-03-02"}}}}));
  CHECK(temporary.out("date_of_effect") == "missing");
  // Not approved: no date.
  auto waiting = decide(with(base(), {{"agreement", {{"gaining_head", false}}}, {"dates", {{"notice_given_on", "2026-03-02"}}}}));
  CHECK(waiting.out("date_of_effect") == "missing");
}

TEST_CASE("notices and reviews") {
  auto review = decide(with(base(), {{"employee", {{"engagement_conditions", "waived"}}}}));
  CHECK(review.out("engagement_conditions_review") == "yes");
  auto outstanding = decide(with(base(), {{"employee", {{"engagement_conditions", "outstanding"}}}}));
  CHECK(outstanding.out("engagement_conditions_review") == "yes");
  auto temporary_transfer = decide(with(base(), {{"employee", {{"on_temporary_transfer", true}}}, {"move", {{"kind", "temporary"}}}}));
  CHECK(temporary_transfer.out("notify_original_agency") == "no");
}

// ---- the CLI, end to end ----------------------------------------------------

static int run_cli(const std::string& args, std::string& out) {
  const std::string cmd = std::string(RULEBOOK_BINARY) + " " + args + " 2>&1";
  FILE* pipe = popen(cmd.c_str(), "r");
  REQUIRE(pipe);
  char buf[4096];
  out.clear();
  while (size_t n = fread(buf, 1, sizeof buf, pipe)) out.append(buf, n);
  const int status = pclose(pipe);
  return WEXITSTATUS(status);
}

static std::string write_temp(const std::string& name, const std::string& text) {
  const std::string path = "/tmp/rulebook-test-" + std::to_string(getpid()) + "-" + name;
  std::ofstream(path) << text;
  return path;
}

TEST_CASE("rulebook decide answers with the HTTP 200 body") {
  json sarah = {{"facts", {{"employee", {{"employment", "ongoing"}, {"classification", "APS6"}, {"on_temporary_transfer", true}}},
                           {"move", {{"kind", "ongoing"}, {"from_agency", "Finance"}, {"to_agency", "Social Services"}, {"to_classification", "APS6"}}},
                           {"agreement", {{"employee", true}, {"gaining_head", true}}},
                           {"dates", {{"notice_given_on", "2026-03-02"}}}}},
                {"as_of", "2026-03-02"}};
  const auto path = write_temp("sarah.json", sarah.dump());
  std::string out;
  REQUIRE(run_cli("decide aps.s26 --policies " + test::source_dir() + "/policies --facts " + path, out) == 0);
  auto j = json::parse(out);
  CHECK(j["policy"]["id"] == "aps.s26");
  CHECK(j["policy"]["version"] == "2022");
  CHECK(j["policy"]["hash"].get<std::string>().rfind("sha256:", 0) == 0);
  CHECK(j["decision"]["outcome"] == "approved");
  CHECK(j["decision"]["date_of_effect"] == "2026-03-30");
  CHECK(j["fired"][0] == json{{"rule", "ongoing-move-agreed"}, {"cite", "Directions 2022 s46(2)"}});
  CHECK_FALSE(j.contains("explanation"));

  REQUIRE(run_cli("decide aps.s26 --explain --policies " + test::source_dir() + "/policies --facts " + path, out) == 0);
  CHECK(json::parse(out)["explanation"].is_array());

  REQUIRE(run_cli("decide aps.s26 --explain --format text --policies " + test::source_dir() + "/policies --facts " + path, out) == 0);
  CHECK_THAT(out, Catch::Contains("misconduct-defers did not apply: employee.misconduct_alleged does not hold (employee.misconduct_alleged is no)"));
  CHECK_THAT(out, Catch::Contains("date_of_effect = 2026-03-30, by four-weeks-after-notice"));
}

TEST_CASE("rulebook decide lists every invalid fact by path and exits 2") {
  const auto path = write_temp("bad.json", R"({"facts": {"employee": {"employment": "casual", "classification": "APS9"},
      "move": {"kind": "ongoing", "from_agency": "A", "to_agency": "B", "to_classification": "APS6"},
      "dates": {"notice_given_on": "2026-02-30"}, "agreement": {"employe": true}}})");
  std::string out;
  REQUIRE(run_cli("decide aps.s26 --policies " + test::source_dir() + "/policies --facts " + path, out) == 2);
  auto j = json::parse(out);
  CHECK(j["error"]["code"] == "invalid_facts");
  std::vector<std::string> paths;
  for (const auto& d : j["error"]["details"]) paths.push_back(d["path"]);
  std::sort(paths.begin(), paths.end());
  CHECK(paths == std::vector<std::string>{"agreement.employe", "dates.notice_given_on", "employee.classification",
                                          "employee.employment"});
}

TEST_CASE("rulebook check reports a broken file at its line and column and exits 1") {
  const auto path = write_temp("broken.rules", "policy x \"X\"\n  version 1\n  in force from 2020-01-01\n"
                                               "outputs\n  o : yes/no\nrule r \"t\"\n  cite \"c\"\n  when nope\n  then o = yes\n");
  std::string out;
  REQUIRE(run_cli("check " + path, out) == 1);
  CHECK_THAT(out, Catch::Contains(path + ":8:8: error: nothing called 'nope' is declared"));
  CHECK_THAT(out, Catch::Contains("1 error"));
  REQUIRE(run_cli("check " + test::source_dir() + "/policies", out) == 0);
  CHECK_THAT(out, Catch::Contains("0 errors"));
}
