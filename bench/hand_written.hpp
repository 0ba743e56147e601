// The floor: aps.s26 (2022, contract revision 2) written by hand as plain ifs over a struct. Every
// benchmark run first checks it agrees with the engine on every case, so the
// ratio compares like with like.
#pragma once

#include <string>

#include "fact_sets.hpp"

namespace bench {

struct HandOutput {
  int outcome = 0;          // 0 approved, 1 refused, 2 deferred, 3 awaiting_agreement
  int effective_kind = -1;  // -1 none, 0 ongoing, 1 temporary
  bool right_of_return = false;
  int change = 0;           // 0 at_level, 1 promotion, 2 reduction, 3 temporary_lower, 4 temporary_higher
  bool substantive_pay = false;
  int missing[3] = {0, 0, 0};
  int missing_count = 0;
  int terms[2] = {0, 0};    // 0 date_of_effect, 1 end_date
  int terms_count = 0;
  int date_of_effect = -1;  // days since epoch, -1 none
  bool notify = false;
  bool review = false;
};

// Contract revision 2, version 2022.
inline HandOutput decide_by_hand(const Case& c) {
  HandOutput o;
  enum { employee, current_head, gaining_head };
  const bool by_agreement = c.basis == 0;
  const bool regarded = !c.kind_ongoing && c.a_employee && c.a_gaining && !c.a_current && c.commenced;
  int missing[3], n = 0;
  if (!c.a_employee) missing[n++] = employee;
  if (!c.kind_ongoing && !c.a_current) missing[n++] = current_head;
  if (!c.a_gaining) missing[n++] = gaining_head;
  int terms[2], t = 0;
  if (!c.kind_ongoing) {
    if (c.agreed_day < 0) terms[t++] = 0;
    if (c.agreed_end_day < 0 || (c.agreed_day >= 0 && c.agreed_end_day <= c.agreed_day)) terms[t++] = 1;
  }
  const bool ends_temporary_transfer = c.kind_ongoing && by_agreement && c.on_temporary_transfer;

  if ((!c.ongoing_employee && by_agreement) || (c.same_agency && !ends_temporary_transfer)) {
    o.outcome = 1;
  } else if (!by_agreement) {
    o.outcome = 0;
    o.effective_kind = 0;
  } else if (c.misconduct && c.deferral_decided) {
    o.outcome = 2;
  } else if (regarded) {
    o.outcome = 0;
    o.effective_kind = 0;
  } else if (n == 0 && t == 0) {
    o.outcome = 0;
    o.effective_kind = c.kind_ongoing ? 0 : 1;
  } else {
    o.outcome = 3;
  }
  o.right_of_return = o.outcome == 0 && o.effective_kind == 1;
  const bool for_good = c.kind_ongoing || !by_agreement;
  if (c.to_classification == c.classification) o.change = 0;
  else if (c.to_classification > c.classification) o.change = for_good ? 1 : 4;
  else o.change = for_good ? 2 : 3;
  o.substantive_pay = o.change == 0 || (o.change == 3 && !c.lower_pay);
  if (by_agreement && !regarded) {
    for (int k = 0; k < n; ++k) o.missing[k] = missing[k];
    o.missing_count = n;
    for (int k = 0; k < t; ++k) o.terms[k] = terms[k];
    o.terms_count = t;
  }
  if (o.outcome == 0) {
    if (c.agreed_day >= 0) o.date_of_effect = c.agreed_day;
    else if (by_agreement && o.effective_kind == 0 && o.change != 1 && c.notice_day >= 0) o.date_of_effect = c.notice_day + 28;
  }
  o.notify = o.outcome == 0 && c.on_temporary_transfer && o.effective_kind == 0;
  o.review = c.engagement != 0;
  return o;
}

// The same output as the engine's decision object, for the agreement check.
std::string hand_output_json(const HandOutput& o);

}  // namespace bench
