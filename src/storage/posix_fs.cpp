#include "posix_fs.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <random>

namespace certman::storage::detail {
namespace {

std::string join(std::string_view where, std::string_view name) {
    std::string p(where);
    if (!name.empty()) {
        if (!p.empty() && p.back() != '/') p += '/';
        p += name;
    }
    return p;
}

}  // namespace

unique_fd& unique_fd::operator=(unique_fd&& o) noexcept {
    if (this != &o) {
        if (fd_ >= 0) ::close(fd_);
        fd_ = o.release();
    }
    return *this;
}

unique_fd::~unique_fd() {
    if (fd_ >= 0) ::close(fd_);
}

failure os_failure(std::string_view op, std::string_view path) {
    const int e = errno;
    std::string message = std::string(op) + ' ' + std::string(path) + ": " + std::strerror(e);
    if (e == ENOENT) return {errc::not_found, std::move(message)};
    if (e == EEXIST) return {errc::already_exists, std::move(message)};
    return {errc::io_error, std::move(message)};
}

std::string temp_name() {
    static std::atomic<unsigned long> counter{0};
    static const unsigned long salt = std::random_device{}();
    return ".tmp-" + std::to_string(::getpid()) + '-' + std::to_string(++counter) + '-' + std::to_string(salt);
}

bool is_temp_name(std::string_view name) noexcept { return name.starts_with(".tmp-"); }

result<unique_fd> open_dir(int base, std::string_view dir_rel, bool create, std::string_view where) {
    unique_fd cur(::fcntl(base, F_DUPFD_CLOEXEC, 0));
    if (cur.get() < 0) return os_failure("dup", where);
    std::string path(where);
    while (!dir_rel.empty()) {
        auto slash = dir_rel.find('/');
        std::string comp(dir_rel.substr(0, slash));
        dir_rel = slash == std::string_view::npos ? std::string_view{} : dir_rel.substr(slash + 1);
        path = join(path, comp);
        if (create) {
            if (::mkdirat(cur.get(), comp.c_str(), 0700) == 0) {
                // A new directory entry is durable only once its parent is synced.
                if (::fsync(cur.get()) != 0) return os_failure("fsync directory", where);
            } else if (errno != EEXIST) {
                return os_failure("mkdir", path);
            }
        }
        unique_fd next(::openat(cur.get(), comp.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        if (next.get() < 0) return os_failure("open directory", path);
        cur = std::move(next);
    }
    return cur;
}

result<std::string> read_file(int dir, std::string_view name, std::string_view where) {
    std::string path = join(where, name);
    unique_fd fd(::openat(dir, std::string(name).c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK));
    if (fd.get() < 0) return os_failure("open", path);
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) return os_failure("stat", path);
    if (!S_ISREG(st.st_mode)) {
        errno = EINVAL;
        return os_failure("read (not a regular file)", path);
    }
    std::string out;
    char buf[16384];
    while (true) {
        ssize_t n = ::read(fd.get(), buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return os_failure("read", path);
        if (n == 0) break;
        out.append(buf, static_cast<std::size_t>(n));
    }
    return out;
}

result<std::string> write_temp(int dir, std::string_view content, mode_t mode, std::string_view where) {
    std::string name = temp_name();
    std::string path = join(where, name);
    unique_fd fd(::openat(dir, name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode));
    if (fd.get() < 0) return os_failure("create", path);
    auto cleanup = [&](std::string_view op) {
        auto f = os_failure(op, path);
        ::unlinkat(dir, name.c_str(), 0);
        return f;
    };
    if (::fchmod(fd.get(), mode) != 0) return cleanup("chmod");  // the umask may have removed bits
    while (!content.empty()) {
        ssize_t n = ::write(fd.get(), content.data(), content.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return cleanup("write");
        content.remove_prefix(static_cast<std::size_t>(n));
    }
    if (::fsync(fd.get()) != 0) return cleanup("fsync");
    if (::close(fd.release()) != 0) return cleanup("close");
    return name;
}

result<void> fsync_dir(int dir, std::string_view where) {
    if (::fsync(dir) != 0) return os_failure("fsync directory", where);
    return {};
}

result<void> remove_tree(int dir, std::string_view name, std::string_view where) {
    std::string n(name);
    std::string path = join(where, name);
    if (::unlinkat(dir, n.c_str(), 0) == 0 || errno == ENOENT) return {};
    if (errno != EISDIR && errno != EPERM) return os_failure("remove", path);
    auto sub = open_dir(dir, name, false, where);
    if (!sub) return sub.error() == errc::not_found ? result<void>{} : result<void>{sub.error()};
    auto entries = read_dir(sub->get(), path);
    if (!entries) return entries.error();
    for (const auto& e : *entries) {
        if (auto r = remove_tree(sub->get(), e.name, path); !r) return r;
    }
    if (::unlinkat(dir, n.c_str(), AT_REMOVEDIR) != 0 && errno != ENOENT) return os_failure("remove directory", path);
    return {};
}

result<std::vector<dir_entry>> read_dir(int dir, std::string_view where) {
    int copy = ::openat(dir, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (copy < 0) return os_failure("open directory", where);
    DIR* d = ::fdopendir(copy);
    if (d == nullptr) {
        auto ec = os_failure("open directory", where);
        ::close(copy);
        return ec;
    }
    std::vector<dir_entry> out;
    while (true) {
        errno = 0;
        dirent* e = ::readdir(d);
        if (e == nullptr) break;
        std::string_view nm = e->d_name;
        if (nm == "." || nm == "..") continue;
        dir_entry de{std::string(nm), {}};
        if (::fstatat(dir, e->d_name, &de.st, AT_SYMLINK_NOFOLLOW) != 0) {
            if (errno == ENOENT) continue;  // removed meanwhile
            auto ec = os_failure("stat", join(where, nm));
            ::closedir(d);
            return ec;
        }
        out.push_back(std::move(de));
    }
    if (errno != 0) {
        auto ec = os_failure("read directory", where);
        ::closedir(d);
        return ec;
    }
    ::closedir(d);
    std::sort(out.begin(), out.end(), [](const dir_entry& a, const dir_entry& b) { return a.name < b.name; });
    return out;
}

}  // namespace certman::storage::detail
