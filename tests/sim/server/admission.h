// What the apiserver does to an object before storing it: field checks (unknown fields are an
// error with fieldValidation=Strict, a warning otherwise), validation with 422 causes, defaults
// (pods: restartPolicy, tolerations, status Pending...), and Pod Security admission for namespaces
// labelled pod-security.kubernetes.io/enforce.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/sim/store/api_error.h"
#include "tests/sim/store/resources.h"
#include "tests/sim/store/store.h"

namespace sim {

struct AdmissionOptions {
  bool strict_fields = false;  // fieldValidation=Strict
  std::vector<std::string>* warnings = nullptr;
};

// Fields the sim does not know, as "spec.foo" paths.
std::vector<std::string> unknown_fields(const ResourceInfo& r, const nlohmann::json& obj);

// Checks and defaults an object about to be created. `store` is read for the namespace.
Result<nlohmann::json> admit_create(Store& store, const ResourceInfo& r, nlohmann::json obj,
                                    const AdmissionOptions& options);
// Checks an updated object (after a PUT or a patch) against the stored one.
Result<void> admit_update(const ResourceInfo& r, const nlohmann::json& updated,
                          const nlohmann::json& stored, const AdmissionOptions& options);

// RFC 1123 subdomain check used for names.
bool valid_dns_subdomain(const std::string& name);

}  // namespace sim
