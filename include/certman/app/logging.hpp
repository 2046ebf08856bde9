// Logging setup (spdlog): text for people, JSON lines for log pipelines. Only the app and adapter layers log;
// nothing logs secrets, private keys or JWS bodies.
#pragma once
#include <string>
#include "certman/app/config.hpp"

namespace certman::app {

// Configures the default logger on stderr. Safe to call again (SIGHUP) to change level/format.
void setup_logging(const log_config& cfg);

// Escapes a string for inclusion in a JSON string literal (used by the JSON formatter and /status).
std::string json_escape(std::string_view s);

}  // namespace certman::app
