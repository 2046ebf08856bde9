// The one-shot subcommands that talk to the CA: `renew` and `revoke`. Both run the public server on
// server.listen for the duration (HTTP-01 validation needs it) on the same single-threaded io_context.
#include <cstdio>
#include <spdlog/spdlog.h>
#include "certman/app/commands.hpp"
#include "certman/app/config_parser.hpp"
#include "certman/app/control_commands.hpp"
#include "certman/app/daemon.hpp"
#include "certman/app/event_loop.hpp"
#include "certman/app/hardening.hpp"
#include "certman/app/logging.hpp"
#include "certman/app/public_server.hpp"
#include "certman/app/renewal_manager.hpp"
#include "certman/app/state_owner.hpp"
#include "certman/storage/bundle.hpp"
#include "certman/storage/keys.hpp"
#include "offline_command.hpp"

namespace certman::app {
namespace asio = boost::asio;

int renew_command(const std::string& config_path, const renew_options& options) {
    return run_with_runtime(config_path, /*serve_challenges=*/true, [&](runtime& rt, int& rc) -> asio::awaitable<void> {
        for (const auto& n : options.names)
            if (!rt.cfg().find_certificate(n)) {
                std::fprintf(stderr, "%s: no [[certificate]] named \"%s\"\n", config_path.c_str(), n.c_str());
                rc = exit_usage;
                co_return;
            }
        auto results = co_await rt.manager()->run_pass(options.force, options.names);
        bool all = true;
        for (const auto& r : results) {
            std::printf("%s %s\n", r.ok ? "ok  " : "FAIL", r.line.c_str());
            all = all && r.ok;
        }
        std::fflush(stdout);
        rc = all ? exit_ok : exit_failed;
    });
}

int revoke_command(const std::string& config_path, const std::string& name, const std::string& reason) {
    return run_with_runtime(config_path, /*serve_challenges=*/true, [&](runtime& rt, int& rc) -> asio::awaitable<void> {
        const auto out = co_await revoke_stored(rt, name, reason);
        std::fprintf(out.exit_code == exit_ok ? stdout : stderr, "%s\n", out.message.c_str());
        rc = out.exit_code;
    });
}
}  // namespace certman::app
