// The serve options of issue 19's observability work, kept apart from
// ServerOptions' own so that each group of options reads on its own
// (docs/http-api.md "Running it", docs/deploy.md "Access log").
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace rulebook::server {

struct ObservabilityOptions {
  std::string access_log;                // --access-log FILE|- ("-": standard output); empty: none
  std::vector<std::string> log_mask;     // --log-mask PATH...: facts hashed in the decision log
  std::string log_mask_salt_file;        // --log-mask-salt-file FILE: the salt (required with --log-mask)
  // --reclaim-idle-after SECONDS: a keep-alive connection idle this long may be
  // closed when another client waits for a worker. Behind a proxy that pools
  // connections, keep it above the proxy's idle timeout for them (nginx's
  // upstream keepalive_timeout), so the proxy never sends on a connection the
  // replica is closing (docs/deploy.md, "Scale-out").
  std::chrono::milliseconds reclaim_idle_after{250};
};

}  // namespace rulebook::server
