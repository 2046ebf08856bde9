#include <boost/asio/io_context.hpp>
#include <cstdio>
#include <spdlog/spdlog.h>
#include "certman/app/commands.hpp"
#include "certman/app/config_parser.hpp"
#include "certman/app/daemon.hpp"
#include "certman/app/deployer_factory.hpp"
#include "certman/app/storage_factory.hpp"

namespace certman::app {

namespace {
// The construction `certman run` and a reload perform (deployer_factory.hpp), on an io_context that never
// runs, so that whatever check-config accepts, run and SIGHUP accept. A dir storage is not opened (that
// would create the directory and tidy its temp files, which belongs to the daemon); an oss storage is
// built (no I/O). Returns the operator-facing reason, or "" when everything could be built.
std::string build_everything(const config& cfg) {
    boost::asio::io_context io(1);
    try {
        (void)make_deployers(io.get_executor(), cfg);
        if (!cfg.storage.local_directory()) (void)open_storage(cfg.storage, io.get_executor());
    } catch (const std::exception& e) {
        return e.what();
    }
    return {};
}
}  // namespace

int check_config_command(const std::string& config_path) {
    auto loaded = load_config_file(config_path);
    if (auto* e = std::get_if<config_error>(&loaded)) {
        std::fprintf(stderr, "%s\n", e->message.c_str());
        return exit_config;
    }
    const auto& cfg = std::get<config>(loaded);
    if (auto why = build_everything(cfg); !why.empty()) {
        std::fprintf(stderr, "%s: %s\n", config_path.c_str(), why.c_str());
        return exit_config;
    }
    std::fputs(render_config(cfg).c_str(), stdout);
    if (!cfg.certificates.empty() && !cfg.acme.agree_tos)
        std::fprintf(stderr, "%s: note: [acme] agree_tos is false; certman cannot create an ACME account until you "
                             "accept the CA's terms of service with agree_tos = true\n", config_path.c_str());
    return exit_ok;
}
}  // namespace certman::app
