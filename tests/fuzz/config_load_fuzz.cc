// SPDX-License-Identifier: Apache-2.0
// Fuzz target: the YAML loader (parse, schema, validation) and the reload diff on any bytes.
// Invariants: no crash, every diagnostic is one positioned line of the given file, a clean load
// validates again cleanly, and a config differs from itself in nothing.
#include "router/config/diff.hh"
#include "router/config/load.hh"
#include "router/config/validate.hh"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

void require(bool ok) {
    if (!ok) {
        std::abort();
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace routerd::config;
    const std::string name = "fuzz.yaml";
    std::string_view text(reinterpret_cast<const char*>(data), size);
    LoadResult r = load_from_string(text, name);

    std::size_t errors = 0;
    int last_line = 0;
    for (const Diagnostic& d : r.diagnostics) {
        require(d.file == name);
        require(!d.message.empty());
        require(d.to_string().find('\n') == std::string::npos);
        require(d.line >= 0 && d.column >= 0);
        if (d.line > 0) {
            require(d.line >= last_line);  // file order
            last_line = d.line;
        }
        errors += d.severity == Severity::error ? 1 : 0;
    }
    require(errors <= kMaxErrors + 1);
    require(r.ok() == (errors == 0));
    if (!r.ok()) {
        return 0;
    }
    for (const Diagnostic& d : validate(r.config)) {
        require(d.severity == Severity::warning);
    }
    require(diff(r.config, r.config).empty());
    Config empty;
    ConfigDelta d = diff(empty, r.config);
    require(d.interfaces_added.size() == r.config.interfaces.size());
    require(d.routes_added.size() == r.config.routes.size());
    (void)describe(d, empty, r.config);
    (void)describe(diff(r.config, empty), r.config, empty);
    return 0;
}
