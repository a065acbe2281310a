// SPDX-License-Identifier: Apache-2.0
// The YAML schema: Tree to Config, checking keys, types and single-value ranges.
#pragma once

#include "router/config/config.hh"
#include "router/config/diagnostic.hh"
#include "router/config/tree.hh"

namespace routerd::config {

// Fills `config` (and config.source's marks) from a non-empty tree. Reports unknown and
// duplicate keys, wrong types, values out of range, unparsable addresses and prefixes, missing
// required keys and route shapes (exactly one of via / reject / blackhole). Relations between
// values and elements are validate()'s. A route with any error is left out of config.routes.
void read_config(const Tree& tree, Config& config, DiagnosticList& out);

// The edit distance between two keys (Levenshtein; '_' and '-' and case count as equal), for
// "did you mean" suggestions.
int key_distance(std::string_view a, std::string_view b);

}  // namespace routerd::config
