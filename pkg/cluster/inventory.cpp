#include "pkg/cluster/inventory.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace cluster {

Resources& Resources::operator+=(const Resources& o) {
  cpu_millis += o.cpu_millis;
  memory_bytes += o.memory_bytes;
  return *this;
}

Resources& Resources::operator-=(const Resources& o) {
  cpu_millis -= o.cpu_millis;
  memory_bytes -= o.memory_bytes;
  return *this;
}

bool Resources::fits_in(const Resources& free) const {
  return cpu_millis <= free.cpu_millis && memory_bytes <= free.memory_bytes;
}

std::optional<double> parse_quantity(std::string_view text) {
  if (text.empty() || text.size() > 64) return std::nullopt;
  double number = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (ec != std::errc() || number < 0) return std::nullopt;
  std::string_view suffix(end, text.data() + text.size() - end);
  static const std::pair<std::string_view, double> kSuffixes[] = {
      {"", 1},        {"n", 1e-9},    {"u", 1e-6},    {"m", 1e-3},   {"k", 1e3},     {"M", 1e6},
      {"G", 1e9},     {"T", 1e12},    {"P", 1e15},    {"E", 1e18},   {"Ki", 0x1p10}, {"Mi", 0x1p20},
      {"Gi", 0x1p30}, {"Ti", 0x1p40}, {"Pi", 0x1p50}, {"Ei", 0x1p60}};
  for (const auto& [s, factor] : kSuffixes)
    if (suffix == s) return number * factor;
  return std::nullopt;  // from_chars already consumed a decimal exponent such as "1e3"
}

bool Toleration::tolerates(const Taint& taint) const {
  if (!effect.empty() && effect != taint.effect) return false;
  if (key.empty()) return op == "Exists";
  if (key != taint.key) return false;
  if (op == "Exists") return true;
  return value == taint.value;
}

bool tolerates_all(const std::vector<Toleration>& tolerations, const std::vector<Taint>& taints) {
  return std::all_of(taints.begin(), taints.end(), [&](const Taint& t) {
    if (t.effect == "PreferNoSchedule") return true;
    return std::any_of(tolerations.begin(), tolerations.end(),
                       [&](const Toleration& tol) { return tol.tolerates(t); });
  });
}

bool LabelSelector::matches(const std::map<std::string, std::string>& labels) const {
  if (null) return false;
  for (const auto& [k, v] : match_labels) {
    auto it = labels.find(k);
    if (it == labels.end() || it->second != v) return false;
  }
  for (const auto& r : match_expressions) {
    auto it = labels.find(r.key);
    bool has = it != labels.end();
    bool in = has && std::find(r.values.begin(), r.values.end(), it->second) != r.values.end();
    if (r.op == "In" && !in) return false;
    if (r.op == "NotIn" && in) return false;
    if (r.op == "Exists" && !has) return false;
    if (r.op == "DoesNotExist" && has) return false;
    if (r.op != "In" && r.op != "NotIn" && r.op != "Exists" && r.op != "DoesNotExist")
      return false;  // an unknown operator never matches (the API would have refused it)
  }
  return true;
}

const NodeInfo* Inventory::node(std::string_view name) const {
  for (const auto& n : nodes)
    if (n.name == name) return &n;
  return nullptr;
}

}  // namespace cluster
