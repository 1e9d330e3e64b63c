#pragma once

#include <gtest/gtest.h>

#include <algorithm>

#include "pkg/plan/plan.h"
#include "tests/unit/plan/builders.h"

namespace plan::testing {

inline const Finding* finding(const Plan& p, std::string_view code) {
  auto it = std::find_if(p.findings.begin(), p.findings.end(),
                         [&](const Finding& f) { return f.code == code; });
  return it == p.findings.end() ? nullptr : &*it;
}

inline std::vector<std::string> codes(const Plan& p, Severity s) {
  std::vector<std::string> out;
  for (const auto& f : p.findings)
    if (f.severity == s) out.push_back(f.code);
  return out;
}

inline Plan plan_of(const cluster::Inventory& inv, Options o = {}) {
  auto p = make_plan(inv, o);
  EXPECT_TRUE(p.has_value()) << (p ? "" : p.error().message);
  return p ? *p : Plan{};
}

inline const NodePlan& node_plan(const Plan& p, const std::string& name) {
  for (const auto& n : p.nodes)
    if (n.name == name) return n;
  throw std::logic_error("no node " + name + " in the plan");
}

}  // namespace plan::testing
