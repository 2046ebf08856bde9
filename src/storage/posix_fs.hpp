// Private helpers for the directory backends (dir_storage.cpp, live_export.cpp): a file descriptor owner and
// the few *at() operations they need, each resolving paths relative to an open directory with O_NOFOLLOW
// so nothing is ever reached through a symlink. On failure every helper returns an error code
// failure (ENOENT → errc::not_found, EEXIST → errc::already_exists, anything else → errc::io_error) whose
// message is "<operation> <path>: <strerror>"; `where` is the directory's display path.
#pragma once
#include <sys/stat.h>
#include <sys/types.h>

#include <functional>
#include <string>
#include <string_view>
#include <vector>
#include "certman/core/result.hpp"

namespace certman::storage::detail {

class unique_fd {
public:
    unique_fd() = default;
    explicit unique_fd(int fd) noexcept : fd_(fd) {}
    unique_fd(unique_fd&& o) noexcept : fd_(o.release()) {}
    unique_fd& operator=(unique_fd&& o) noexcept;
    unique_fd(const unique_fd&) = delete;
    unique_fd& operator=(const unique_fd&) = delete;
    ~unique_fd();
    int get() const noexcept { return fd_; }
    int release() noexcept {
        int f = fd_;
        fd_ = -1;
        return f;
    }

private:
    int fd_ = -1;
};

// Builds the failure from the current value of errno: "<op> <path>: <strerror>", the code mapped as above.
failure os_failure(std::string_view op, std::string_view path);

// A fresh temp file name ".tmp-<pid>-<counter>-<random>": starts with '.', so it is never a key.
std::string temp_name();
bool is_temp_name(std::string_view name) noexcept;

// Opens the directory dir_rel ("a/b", "" = base itself) below base without following symlinks; with
// create, missing directories are made with mode 0700.
result<unique_fd> open_dir(int base, std::string_view dir_rel, bool create, std::string_view where);

// Reads the regular file name in dir; a symlink or a non-regular file is errc::io_error.
result<std::string> read_file(int dir, std::string_view name, std::string_view where);

// Creates a new temp file in dir with exactly `mode`, writes content, fsyncs and closes it; returns its name.
// On failure nothing is left behind.
result<std::string> write_temp(int dir, std::string_view content, mode_t mode, std::string_view where);

result<void> fsync_dir(int dir, std::string_view where);

// Removes name in dir; a directory is removed with everything below it (without following symlinks).
// Missing is success.
result<void> remove_tree(int dir, std::string_view name, std::string_view where);

struct dir_entry {
    std::string name;
    struct stat st;  // lstat-like: a symlink is reported as a symlink
};

// Lists the entries of dir except "." and "..", sorted by name.
result<std::vector<dir_entry>> read_dir(int dir, std::string_view where);

}  // namespace certman::storage::detail
