// Small helpers shared by the request handlers: answers, query parameters, body decoding.
#pragma once

#include <httplib.h>

#include <atomic>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/sim/model/cluster.h"
#include "tests/sim/server/request.h"
#include "tests/sim/store/api_error.h"

namespace sim {

struct RequestContext {
  Cluster& cluster;
  const httplib::Request& req;
  httplib::Response& res;
  const ApiRequest& api;
  std::string user;
  const std::atomic<bool>& stopping;  // the server is going away: streams end

  std::string param(const std::string& key) const {
    return req.has_param(key) ? req.get_param_value(key) : std::string();
  }
  bool flag(const std::string& key) const {
    std::string v = param(key);
    return v == "true" || v == "1";
  }
  bool dry_run() const { return param("dryRun") == "All"; }
  bool wants_table() const;
};

void send_json(httplib::Response& res, int code, const nlohmann::json& body);
void send_raw_json(httplib::Response& res, int code, std::string body);
void send_error(httplib::Response& res, const ApiError& e);
void add_warning(httplib::Response& res, const std::string& text);

// Decodes a request body as a JSON object: 400 like the apiserver's decoder for malformed input.
Result<nlohmann::json> decode_body(const httplib::Request& req);

// Largest request body the apiserver accepts (3 MiB), else 413.
inline constexpr size_t kMaxRequestBytes = 3 * 1024 * 1024;

}  // namespace sim
