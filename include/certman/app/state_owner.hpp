// One-shot commands (renew, revoke, status) run by root against a state directory that belongs to another
// user (the daemon's, e.g. certman): files root creates there (new certificates, the renewal state, a
// lease) would then be root's, and the daemon could no longer read or replace them. Such a run is refused
// with the command to run instead, as that user. Only a dir storage has an owner; OSS has none.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>
#include "certman/app/config.hpp"

namespace certman::app {

// Pure: the refusal for a process with effective uid `euid` on `path` owned by `owner_uid` (named
// `owner_name`, or its number when it has no name), running `argv`; nullopt when the run may go on
// (not root, or the directory is root's own).
std::optional<std::string> foreign_state_refusal(uid_t euid, uid_t owner_uid, std::string_view owner_name,
                                                 std::string_view path, const std::vector<std::string>& argv);

// Quotes one word for a POSIX shell (single quotes when needed). Pure.
std::string shell_quote(std::string_view word);

// I/O: the refusal for this process and cfg.storage (stat of the directory, getpwuid, /proc/self/cmdline);
// nullopt when the storage is not a directory, does not exist yet, or the run may go on.
std::optional<std::string> check_state_owner(const config& cfg);

}  // namespace certman::app
