#include "fact_sets.hpp"

#include <nlohmann/json.hpp>

#include "rulebook/value.hpp"

namespace bench {

namespace {
const char* kLevels[] = {"APS1", "APS2", "APS3", "APS4", "APS5", "APS6", "EL1", "EL2", "SES1", "SES2", "SES3"};
const char* kBasis[] = {"agreement", "excess", "machinery_of_government"};
const char* kEngagement[] = {"met", "waived", "outstanding"};
}  // namespace

std::vector<Case> cases() {
  std::vector<Case> out;
  // A deterministic spread over the precedence steps, kinds, levels and dates.
  for (int k = 0; k < 20; ++k) {
    Case c{};
    c.ongoing_employee = k % 7 != 3;
    c.misconduct = k % 9 == 4;
    c.proceed = k % 18 == 13;
    c.deferral_decided = k % 9 == 4 && k % 2 == 0;
    c.on_temporary_transfer = k % 3 == 0;
    c.commenced = k % 4 == 1;
    c.lower_pay = k % 5 == 2;
    c.basis = k % 8 == 5 ? 1 : (k % 11 == 7 ? 2 : 0);
    c.engagement = k % 6 == 0 ? 1 : (k % 10 == 9 ? 2 : 0);
    c.kind_ongoing = k % 2 == 0;
    c.classification = 3 + k % 5;
    c.to_classification = 2 + (k * 3) % 7;
    c.same_agency = k == 17 || k == 6;  // k == 6: an ongoing move on a temporary transfer, to the host
    c.a_employee = k % 13 != 12;
    c.a_current = k % 4 != 1;
    c.a_gaining = k % 7 != 6;
    c.notice_day = k % 3 == 2 ? -1 : rulebook::date_from_ymd({2026, 1 + static_cast<unsigned>(k % 12), 1 + static_cast<unsigned>(k % 28)}).days;
    c.agreed_day = k % 5 == 0 || k % 5 == 3 ? rulebook::date_from_ymd({2026, 6, 30}).days : -1;
    c.agreed_end_day = k % 5 == 3 ? c.agreed_day + 180 : (k % 10 == 0 ? c.agreed_day : -1);

    nlohmann::json f;
    f["employee"] = {{"employment", c.ongoing_employee ? "ongoing" : "non_ongoing"},
                     {"classification", kLevels[c.classification]},
                     {"misconduct_alleged", c.misconduct},
                     {"engagement_conditions", kEngagement[c.engagement]},
                     {"on_temporary_transfer", c.on_temporary_transfer}};
    f["move"] = {{"kind", c.kind_ongoing ? "ongoing" : "temporary"},
                 {"basis", kBasis[c.basis]},
                 {"from_agency", "Finance"},
                 {"to_agency", c.same_agency ? (k == 6 ? " finance" : "Finance") : "Social Services"},
                 {"to_classification", kLevels[c.to_classification]},
                 {"commenced_duties", c.commenced},
                 {"instrument_allows_lower_pay", c.lower_pay},
                 {"deferral_decided", c.deferral_decided}};
    f["agreement"] = {{"employee", c.a_employee},
                      {"current_head", c.a_current},
                      {"gaining_head", c.a_gaining},
                      {"proceed_despite_misconduct", c.proceed}};
    f["dates"] = nlohmann::json::object();
    if (c.notice_day >= 0) f["dates"]["notice_given_on"] = rulebook::format_iso_date({c.notice_day});
    if (c.agreed_day >= 0) f["dates"]["agreed_date_of_effect"] = rulebook::format_iso_date({c.agreed_day});
    if (c.agreed_end_day >= 0) f["dates"]["agreed_end_date"] = rulebook::format_iso_date({c.agreed_end_day});
    c.json = nlohmann::json{{"facts", f}, {"as_of", "2026-03-02"}}.dump();
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace bench
