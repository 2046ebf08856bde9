// The environment a reload command runs with (child_process.hpp). The daemon's own environment may hold
// secrets (ALIBABA_CLOUD_ACCESS_KEY_SECRET, ALIBABA_CLOUD_SECURITY_TOKEN...), so a child never inherits it
// whole. Like sudo's env_reset (sudoers(5), "Command environment") and systemd's clean service environment
// (systemd.exec(5), "Environment variables in spawned processes"), it gets:
//   - an allowlist taken from the daemon's environment when set there: PATH, LANG, LANGUAGE, LC_*, TZ,
//     HOME, USER, LOGNAME, SHELL, TMPDIR (locale, time zone and identity; nothing that carries credentials);
//   - PATH defaults to systemd's "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin" when the daemon has none;
//   - the names a deployer lists in `pass_environment` (copied when set in the daemon's environment);
//   - the NAME=value entries a deployer lists in `environment` (these win over everything above).
// Pure: the parent environment is passed in.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace certman::deploy {

inline constexpr const char* default_child_path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin";

// True for names kept from the daemon's environment without being asked for.
bool allowlisted_variable(std::string_view name);

// A valid environment variable name: [A-Za-z_][A-Za-z0-9_]* (POSIX.1-2017 §8.1, portable names).
bool valid_variable_name(std::string_view name);

// The child's environment as NAME=value strings (sorted by name, one entry per name). `parent` is a
// null-terminated array like environ (may be null); `pass` lists names, `set` lists NAME=value entries
// (both already validated by the configuration; malformed entries are skipped).
std::vector<std::string> child_environment(const char* const* parent, const std::vector<std::string>& pass,
                                           const std::vector<std::string>& set);

}  // namespace certman::deploy
