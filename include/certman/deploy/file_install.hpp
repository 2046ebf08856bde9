// Installing small files (certificates, keys) where another program reads them: atomically, with a given
// mode and owner, and only when something differs. Used by the files and haproxy deployers.
//
// install_file writes a temporary file in the target's directory (O_EXCL, created with the final mode, chowned
// before any byte is written), fsyncs it, renames it over the target and fsyncs the directory, so a reader
// (or a crash) sees the old file or the new one, never a mix, and a key is never readable by others even
// for a moment. Synchronous: the files are a few kilobytes.
#pragma once
#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>
#include "certman/core/result.hpp"

namespace certman::deploy {

struct file_owner {
    std::optional<uid_t> uid;  // empty: leave as the process creates it
    std::optional<gid_t> gid;
};

// Resolves user and group names with getpwnam_r/getgrnam_r ("" = unchanged; a decimal number is taken as an
// id). Unknown name → errc::not_found, the message naming it ("unknown user 'nginx'").
result<file_owner> resolve_file_owner(std::string_view user, std::string_view group);

// True when `path` is a regular file holding exactly `content`, with permission bits `mode` and the owner
// and group asked for (unset parts match anything). A missing or unreadable file is not current.
bool file_is_current(const std::string& path, std::string_view content, mode_t mode, const file_owner& owner);

// Atomically replaces `path` (see above). Errors: errc::io_error, the message saying which system call failed
// on which path and the OS's message (e.g. "chown /etc/x/privkey.pem.tmp-1234: Operation not permitted").
result<void> install_file(const std::string& path, std::string_view content, mode_t mode, const file_owner& owner);

// Removes `path` if it exists and fsyncs its directory. Errors: errc::io_error, the message naming the call and path.
result<void> remove_file(const std::string& path);

}  // namespace certman::deploy
