#include <cstdio>
#include <spdlog/spdlog.h>
#include "certman/app/commands.hpp"
#include "certman/app/config_parser.hpp"
#include "certman/app/daemon.hpp"

namespace certman::app {

int check_config_command(const std::string& config_path) {
    auto loaded = load_config_file(config_path);
    if (auto* e = std::get_if<config_error>(&loaded)) {
        std::fprintf(stderr, "%s\n", e->message.c_str());
        return exit_config;
    }
    const auto& cfg = std::get<config>(loaded);
    std::fputs(render_config(cfg).c_str(), stdout);
    if (!cfg.certificates.empty() && !cfg.acme.agree_tos)
        std::fprintf(stderr, "%s: note: [acme] agree_tos is false; certman cannot create an ACME account until you "
                             "accept the CA's terms of service with agree_tos = true\n", config_path.c_str());
    return exit_ok;
}
}  // namespace certman::app
