// Declaring and reading flags. Commands declare their flags with these helpers so that help shows
// kubectl-style types and defaults (`--to='':`, `--yes=false:`, `--max-unavailable=1:`) and so
// that "was the flag given" stays distinguishable from "given with the default value".
#pragma once

#include <cxxopts.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pkg/kube/config_flags.h"

namespace cli::flags {

// `names` is cxxopts' spec: "o,output" or "to". A group name other than "" is for the framework.
void add_string(cxxopts::Options& o, const std::string& names, const std::string& help,
                const std::string& default_value = "");
void add_bool(cxxopts::Options& o, const std::string& names, const std::string& help,
              bool default_value = false);
void add_int(cxxopts::Options& o, const std::string& names, const std::string& help,
             int default_value = 0);
// Repeatable: every occurrence adds one value, never split at commas (pflag StringArray).
void add_strings(cxxopts::Options& o, const std::string& names, const std::string& help);

// nullopt when the flag was not given on the command line.
std::optional<std::string> given_string(const cxxopts::ParseResult& r, const std::string& name);
std::optional<bool> given_bool(const cxxopts::ParseResult& r, const std::string& name);
std::optional<int> given_int(const cxxopts::ParseResult& r, const std::string& name);
std::vector<std::string> strings(const cxxopts::ParseResult& r, const std::string& name);

// The group holding the standard connection flags (and -h/--help).
inline constexpr const char* kGlobalGroup = "global";
// Adds the cli-runtime connection flags (reference/ecosystem.md section 3) and -h/--help.
void add_global_flags(cxxopts::Options& o);
// Reads them back; unset optionals mean "not given".
kube::ConfigFlags config_flags(const cxxopts::ParseResult& r);

}  // namespace cli::flags
