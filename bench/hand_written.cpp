#include "hand_written.hpp"

#include "rulebook/value.hpp"

namespace bench {

std::string hand_output_json(const HandOutput& o) {
  static const char* outcomes[] = {"approved", "refused", "deferred", "awaiting_agreement"};
  static const char* kinds[] = {"ongoing", "temporary"};
  static const char* changes[] = {"at_level", "promotion", "reduction", "temporary_lower_duties", "temporary_higher_duties"};
  static const char* parties[] = {"employee", "current_head", "gaining_head"};
  static const char* terms[] = {"date_of_effect", "end_date"};
  std::string s = "{\"outcome\":\"" + std::string(outcomes[o.outcome]) + "\",\"effective_kind\":";
  s += o.effective_kind < 0 ? "null" : "\"" + std::string(kinds[o.effective_kind]) + "\"";
  s += ",\"right_of_return\":" + std::string(o.right_of_return ? "true" : "false");
  s += ",\"classification_change\":\"" + std::string(changes[o.change]) + "\"";
  s += ",\"pay_basis\":\"" + std::string(o.substantive_pay ? "substantive" : "new_classification") + "\"";
  s += ",\"missing_agreements\":[";
  for (int k = 0; k < o.missing_count; ++k) s += (k ? ",\"" : "\"") + std::string(parties[o.missing[k]]) + "\"";
  s += "],\"date_of_effect\":";
  s += o.date_of_effect < 0 ? "null" : "\"" + rulebook::format_iso_date({o.date_of_effect}) + "\"";
  s += ",\"notify_original_agency\":" + std::string(o.notify ? "true" : "false");
  s += ",\"engagement_conditions_review\":" + std::string(o.review ? "true" : "false");
  s += ",\"missing_terms\":[";
  for (int k = 0; k < o.terms_count; ++k) s += (k ? ",\"" : "\"") + std::string(terms[o.terms[k]]) + "\"";
  s += "]}";
  return s;
}

}  // namespace bench
