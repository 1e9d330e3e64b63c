// Request handlers for resource paths, one per verb or subresource.
#pragma once

#include "tests/sim/server/http_util.h"

namespace sim {

void handle_get(RequestContext& c);
void handle_list(RequestContext& c);
void handle_watch(RequestContext& c);
void handle_create(RequestContext& c);
void handle_update(RequestContext& c);
void handle_patch(RequestContext& c);
void handle_delete(RequestContext& c);
void handle_delete_collection(RequestContext& c);

void handle_pod_log(RequestContext& c);
void handle_eviction(RequestContext& c);
void handle_binding(RequestContext& c);

// Deletes a pod the way DELETE does: gracefully when it runs on a node (deletionTimestamp +
// deletionGracePeriodSeconds; the kubelet finishes it), at once otherwise. grace < 0 = the pod's
// own.
Result<Stored> delete_pod(Cluster& cluster, const std::string& ns, const std::string& name,
                          int64_t grace_seconds, const std::string& uid_precondition, bool dry_run);

// Parses labelSelector/fieldSelector/limit/continue of a list or watch request.
Result<ListOptions> list_options(const RequestContext& c);

}  // namespace sim
