// Request handlers for resource paths, one per verb or subresource.
#pragma once

#include "tests/sim/model/pod_deletion.h"
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

// Parses labelSelector/fieldSelector/limit/continue of a list or watch request.
Result<ListOptions> list_options(const RequestContext& c);

}  // namespace sim
