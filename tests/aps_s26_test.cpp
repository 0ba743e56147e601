// The reference policy aps.s26 against docs/contract/aps-s26.md (revision 2),
// value by value, in both versions: the worked example and each step of the
// precedence, with the cases where the two versions differ (misconduct).
#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>

#include "support.hpp"

using test::json;
using namespace rulebook;

namespace {

// The days each version is asked on: version 2016 (APSC 2018) and version 2022.
constexpr const char* in_2016 = "2019-06-03";
constexpr const char* in_2022 = "2026-03-02";

// An ongoing APS6 employee moving at level from Finance to Health, everyone agreeing.
json base() {
  return {{"employee", {{"employment", "ongoing"}, {"classification", "APS6"}}},
          {"move", {{"kind", "ongoing"}, {"from_agency", "Finance"}, {"to_agency", "Health"}, {"to_classification", "APS6"}}},
          {"agreement", {{"employee", true}, {"current_head", true}, {"gaining_head", true}}}};
}

// The same with a temporary move whose written agreement fixes both terms.
json temporary_base() {
  json j = base();
  j["move"]["kind"] = "temporary";
  j["dates"] = {{"agreed_date_of_effect", "2026-04-06"}, {"agreed_end_date", "2026-10-02"}};
  return j;
}

test::Run decide(const json& facts, const char* as_of = in_2022) {
  auto set = test::shipped();
  auto found = set->find("aps.s26", *parse_iso_date(as_of));
  REQUIRE(found.status == PolicySet::Status::ok);
  // Decided on the date the version was found for (a dated parameter has no value before its first date).
  test::Run r;
  r.program = &*found.program;
  r.problems = read_facts(*found.program, facts, Limits{}, r.facts);
  r.facts.as_of = *parse_iso_date(as_of);
  if (r.problems.empty()) r.decision = evaluate(*found.program, r.facts);
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
  for (const char* as_of : {in_2016, in_2022}) {
    INFO("as of " << as_of);
    auto r = decide(sarah, as_of);
    CHECK(r.out("outcome") == "approved");
    CHECK(r.out("effective_kind") == "ongoing");
    CHECK(r.out("right_of_return") == "no");
    CHECK(r.out("classification_change") == "at_level");
    CHECK(r.out("pay_basis") == "substantive");
    CHECK(r.out("missing_agreements") == "[]");
    CHECK(r.out("missing_terms") == "[]");
    CHECK(r.out("date_of_effect") == "2026-03-30");
    CHECK(r.out("notify_original_agency") == "yes");
    CHECK(r.out("engagement_conditions_review") == "no");
    CHECK(r.fired("ongoing-move-agreed"));
    // The decision object lists every output in declaration order.
    CHECK(decision_object_json(*r.program, r.decision) ==
          R"({"outcome":"approved","effective_kind":"ongoing","right_of_return":false,"classification_change":"at_level",)"
          R"("pay_basis":"substantive","missing_agreements":[],"date_of_effect":"2026-03-30","notify_original_agency":true,)"
          R"("engagement_conditions_review":false,"missing_terms":[]})");
  }
}

TEST_CASE("precedence 1: refused for a non-ongoing employee or a move within one agency") {
  for (const char* as_of : {in_2016, in_2022}) {
    INFO("as of " << as_of);
    auto non_ongoing = decide(with(base(), {{"employee", {{"employment", "non_ongoing"}, {"misconduct_alleged", true}}},
                                            {"move", {{"deferral_decided", true}}}}), as_of);
    CHECK(non_ongoing.out("outcome") == "refused");
    CHECK(non_ongoing.out("effective_kind") == "missing");
    CHECK(non_ongoing.out("right_of_return") == "no");
    CHECK(non_ongoing.out("date_of_effect") == "missing");
    CHECK(non_ongoing.fired("non-ongoing-refused"));
    CHECK_FALSE(non_ongoing.fired("misconduct-defers"));

    auto same = decide(with(base(), {{"move", {{"to_agency", "Finance"}}}}), as_of);
    CHECK(same.out("outcome") == "refused");
    CHECK(same.fired("same-agency-refused"));

    // One agency, whatever the letter case and the spaces at either end.
    auto spelt = decide(with(base(), {{"move", {{"from_agency", " Finance"}, {"to_agency", "finance  "}}}}), as_of);
    CHECK(spelt.out("outcome") == "refused");
    CHECK(spelt.fired("same-agency-refused"));
    // Spaces inside a name still make another agency.
    auto other = decide(with(base(), {{"move", {{"from_agency", "Social Services"}, {"to_agency", "SocialServices"}}}}), as_of);
    CHECK(other.out("outcome") == "approved");

    // An employee on a temporary transfer takes an ongoing job at the host agency:
    // the ongoing move "to the agency" that ends the transfer, decided as any s26 move.
    auto to_host = decide(with(base(), {{"employee", {{"on_temporary_transfer", true}}},
                                        {"move", {{"to_agency", "FINANCE"}}},
                                        {"dates", {{"notice_given_on", "2026-03-02"}}}}), as_of);
    CHECK(to_host.out("outcome") == "approved");
    CHECK(to_host.out("effective_kind") == "ongoing");
    CHECK(to_host.out("date_of_effect") == "2026-03-30");
    CHECK(to_host.out("notify_original_agency") == "yes");
    CHECK_FALSE(to_host.fired("same-agency-refused"));
    // A temporary move within the host agency is still an assignment of duties.
    auto temporary_at_host = decide(with(temporary_base(), {{"employee", {{"on_temporary_transfer", true}}},
                                                            {"move", {{"to_agency", "Finance"}}}}), as_of);
    CHECK(temporary_at_host.out("outcome") == "refused");

    // A non-ongoing employee moved compulsorily is not an s26 agreement move: not refused.
    auto excess = decide(with(base(), {{"employee", {{"employment", "non_ongoing"}}}, {"move", {{"basis", "excess"}}}}), as_of);
    CHECK(excess.out("outcome") == "approved");
  }
}

TEST_CASE("precedence 2: the Commissioner's compulsory moves need no consent and are not deferred") {
  for (const char* as_of : {in_2016, in_2022}) {
    for (const char* basis : {"excess", "machinery_of_government"}) {
      INFO("as of " << as_of << ", " << basis);
      json facts = {{"employee", {{"employment", "ongoing"}, {"classification", "EL1"}, {"misconduct_alleged", true}}},
                    {"move", {{"kind", "temporary"}, {"basis", basis}, {"from_agency", "A"}, {"to_agency", "B"},
                              {"to_classification", "EL1"}, {"deferral_decided", true}}},
                    {"dates", {{"notice_given_on", "2026-03-02"}}}};
      auto r = decide(facts, as_of);
      CHECK(r.out("outcome") == "approved");
      CHECK(r.out("effective_kind") == "ongoing");
      CHECK(r.out("right_of_return") == "no");
      CHECK(r.out("missing_agreements") == "[]");
      CHECK(r.out("missing_terms") == "[]");
      // The 4-week rule runs from the employee's notice: not for the Commissioner's moves.
      CHECK(r.out("date_of_effect") == "missing");
      CHECK_FALSE(r.fired("misconduct-defers"));
      CHECK_FALSE(r.fired("four-weeks-after-notice"));
      // A compulsory move is ongoing: to a higher classification it is a promotion.
      auto higher = decide(with(facts, {{"move", {{"to_classification", "EL2"}}}}), as_of);
      CHECK(higher.out("classification_change") == "promotion");
      // A date the Commissioner's direction sets can be sent as the agreed date.
      auto dated = decide(with(facts, {{"dates", {{"agreed_date_of_effect", "2026-05-04"}}}}), as_of);
      CHECK(dated.out("date_of_effect") == "2026-05-04");
    }
  }
}

TEST_CASE("precedence 3: misconduct defers an s26 move as each version's text says") {
  const json alleged = with(base(), {{"employee", {{"misconduct_alleged", true}}}, {"dates", {{"notice_given_on", "2026-03-02"}}}});

  // 2016 (APSC 2018): deferred "unless the employee and the two agency heads agree otherwise".
  auto deferred_2016 = decide(alleged, in_2016);
  CHECK(deferred_2016.out("outcome") == "deferred");
  CHECK(deferred_2016.out("effective_kind") == "missing");
  CHECK(deferred_2016.out("date_of_effect") == "missing");
  CHECK(deferred_2016.rule("ongoing-move-agreed").status == RuleStatus::overridden);
  auto proceed_2016 = decide(with(alleged, {{"agreement", {{"proceed_despite_misconduct", true}}}}), in_2016);
  CHECK(proceed_2016.out("outcome") == "approved");
  // Version 2016 does not read a head's decision to defer.
  auto decided_2016 = decide(with(alleged, {{"agreement", {{"proceed_despite_misconduct", true}}},
                                            {"move", {{"deferral_decided", true}}}}), in_2016);
  CHECK(decided_2016.out("outcome") == "approved");

  // 2022: "may be deferred": the allegation alone does not defer the move ...
  auto alleged_2022 = decide(alleged, in_2022);
  CHECK(alleged_2022.out("outcome") == "approved");
  CHECK(alleged_2022.out("date_of_effect") == "2026-03-30");
  CHECK_FALSE(alleged_2022.fired("misconduct-defers"));
  // ... a head's decision to defer does, whatever the parties agreed.
  auto decided_2022 = decide(with(alleged, {{"move", {{"deferral_decided", true}}},
                                            {"agreement", {{"proceed_despite_misconduct", true}}}}), in_2022);
  CHECK(decided_2022.out("outcome") == "deferred");
  CHECK(decided_2022.out("date_of_effect") == "missing");
  CHECK(decided_2022.fired("misconduct-defers"));
  // A decision to defer without an allegation defers nothing.
  auto no_allegation = decide(with(base(), {{"move", {{"deferral_decided", true}}}}), in_2022);
  CHECK(no_allegation.out("outcome") == "approved");

  // The same facts on the last day of 2016 and the first of 2022.
  CHECK(decide(alleged, "2022-01-31").out("outcome") == "deferred");
  CHECK(decide(alleged, "2022-02-01").out("outcome") == "approved");

  // A deferred move still lists what to collect meanwhile.
  auto waiting = decide(with(alleged, {{"agreement", {{"gaining_head", false}}}}), in_2016);
  CHECK(waiting.out("outcome") == "deferred");
  CHECK(waiting.out("missing_agreements") == "[gaining_head]");
}

TEST_CASE("precedence 4: the agreements and terms each kind of move needs") {
  for (const char* as_of : {in_2016, in_2022}) {
    INFO("as of " << as_of);
    auto ongoing = decide(with(base(), {{"agreement", {{"current_head", false}}}}), as_of);
    CHECK(ongoing.out("outcome") == "approved");  // the losing head's agreement is not required
    CHECK(ongoing.out("effective_kind") == "ongoing");
    CHECK(ongoing.out("missing_terms") == "[]");  // an ongoing move has no end date to agree

    auto ongoing_missing = decide(with(base(), {{"agreement", {{"employee", false}, {"gaining_head", false}}}}), as_of);
    CHECK(ongoing_missing.out("outcome") == "awaiting_agreement");
    CHECK(ongoing_missing.out("missing_agreements") == "[employee, gaining_head]");
    CHECK(ongoing_missing.out("effective_kind") == "missing");

    auto temporary = decide(temporary_base(), as_of);
    CHECK(temporary.out("outcome") == "approved");
    CHECK(temporary.out("effective_kind") == "temporary");
    CHECK(temporary.out("right_of_return") == "yes");
    CHECK(temporary.out("missing_terms") == "[]");
    CHECK(temporary.out("date_of_effect") == "2026-04-06");

    // The written agreement must fix the date of effect and the duration.
    struct Terms {
      json dates;
      const char* missing;
    } terms[] = {
        {json::object(), "[date_of_effect, end_date]"},
        {{{"agreed_date_of_effect", "2026-04-06"}}, "[end_date]"},
        {{{"agreed_end_date", "2026-10-02"}}, "[date_of_effect]"},
        {{{"agreed_date_of_effect", "2026-04-06"}, {"agreed_end_date", "2026-04-06"}}, "[end_date]"},
        {{{"agreed_date_of_effect", "2026-04-06"}, {"agreed_end_date", "2026-04-05"}}, "[end_date]"},
    };
    for (const auto& t : terms) {
      json facts = base();
      facts["move"]["kind"] = "temporary";
      facts["dates"] = t.dates;
      INFO(t.dates.dump());
      auto r = decide(facts, as_of);
      CHECK(r.out("outcome") == "awaiting_agreement");
      CHECK(r.out("missing_agreements") == "[]");
      CHECK(r.out("missing_terms") == t.missing);
      CHECK(r.out("effective_kind") == "missing");
      CHECK(r.out("right_of_return") == "no");
    }
    // A day after the date of effect is a term.
    auto one_day = decide(with(temporary_base(), {{"dates", {{"agreed_end_date", "2026-04-07"}}}}), as_of);
    CHECK(one_day.out("outcome") == "approved");

    auto temporary_missing = decide(with(temporary_base(), {{"agreement", {{"current_head", false}}}}), as_of);
    CHECK(temporary_missing.out("outcome") == "awaiting_agreement");
    CHECK(temporary_missing.out("missing_agreements") == "[current_head]");
    CHECK(temporary_missing.out("missing_terms") == "[]");

    // Only the current head is missing and the employee has started: regarded as ongoing,
    // whatever terms were agreed.
    auto regarded = decide(with(base(), {{"move", {{"kind", "temporary"}, {"commenced_duties", true}}},
                                         {"agreement", {{"current_head", false}}},
                                         {"dates", {{"notice_given_on", "2026-01-31"}}}}), as_of);
    CHECK(regarded.out("outcome") == "approved");
    CHECK(regarded.out("effective_kind") == "ongoing");
    CHECK(regarded.out("right_of_return") == "no");
    CHECK(regarded.out("missing_agreements") == "[]");
    CHECK(regarded.out("missing_terms") == "[]");
    CHECK(regarded.out("date_of_effect") == "2026-02-28");
    CHECK(regarded.fired("temporary-move-regarded-ongoing"));

    // A temporary promotion-level move needs all three too.
    auto all_three = decide(with(base(), {{"move", {{"kind", "temporary"}, {"to_classification", "EL1"}}},
                                          {"agreement", {{"employee", false}, {"current_head", false}, {"gaining_head", false}}}}), as_of);
    CHECK(all_three.out("missing_agreements") == "[employee, current_head, gaining_head]");
    CHECK(all_three.out("missing_terms") == "[date_of_effect, end_date]");
    CHECK(all_three.out("classification_change") == "temporary_higher_duties");
  }
}

TEST_CASE("classification change and pay basis") {
  struct Case {
    const char* kind;
    const char* to;
    bool lower_pay;
    bool regarded_as_ongoing;
    const char* change;
    const char* pay;
  } cases[] = {
      {"ongoing", "APS6", false, false, "at_level", "substantive"},
      {"ongoing", "EL1", false, false, "promotion", "new_classification"},
      {"temporary", "EL1", false, false, "temporary_higher_duties", "new_classification"},
      {"ongoing", "APS4", false, false, "reduction", "new_classification"},
      {"temporary", "APS4", false, false, "temporary_lower_duties", "substantive"},
      {"temporary", "APS4", true, false, "temporary_lower_duties", "new_classification"},
      {"temporary", "APS6", true, false, "at_level", "substantive"},
      // Regarded as ongoing, the move keeps its temporary duties: no promotion, no reduction.
      {"temporary", "EL1", false, true, "temporary_higher_duties", "new_classification"},
      {"temporary", "APS4", false, true, "temporary_lower_duties", "substantive"},
      {"temporary", "APS4", true, true, "temporary_lower_duties", "new_classification"},
  };
  for (const char* as_of : {in_2016, in_2022}) {
    for (const auto& c : cases) {
      json facts = with(temporary_base(), {{"move", {{"kind", c.kind}, {"to_classification", c.to},
                                                     {"instrument_allows_lower_pay", c.lower_pay}}}});
      if (c.regarded_as_ongoing) facts = with(facts, {{"move", {{"commenced_duties", true}}}, {"agreement", {{"current_head", false}}}});
      INFO("as of " << as_of << ": " << c.kind << " to " << c.to << (c.regarded_as_ongoing ? ", regarded as ongoing" : ""));
      auto r = decide(facts, as_of);
      CHECK(r.out("outcome") == "approved");
      CHECK(r.out("classification_change") == c.change);
      CHECK(r.out("pay_basis") == c.pay);
    }
  }
}

TEST_CASE("date of effect") {
  for (const char* as_of : {in_2016, in_2022}) {
    INFO("as of " << as_of);
    // An agreed date wins.
    auto agreed = decide(with(base(), {{"dates", {{"agreed_date_of_effect", "2026-05-01"}, {"notice_given_on", "2026-03-02"}}}}), as_of);
    CHECK(agreed.out("date_of_effect") == "2026-05-01");
    // A promotion takes effect under s42 of the Directions, outside this policy.
    auto promotion = decide(with(base(), {{"move", {{"to_classification", "EL2"}}}, {"dates", {{"notice_given_on", "2026-03-02"}}}}), as_of);
    CHECK(promotion.out("classification_change") == "promotion");
    CHECK(promotion.out("date_of_effect") == "missing");
    // Regarded as ongoing at a higher classification is not a promotion: four weeks apply.
    auto regarded_higher = decide(with(base(), {{"move", {{"kind", "temporary"}, {"to_classification", "EL1"}, {"commenced_duties", true}}},
                                                {"agreement", {{"current_head", false}}},
                                                {"dates", {{"notice_given_on", "2026-03-02"}}}}), as_of);
    CHECK(regarded_higher.out("date_of_effect") == "2026-03-30");
    // Not approved: no date.
    auto waiting = decide(with(base(), {{"agreement", {{"gaining_head", false}}}, {"dates", {{"notice_given_on", "2026-03-02"}}}}), as_of);
    CHECK(waiting.out("date_of_effect") == "missing");
  }
  // Four weeks after notice, across a leap day, in each version.
  auto leap_2016 = decide(with(base(), {{"dates", {{"notice_given_on", "2020-02-01"}}}}), "2020-02-01");
  CHECK(leap_2016.out("date_of_effect") == "2020-02-29");
  auto leap_2022 = decide(with(base(), {{"dates", {{"notice_given_on", "2028-02-10"}}}}), "2028-02-10");
  CHECK(leap_2022.out("date_of_effect") == "2028-03-09");
}

TEST_CASE("notices and reviews") {
  for (const char* as_of : {in_2016, in_2022}) {
    INFO("as of " << as_of);
    auto review = decide(with(base(), {{"employee", {{"engagement_conditions", "waived"}}}}), as_of);
    CHECK(review.out("engagement_conditions_review") == "yes");
    auto outstanding = decide(with(base(), {{"employee", {{"engagement_conditions", "outstanding"}}}}), as_of);
    CHECK(outstanding.out("engagement_conditions_review") == "yes");

    // The original agency hears only once the move is approved and is for good.
    auto on_transfer = json{{"employee", {{"on_temporary_transfer", true}}}};
    auto temporary_transfer = decide(with(temporary_base(), on_transfer), as_of);
    CHECK(temporary_transfer.out("outcome") == "approved");
    CHECK(temporary_transfer.out("notify_original_agency") == "no");
    auto not_accepted = decide(with(with(base(), on_transfer), {{"agreement", {{"employee", false}}}}), as_of);
    CHECK(not_accepted.out("outcome") == "awaiting_agreement");
    CHECK(not_accepted.out("notify_original_agency") == "no");
    auto regarded = decide(with(with(base(), on_transfer), {{"move", {{"kind", "temporary"}, {"commenced_duties", true}}},
                                                            {"agreement", {{"current_head", false}}}}), as_of);
    CHECK(regarded.out("effective_kind") == "ongoing");
    CHECK(regarded.out("notify_original_agency") == "yes");
  }
  auto deferred = decide(with(base(), {{"employee", {{"on_temporary_transfer", true}, {"misconduct_alleged", true}}}}), in_2016);
  CHECK(deferred.out("outcome") == "deferred");
  CHECK(deferred.out("notify_original_agency") == "no");
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
  CHECK(j["fired"][0] == json{{"rule", "ongoing-move-agreed"}, {"cite", "PS Act s26"}});
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
