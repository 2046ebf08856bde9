// Internal to the app layer: the `import` and `account show|rollover` subcommands on the command line (CLI11),
// kept out of main.cpp so that each group of commands registers itself in one place.
#pragma once
#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include "certman/app/commands.hpp"

namespace certman::app {

// Adds subcommand `name` to `parent` with the -c/--config option every subcommand takes (bound to
// `config_path`) and its help footer (an example, exit codes).
CLI::App* add_config_command(CLI::App& parent, std::string& config_path, std::string name, std::string description,
                             std::string footer);

class import_account_cli {
public:
    // Adds the subcommands to `app`; `config_path` is the shared -c/--config value.
    import_account_cli(CLI::App& app, std::string& config_path);
    // After parsing: the exit code of the selected command, nullopt when none of these was selected.
    std::optional<int> run() const;

private:
    std::string& config_path_;
    import_options import_;
    CLI::App* import_cmd_ = nullptr;
    CLI::App* show_cmd_ = nullptr;
    CLI::App* rollover_cmd_ = nullptr;
};

}  // namespace certman::app
