// Process hardening (contract in include/certman/app/hardening.hpp).
#include "certman/app/hardening.hpp"
#include <sys/prctl.h>
#include <sys/resource.h>
#include <cerrno>
#include <cstring>
#include <spdlog/spdlog.h>

namespace certman::app {

void disable_core_dumps() {
    if (::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
        spdlog::warn("prctl(PR_SET_DUMPABLE, 0) failed: {}; a crash could dump memory holding keys", std::strerror(errno));
    const rlimit none{0, 0};
    if (::setrlimit(RLIMIT_CORE, &none) != 0) spdlog::debug("setrlimit(RLIMIT_CORE, 0): {}", std::strerror(errno));
}

}  // namespace certman::app
