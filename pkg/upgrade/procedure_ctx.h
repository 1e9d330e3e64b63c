// Internal to pkg/upgrade: the state of one node's run, shared by procedure.cpp and steps.cpp.
#pragma once

#include "pkg/upgrade/procedure.h"

namespace upgrade {

struct NodeUpgrade::Ctx {
  std::stop_token stop;
  ku::Steady::time_point started;
  std::string target;  // "v1.36.0"
  NodeRecord record;
  Role role = Role::kWorker;
  int resume_from = 0;
  StepId current = StepId::kPreflight;
  nodeshell::NodeFacts facts;
  bool cordoned_by_us = false;
  bool admin_cordoned = false;
  int pods_evicted = 0;
  std::string from;
  std::vector<std::string> notes;
};

bool transient(const kube::Error& e);

}  // namespace upgrade
