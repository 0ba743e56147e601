// Functions: `define days_used(p: period, from: date) = ...`. A function's
// parameters are typed and its result type is inferred from its body, which is
// checked and compiled once; each call is checked against the parameters (by
// the expected type, so a bare word is read as the parameter's `one of` value).
// A function may read facts, defines, outputs and other functions, but never
// itself, directly or through others: that is the `recursive-function` error,
// naming the whole circle.
#include "check/checker_impl.hpp"

#include <algorithm>

namespace rulebook::checking {

const std::vector<std::string>& Checker::builtin_functions() {
  static const std::vector<std::string> names{"count", "min", "max", "abs", "days_between", "lower", "upper",
                                              "trim", "length", "round", "round_half_even", "round_down",
                                              "round_up", "floor", "ceiling"};
  return names;
}

bool Checker::is_builtin_function(const std::string& name) {
  const auto& b = builtin_functions();
  return std::find(b.begin(), b.end(), name) != b.end();
}

// Called once names_ holds every fact, define and output.
void Checker::declare_functions(const std::vector<const ast::File*>& files) {
  for (const auto* f : files) {
    for (const auto& d : f->defines) {
      if (!d.is_function) continue;
      if (d.name == "as_of") {
        error("reserved-name", d.pos, "'as_of' is the decision's date, readable anywhere; choose another name");
        continue;
      }
      if (is_builtin_function(d.name)) {
        error("duplicate-name", d.pos, "'" + d.name + "' is a built-in function; choose another name");
        continue;
      }
      if (auto it = names_.find(d.name); it != names_.end()) {
        const auto& first = slot_pos(it->second);
        error("duplicate-name", d.pos,
              "'" + d.name + "' is already declared at " + first.file + ":" + std::to_string(first.line));
        continue;
      }
      if (auto it = function_ids_.find(d.name); it != function_ids_.end()) {
        const auto& first = p_->functions[it->second].pos;
        error("duplicate-name", d.pos,
              "'" + d.name + "' is already declared at " + first.file + ":" + std::to_string(first.line));
        continue;
      }
      if (d.params.size() > kMaxParams) {
        error("too-many-parameters", d.pos,
              "'" + d.name + "' has " + std::to_string(d.params.size()) + " parameters; the limit is " +
                  std::to_string(kMaxParams));
        continue;
      }
      FunctionInfo info;
      info.name = d.name;
      info.pos = d.pos;
      bool ok = true;
      for (std::size_t k = 0; k < d.params.size(); ++k) {
        const ast::Param& prm = d.params[k];
        if (!local_name_free(prm.name, prm.pos, "parameter")) ok = false;
        for (std::size_t j = 0; j < k; ++j) {
          if (d.params[j].name == prm.name) {
            error("duplicate-name", prm.pos, "'" + d.name + "' has two parameters called '" + prm.name + "'");
            ok = false;
          }
        }
        const TypeId t = resolve_type(prm.type);
        if (t == kNone) ok = false;
        info.params.push_back(prm.name);
        info.param_types.push_back(t);
      }
      function_ids_[d.name] = static_cast<uint32_t>(p_->functions.size());
      p_->functions.push_back(std::move(info));
      function_asts_.push_back(&d);
      function_state_.push_back(ok ? 0 : 3);
    }
  }
}

// A parameter or an aggregate's variable may not hide a declared name.
bool Checker::local_name_free(const std::string& name, const SourcePos& pos, const char* what) {
  std::string other;
  SourcePos at;
  if (name == "as_of") {
    error("reserved-name", pos, "'as_of' is the decision's date, readable anywhere; choose another name");
    return false;
  }
  if (auto it = names_.find(name); it != names_.end()) {
    const SlotKind kind = p_->slot_kind(it->second);
    other = kind == SlotKind::fact ? "the fact" : kind == SlotKind::define ? "the define" : "the output";
    at = slot_pos(it->second);
  } else if (auto f = function_ids_.find(name); f != function_ids_.end()) {
    other = "the function";
    at = p_->functions[f->second].pos;
  } else {
    for (const auto& [n, _] : scope_) {
      if (n == name) {
        error("shadowing", pos, std::string("the ") + what + " '" + name + "' has the name of a variable already in scope; choose another name");
        return false;
      }
    }
    return true;
  }
  error("shadowing", pos,
        std::string("the ") + what + " '" + name + "' has the name of " + other + " declared at " + at.file + ":" +
            std::to_string(at.line) + "; choose another name");
  return false;
}

// The circle that reaches `again` (already being checked): the names from its
// first appearance on the checking stack to the top, then itself again.
std::string Checker::circle_text(Pending again, uint32_t* first_function) const {
  auto name = [&](Pending x) { return x.function ? p_->functions[x.index].name : p_->defines[x.index].name; };
  std::size_t from = checking_.size();
  while (from > 0 && !(checking_[from - 1].function == again.function && checking_[from - 1].index == again.index)) {
    --from;
  }
  if (from > 0) --from;
  std::string out;
  *first_function = kNone;
  for (std::size_t k = from; k < checking_.size(); ++k) {
    out += name(checking_[k]) + " -> ";
    if (checking_[k].function && *first_function == kNone) *first_function = checking_[k].index;
  }
  return out + name(again);
}

bool Checker::report_if_recursive(Pending again) {
  uint32_t fn = kNone;
  const std::string circle = circle_text(again, &fn);
  if (fn == kNone) return false;  // a circle of defines only: check_define reports it
  error("recursive-function", p_->functions[fn].pos,
        "function '" + p_->functions[fn].name + "' is recursive: " + circle +
            "; a function may not call itself, directly or through other functions or defines");
  return true;
}

void Checker::check_function(uint32_t k) {
  uint8_t& state = function_state_[k];
  if (state == 2 || state == 3) return;
  if (state == 1) {
    report_if_recursive(Pending{true, k});
    return;
  }
  FunctionInfo& f = p_->functions[k];
  if (define_nesting_ >= limits_.max_define_chain) {
    error("chain-too-long", f.pos,
          "'" + f.name + "' sits on a chain of more than " + std::to_string(limits_.max_define_chain) +
              " defines and functions reading each other; the limit is " + std::to_string(limits_.max_define_chain));
    state = 3;
    return;
  }
  state = 1;
  const ast::Define& d = *function_asts_[k];
  // The body sees its parameters and nothing of the caller's scope.
  auto saved = std::move(scope_);
  scope_.clear();
  for (std::size_t j = 0; j < f.params.size(); ++j) scope_.emplace_back(f.params[j], f.param_types[j]);
  checking_.push_back(Pending{true, k});
  ++define_nesting_;
  Checked c = check(*d.value, kNone, Guards{});
  --define_nesting_;
  checking_.pop_back();
  scope_ = std::move(saved);
  FunctionInfo& info = p_->functions[k];
  if (c.ok() && function_state_[k] == 1) {
    info.body = c.node;
    info.result = c.type;
    info.source = d.value->source;
    info.reads = reads_of(c.node);
    function_state_[k] = 2;
  } else {
    function_state_[k] = 3;
  }
}

Checked Checker::check_function_call(const ast::Expr& e, uint32_t k, const Guards& g) {
  check_function(k);
  const FunctionInfo& f = p_->functions[k];
  const ast::Define& d = *function_asts_[k];
  if (e.children.size() != f.params.size()) {
    std::string params;
    for (const auto& prm : d.params) params += (params.empty() ? "" : ", ") + prm.name;
    error("arity", e.pos,
          f.name + "() takes " + std::to_string(f.params.size()) + " argument" + (f.params.size() == 1 ? "" : "s") +
              (params.empty() ? "" : " (" + params + ")") + ", not " + std::to_string(e.children.size()));
    return Checked{};
  }
  std::vector<NodeId> kids;
  bool ok = true;
  for (std::size_t j = 0; j < e.children.size(); ++j) {
    const ast::Expr& arg = *e.children[j];
    const TypeId want = f.param_types[j];
    Checked c = check(arg, want, g);
    if (!c.ok() || want == kNone) {
      ok = false;
      continue;
    }
    if (c.type != want && !(c.type == types::integer && want == types::decimal)) {
      error("type-mismatch", arg.pos,
            "the parameter '" + f.params[j] + "' of " + f.name + "() is " + article(want) + ", but '" + arg.source +
                "' is " + article(c.type));
      ok = false;
      continue;
    }
    c = coerce(c, want, arg);
    kids.push_back(c.node);
  }
  if (!ok || function_state_[k] != 2) return Checked{};
  p_->call_sites.push_back(CallSite{k, e.source});
  Node n;
  n.op = Op::call;
  n.aux = static_cast<uint32_t>(p_->call_sites.size() - 1);
  n.type = f.result;
  return Checked{add_n(n, kids), f.result, {}, {}};
}

// A name in scope as a parameter (or an aggregate's variable), or kNone.
Checked Checker::check_local(const ast::Expr& e) {
  for (std::size_t k = scope_.size(); k-- > 0;) {
    if (scope_[k].first == e.text) {
      Node n;
      n.op = Op::local;
      n.aux = static_cast<uint32_t>(scope_.size() - k);
      n.type = scope_[k].second;
      return Checked{add(n), n.type, {}, {}};
    }
  }
  return Checked{};
}

}  // namespace rulebook::checking
