// Sub-decisions (issue 14): `define parent = decision of fr.smic with region = household.region`.
// The bindings are checked against every loaded version of the callee (any of
// them may be the one in force on a decision's as_of): each name must be one of
// its facts, each value must fit that fact's type, and every fact it requires
// must be bound. The define's type is a record of the callee's outputs (the
// union over its versions; a field some version lacks is optional), so
// `parent.hourly_gross` is read like any record field.
#include <algorithm>
#include <set>

#include "check/checker_impl.hpp"

namespace rulebook {

std::vector<ast::NameRef> sub_decision_refs(const ast::File& f) {
  std::vector<ast::NameRef> out;
  for (const auto& d : f.defines) {
    if (d.value && d.value->kind == ast::ExprKind::decision_of) out.push_back(ast::NameRef{d.value->text, d.value->pos});
  }
  return out;
}

CheckResult check_policy(const ast::File& policy, const std::vector<const ast::File*>& modules,
                         const CalleeVersions& callees, const Limits& limits) {
  if (!policy.header || policy.header->is_module) return check_policy(policy, modules, limits);
  checking::Checker c(limits);
  c.set_callees(&callees);
  return c.run_policy(policy, modules);
}

namespace checking {

TypeId Checker::import_type(const Program& from, TypeId t) {
  if (t == kNone || t <= types::duration) return t;  // the built-in types have the same ids everywhere
  const auto key = std::make_pair(&from, t);
  if (auto it = imported_types_.find(key); it != imported_types_.end()) return it->second;
  const TypeInfo& theirs = from.types[t];
  TypeId mine = kNone;
  switch (theirs.kind) {
    case TypeKind::enumeration: mine = intern_enum(theirs.members, theirs.ordered, theirs.name); break;
    case TypeKind::list: mine = intern_list(import_type(from, theirs.element)); break;
    case TypeKind::record: {
      TypeInfo copy = theirs;  // fields keep their names, options and defaults; their types are this program's
      for (FieldInfo& f : copy.fields) f.type = import_type(from, f.type);
      p_->types.push_back(std::move(copy));
      mine = static_cast<TypeId>(p_->types.size() - 1);
      break;
    }
    case TypeKind::boolean:
    case TypeKind::integer:
    case TypeKind::decimal:
    case TypeKind::text:
    case TypeKind::date:
    case TypeKind::duration: mine = t; break;
  }
  imported_types_.emplace(key, mine);
  return mine;
}

bool Checker::binding_fits(TypeId mine, const Program& callee, TypeId theirs, std::string& why) const {
  const TypeInfo& m = p_->types[mine];
  const TypeInfo& t = callee.types[theirs];
  if (theirs <= types::duration) {
    if (mine == theirs || (theirs == types::decimal && mine == types::integer)) return true;
    why = "is " + article(mine) + ", not " + (theirs == types::boolean ? std::string("a yes/no value") : "a " + t.name);
    return false;
  }
  if (t.kind != m.kind) {
    why = "is " + article(mine) + ", not a " + t.name;
    return false;
  }
  switch (t.kind) {
    case TypeKind::enumeration: {
      std::vector<std::string> absent;
      for (const auto& w : m.members) {
        if (std::find(t.members.begin(), t.members.end(), w) == t.members.end()) absent.push_back(display_member(w));
      }
      if (absent.empty()) return true;
      std::string list;
      for (const auto& a : absent) list += (list.empty() ? "" : ", ") + a;
      why = "may be " + list + ", which " + t.name + " does not have";
      return false;
    }
    case TypeKind::list: return binding_fits(m.element, callee, t.element, why);
    case TypeKind::record: {
      for (const FieldInfo& f : m.fields) {
        const int at = t.field_index(f.name);
        if (at < 0) continue;  // a field the callee does not read is left behind
        std::string inner;
        if (!binding_fits(f.type, callee, t.fields[static_cast<std::size_t>(at)].type, inner)) {
          why = "has a field '" + f.name + "' that " + inner;
          return false;
        }
      }
      for (const FieldInfo& f : t.fields) {
        if (!f.optional && !f.default_value && m.field_index(f.name) < 0) {
          why = "has no field '" + f.name + "', which a " + t.name + " needs";
          return false;
        }
      }
      return true;
    }
    case TypeKind::boolean:
    case TypeKind::integer:
    case TypeKind::decimal:
    case TypeKind::text:
    case TypeKind::date:
    case TypeKind::duration: break;
  }
  return true;
}

// The record of the callee's outputs: the newest version's in order, then any
// other version's that it lacks. A field not in every version is optional.
TypeId Checker::outputs_record(const ast::Expr& e, SubDecisionSite& site) {
  TypeInfo record;
  record.kind = TypeKind::record;
  record.name = "decision of " + site.policy_id;
  std::vector<uint32_t> present;  // per field: in how many versions
  bool ok = true;
  for (auto v = site.versions.rbegin(); v != site.versions.rend(); ++v) {
    for (const FieldInfo& out : v->program->outputs) {
      const TypeId type = import_type(*v->program, out.type);
      const int at = record.field_index(out.name);
      if (at < 0) {
        FieldInfo f;
        f.name = out.name;
        f.type = type;
        f.optional = out.optional;
        f.description = out.description;
        f.pos = out.pos;
        record.fields.push_back(std::move(f));
        present.push_back(1);
        continue;
      }
      auto& f = record.fields[static_cast<std::size_t>(at)];
      ++present[static_cast<std::size_t>(at)];
      f.optional = f.optional || out.optional;
      if (p_->types[f.type].name != p_->types[type].name || p_->types[f.type].kind != p_->types[type].kind) {
        error("sub-decision-output", e.pos,
              site.policy_id + " version " + v->program->header.version + " has the output '" + out.name + "' as " +
                  article(type) + ", but a later version has it as " + article(f.type) +
                  "; its versions must agree on their outputs' types to be decided from here");
        ok = false;
      }
    }
  }
  if (!ok) return kNone;
  uint32_t depth = 0;
  for (std::size_t k = 0; k < record.fields.size(); ++k) {
    if (present[k] < site.versions.size()) record.fields[k].optional = true;
    depth = std::max(depth, p_->types[record.fields[k].type].depth);
  }
  record.depth = depth + 1;
  for (auto& v : site.versions) {
    for (const FieldInfo& f : record.fields) {
      uint32_t o = kNone;
      for (uint32_t k = 0; k < v.program->outputs.size(); ++k) {
        if (v.program->outputs[k].name == f.name) o = k;
      }
      v.field_outputs.push_back(o);
    }
  }
  p_->types.push_back(std::move(record));
  return static_cast<TypeId>(p_->types.size() - 1);
}

Checked Checker::check_sub_decision(const ast::Expr& e, const Guards& g) {
  if (checking_.empty() || checking_.back().function || define_asts_[checking_.back().index]->value.get() != &e) {
    error("decision-of-placement", e.pos,
          "'decision of' is a define's whole value, as in 'define parent = decision of " + e.text +
              " with ...'; read its outputs from that define (parent.some_output)");
    return Checked{};
  }
  const uint32_t define = checking_.back().index;
  auto callee = callees_ ? callees_->find(e.text) : CalleeVersions::const_iterator{};
  if (!callees_ || callee == callees_->end()) {
    std::vector<std::string> known;
    if (callees_) {
      for (const auto& [id, versions] : *callees_) known.push_back(id);
    }
    error("unknown-policy", e.pos, "no policy called " + e.text + " is loaded" + suggestion(e.text, known));
    return Checked{};
  }
  if (callee->second.empty()) return Checked{};  // it has errors of its own, reported where they are

  SubDecisionSite site;
  site.policy_id = e.text;
  site.define = define;
  site.pos = e.pos;
  for (const auto& v : callee->second) site.versions.push_back(SubDecisionVersion{v, {}, {}});

  // The bound values, each checked in the caller like any expression.
  bool ok = true;
  std::vector<NodeId> values;
  std::set<std::string> bound;
  for (const auto& b : e.children) {
    Checked c = check(*b->children[0], kNone, g);
    if (!bound.insert(b->text).second) {
      error("duplicate-binding", b->pos, "'" + b->text + "' is bound twice; give each fact of " + e.text + " once");
      ok = false;
    }
    if (!c.ok()) {
      ok = false;
      continue;
    }
    values.push_back(c.node);
    site.binding_names.push_back(b->text);
    site.binding_types.push_back(c.type);
  }
  if (!ok) return Checked{};

  // Against every version: the names, the types, the facts left unbound.
  std::set<std::string> missing;
  std::set<std::size_t> reported;  // bindings already reported (once, for the first version they fail)
  for (auto& v : site.versions) {
    const Program& theirs = *v.program;
    std::vector<std::string> fact_names;
    for (const auto& f : theirs.facts) fact_names.push_back(f.name);
    for (std::size_t k = 0; k < site.binding_names.size(); ++k) {
      const ast::Expr& b = *e.children[k];
      const auto at = std::find(fact_names.begin(), fact_names.end(), site.binding_names[k]);
      if (at == fact_names.end()) {
        if (reported.insert(k).second) {
          error("unknown-binding", b.pos,
                e.text + " (version " + theirs.header.version + ") has no fact '" + b.text + "'" +
                    suggestion(b.text, fact_names));
        }
        ok = false;
        v.binding_facts.push_back(kNone);
        continue;
      }
      const auto slot = static_cast<SlotId>(at - fact_names.begin());
      v.binding_facts.push_back(slot);
      std::string why;
      if (!binding_fits(site.binding_types[k], theirs, theirs.facts[slot].type, why) && reported.insert(k).second) {
        error("binding-type", b.children[0]->pos,
              "'" + b.children[0]->source + "' " + why + ", so it cannot be " + e.text + "'s fact '" + b.text +
                  "' (version " + theirs.header.version + ")");
        ok = false;
      }
    }
    for (const auto& f : theirs.facts) {
      if (!f.optional && !f.default_value && !bound.count(f.name)) missing.insert(f.name);
    }
  }
  if (!missing.empty()) {
    std::string list;
    for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m;
    error("missing-binding", e.pos,
          e.text + " needs the fact" + (missing.size() > 1 ? "s " : " ") + list + "; bind " +
              (missing.size() > 1 ? "them" : "it") + " after 'with', as in '" + *missing.begin() + " = ...'");
    ok = false;
  }
  if (!ok) return Checked{};

  site.type = outputs_record(e, site);
  if (site.type == kNone) return Checked{};
  Node n;
  n.op = Op::sub_decision;
  n.type = site.type;
  n.aux = static_cast<uint32_t>(p_->sub_decisions.size());
  p_->sub_decisions.push_back(std::move(site));
  return Checked{add_n(n, values), n.type, {}, {}};
}

}  // namespace checking
}  // namespace rulebook
