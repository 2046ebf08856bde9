// Internal to the app layer: `certman status` printed from a running daemon's /status document (the
// control socket's status reply), in the same columns as the table from storage (status_command.cpp).
#pragma once
#include <boost/json/value.hpp>

namespace certman::app {

// Prints the table; returns exit_failed when a certificate is missing or expired, else exit_ok.
int print_live_status(const boost::json::value& status);

}  // namespace certman::app
