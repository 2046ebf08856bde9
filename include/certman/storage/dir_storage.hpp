// dir_storage: the storage interface (storage.hpp) on a local directory, for a single machine. Each key is a
// file under the root: "certificates/a.json" → <root>/certificates/a.json. Layout and operator notes in
// docs/storage-layout.md.
//
// How it keeps the contract:
//  - store: write a temp file ".tmp-<pid>-<n>" in the key's directory, fsync it, rename() it over the key,
//    fsync the directory. rename is atomic on POSIX filesystems, so readers see old or new.
//  - create: the same temp file, then link() it to the key: link fails with EEXIST if the key exists, so
//    the creation is atomic and a crash leaves either nothing or the whole file; the temp name is unlinked.
//  - Files are 0600 and directories 0700 whatever the umask; files are opened relative to the root with
//    O_NOFOLLOW on every component, so a symlink planted inside the root is never followed (→ io_error).
//  - Keys whose first component is "live" or "archive" are refused (errc::invalid_argument): those
//    directories belong to the operator-facing export (live_export.hpp); list() skips them.
//  - Temp files start with '.', which no key can (keys.hpp), so list() never shows them; leftovers of a
//    killed process older than an hour are deleted when the storage is opened.
//  - Off the io thread: built with a blocking pool (core/blocking_pool.hpp), every operation runs there as
//    one job (the io thread only awaits it), one at a time and in call order, so two writes of one key land
//    in the order they were made; a job owns copies of its key and value and a share of the open root, so
//    destroying the storage while a job runs is safe. Without a pool (one-shot commands, tools) each
//    operation completes inline, without suspending.
#pragma once
#include <filesystem>
#include <memory>
#include "certman/storage/dir_storage_options.hpp"
#include "certman/storage/storage.hpp"

namespace certman {
class blocking_pool;
}

namespace certman::storage {

// Opens (creating it with mode 0700, parents included, if missing) the directory root. Throws
// std::runtime_error (a startup misconfiguration) when root cannot be created or opened, is not a
// directory, or is writable by group or others (anyone could replace certificates). A root readable or
// searchable by others is accepted with a warning in the log: files inside are still 0600.
// `blocking` (may be null: inline) must outlive the storage's last operation; the daemon's pool outlives it.
std::unique_ptr<storage> make_dir_storage(const std::filesystem::path& root, blocking_pool* blocking = nullptr);
// The same for [storage] kind = "dir" (dir_storage_options.hpp): root = options.path.
inline std::unique_ptr<storage> make_dir_storage(const dir_storage_options& options, blocking_pool* blocking = nullptr) {
    return make_dir_storage(std::filesystem::path(options.path), blocking);
}

}  // namespace certman::storage
