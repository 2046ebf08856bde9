// Reads and validates certman's TOML configuration (toml++). Every value is checked; the first problem
// becomes one line naming the file, the line, the key and what was expected, e.g.
//   certman.toml:3: [server] listen: expected "IPv4:port" or "[IPv6]:port", got "localhost:80"
// Pure: takes the text, does no I/O (load_config_file reads the file, nothing else).
#pragma once
#include <string>
#include <string_view>
#include <variant>
#include "certman/app/config.hpp"

namespace certman::app {

struct config_error {
    std::string message;  // one line: "<file>:<line>: <what>: <expected>"
};

using config_result = std::variant<config, config_error>;

config_result parse_config(std::string_view toml_text, std::string_view source_name);
config_result load_config_file(const std::string& path);

// The resolved configuration as TOML-like text with secrets masked ("***"), for `check-config`.
std::string render_config(const config& cfg);

}  // namespace certman::app
