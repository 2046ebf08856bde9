// A renew's progress lines for control-socket callers (renew_progress, control_commands.hpp).
#include "certman/app/control_commands.hpp"

namespace certman::app {

void renew_progress::operator()(const std::string& line) {
    if (held_) sink_("certificate " + *held_);
    held_ = line;
}

void renew_progress::finish(bool ok, const std::string& result_line) {
    if (held_ && *held_ != result_line) sink_("certificate " + *held_);
    held_.reset();
    sink_(std::string(ok ? "ok   " : "FAIL ") + result_line);
}

}  // namespace certman::app
