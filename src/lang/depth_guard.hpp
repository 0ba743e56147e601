// Bounds a PEGTL grammar's recursion so no input can overflow the stack: a rule
// given this action counts one level while it matches; past `max_depth` the
// parse fails with Say::message(max_depth) at that place. Used as the action of
// the recursive rules, with (depth, max_depth) passed as the parse's states.
#pragma once

#include <cstddef>
#include <string>
#include <tao/pegtl.hpp>

namespace rulebook::source {

template <typename Say>
struct depth_guard_for : tao::pegtl::maybe_nothing {
  template <typename Rule, tao::pegtl::apply_mode A, tao::pegtl::rewind_mode M, template <typename...> class Action,
            template <typename...> class Control, typename ParseInput, typename... States>
  static bool match(ParseInput& in, std::size_t& depth, std::size_t max_depth, States&&... st) {
    if (depth >= max_depth) throw tao::pegtl::parse_error(Say::message(max_depth), in);
    ++depth;
    struct restore {
      std::size_t& d;
      ~restore() { --d; }
    } r{depth};
    return tao::pegtl::match<Rule, A, M, Action, Control>(in, depth, max_depth, st...);
  }
};

}  // namespace rulebook::source
