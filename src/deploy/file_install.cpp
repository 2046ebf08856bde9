// Atomic file installation (contract in the header).
#include "certman/deploy/file_install.hpp"

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <vector>

#include "certman/core/errc.hpp"

namespace certman::deploy {
namespace {

std::string directory_of(const std::string& path) {
    auto slash = path.rfind('/');
    if (slash == std::string::npos) return ".";
    return slash == 0 ? "/" : path.substr(0, slash);
}

failure os_failure(std::string_view call, const std::string& path) {
    return {errc::io_error, std::string(call) + " " + path + ": " + std::strerror(errno)};
}

std::optional<unsigned> as_number(std::string_view s) {
    unsigned v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
    return v;
}

// Closes the descriptor on every path out.
struct fd_guard {
    int fd = -1;
    ~fd_guard() { if (fd >= 0) ::close(fd); }
};

bool write_all(int fd, std::string_view content) {
    while (!content.empty()) {
        auto n = ::write(fd, content.data(), content.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        content.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

result<void> fsync_directory(const std::string& dir) {
    fd_guard d{::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)};
    if (d.fd < 0) return os_failure("open", dir);
    if (::fsync(d.fd) != 0) return os_failure("fsync", dir);
    return {};
}

}  // namespace

result<file_owner> resolve_file_owner(std::string_view user, std::string_view group) {
    file_owner out;
    std::vector<char> buf(16384);
    if (!user.empty()) {
        if (auto n = as_number(user)) {
            out.uid = *n;
        } else {
            passwd pw{}, *found = nullptr;
            std::string name(user);
            if (::getpwnam_r(name.c_str(), &pw, buf.data(), buf.size(), &found) != 0 || !found) {
                return failure{errc::not_found, "unknown user '" + name + "'"};
            }
            out.uid = found->pw_uid;
        }
    }
    if (!group.empty()) {
        if (auto n = as_number(group)) {
            out.gid = *n;
        } else {
            struct group gr{}, *found = nullptr;
            std::string name(group);
            if (::getgrnam_r(name.c_str(), &gr, buf.data(), buf.size(), &found) != 0 || !found) {
                return failure{errc::not_found, "unknown group '" + name + "'"};
            }
            out.gid = found->gr_gid;
        }
    }
    return out;
}

bool file_is_current(const std::string& path, std::string_view content, mode_t mode, const file_owner& owner) {
    fd_guard f{::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW)};
    if (f.fd < 0) return false;
    struct stat st{};
    if (::fstat(f.fd, &st) != 0 || !S_ISREG(st.st_mode)) return false;
    if ((st.st_mode & 07777) != mode) return false;
    if (owner.uid && st.st_uid != *owner.uid) return false;
    if (owner.gid && st.st_gid != *owner.gid) return false;
    if (static_cast<std::size_t>(st.st_size) != content.size()) return false;
    std::string existing(content.size(), '\0');
    std::size_t got = 0;
    while (got < existing.size()) {
        auto n = ::read(f.fd, existing.data() + got, existing.size() - got);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        got += static_cast<std::size_t>(n);
    }
    return existing == content;
}

result<void> install_file(const std::string& path, std::string_view content, mode_t mode, const file_owner& owner) {
    auto tmp = path + ".tmp-" + std::to_string(::getpid());
    ::unlink(tmp.c_str());  // a leftover from a crashed run of this process id
    fd_guard f{::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode)};
    if (f.fd < 0) return os_failure("create", tmp);
    auto fail = [&](std::string_view call) {
        auto e = os_failure(call, tmp);
        ::unlink(tmp.c_str());
        return e;
    };
    // fchmod as well: the umask may have narrowed the mode given to open().
    if (::fchmod(f.fd, mode) != 0) return fail("chmod");
    if ((owner.uid || owner.gid) &&
        ::fchown(f.fd, owner.uid ? *owner.uid : static_cast<uid_t>(-1), owner.gid ? *owner.gid : static_cast<gid_t>(-1)) != 0)
        return fail("chown");
    if (!write_all(f.fd, content)) return fail("write");
    if (::fsync(f.fd) != 0) return fail("fsync");
    if (::rename(tmp.c_str(), path.c_str()) != 0) return fail("rename to " + path + " from");
    return fsync_directory(directory_of(path));
}

result<void> remove_file(const std::string& path) {
    if (::unlink(path.c_str()) != 0) {
        if (errno == ENOENT) return {};
        return os_failure("unlink", path);
    }
    return fsync_directory(directory_of(path));
}

}  // namespace certman::deploy
