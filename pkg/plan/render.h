// Renderers of a Plan. Pure: they return text; the command writes it to stdout.
//
// - the document (JSON/YAML): one stable object, apiVersion upgrade.kubectl-upgrade.dev/v1alpha1,
//   kind Plan; schema in pkg/plan/README.md. Field names never change within v1alpha1; fields may
//   be added.
// - the table: short sections a person reads in ten seconds (cluster and target, the path, nodes
//   in order, drains worth a look, blockers with their fix, the next command); wide adds every
//   node, node details and every pod of every drain.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "pkg/plan/plan.h"

namespace plan {

nlohmann::ordered_json to_document(const Plan& plan);
std::string render_json(const Plan& plan);
std::string render_yaml(const Plan& plan);

struct TableOptions {
  bool wide = false;
  bool colour = false;       // ANSI colour (the caller decides: TTY, NO_COLOR)
  bool no_headers = false;   // omit the column headers of tables
  int max_worker_rows = 10;  // default output lists this many workers, then a summary line
};
std::string render_table(const Plan& plan, const TableOptions& options = {});

}  // namespace plan
