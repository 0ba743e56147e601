// About twenty varied aps.s26 requests, and the same cases as a plain struct
// for the hand-written floor. Shared by the evaluate and decide benchmarks.
#pragma once

#include <string>
#include <vector>

namespace bench {

struct Case {
  std::string json;  // the request body
  // The same facts for the hand-written version.
  bool ongoing_employee, misconduct, proceed, deferral_decided, on_temporary_transfer, commenced, lower_pay;
  int basis;  // 0 agreement, 1 excess, 2 machinery of government
  int engagement;  // 0 met, 1 waived, 2 outstanding
  bool kind_ongoing;
  int classification, to_classification;  // 0..10
  bool same_agency;  // the two names are one agency, ignoring letter case and outer spaces
  bool a_employee, a_current, a_gaining;
  int notice_day;  // days since epoch, or -1
  int agreed_day;  // or -1
  int agreed_end_day;  // or -1
};

std::vector<Case> cases();

}  // namespace bench
