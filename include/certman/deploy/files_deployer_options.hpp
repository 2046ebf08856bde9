// What one [[deployer]] kind = "files" entry configures: where files_deployer.hpp writes the PEM files, their
// names and owner, and the reload command. Plain values, no I/O: app/config.hpp composes this into its
// deployer variant.
#pragma once
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace certman::deploy {

struct files_deployer_options {
    static constexpr std::string_view kind = "files";  // the [[deployer]] kind
    std::string directory;
    std::string fullchain_name = "fullchain.pem", key_name = "privkey.pem", cert_name = "cert.pem",
                chain_name = "chain.pem";
    std::string owner, group;                // "" = keep the daemon's
    std::vector<std::string> reload_command;  // argv; empty = none
    // The reload command's environment beyond the allowlist (child_environment.hpp): names copied from the
    // daemon's environment, and NAME=value entries.
    std::vector<std::string> pass_environment, environment;
    std::chrono::seconds timeout{30};        // the reload command is killed after this

    bool operator==(const files_deployer_options&) const = default;
};

}  // namespace certman::deploy
