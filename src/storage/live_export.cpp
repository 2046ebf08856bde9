#include "certman/storage/live_export.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>

#include "certman/core/rfc3339.hpp"
#include "certman/storage/keys.hpp"
#include "posix_fs.hpp"

namespace certman::storage {
namespace {

using detail::unique_fd;
constexpr std::time_t stale_temp_age_seconds = 3600;

struct pem_file {
    const char* name;
    std::string content;
    mode_t mode;
};

std::vector<pem_file> version_files(const certificate_bundle& b) {
    std::string fullchain = b.fullchain_pem();
    std::string key = b.private_key_pem;
    if (!key.empty() && key.back() != '\n') key += '\n';
    return {{"privkey.pem", key, 0600},
            {"cert.pem", b.certificate_pem, 0644},
            {"chain.pem", b.chain_pem, 0644},
            {"fullchain.pem", fullchain, 0644},
            {"combined.pem", fullchain + key, 0600}};
}

bool exists_dir(int dir, const std::string& name) {
    struct stat st {};
    return ::fstatat(dir, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode);
}

// Writes archive/<name>/<version>/ unless it already exists (versions are immutable and complete).
result<void> write_version(int archive, const std::string& where, const std::string& version,
                           const certificate_bundle& b) {
    if (exists_dir(archive, version)) return {};
    std::string tmp = detail::temp_name();
    std::string tmp_where = where + '/' + tmp;
    if (::mkdirat(archive, tmp.c_str(), 0700) != 0) return detail::os_failure("mkdir", tmp_where);
    auto fail_clean = [&](failure f) {
        (void)detail::remove_tree(archive, tmp, where);
        return f;
    };
    auto dir = detail::open_dir(archive, tmp, false, where);
    if (!dir) return fail_clean(dir.error());
    for (const auto& f : version_files(b)) {
        auto t = detail::write_temp(dir->get(), f.content, f.mode, tmp_where);
        if (!t) return fail_clean(t.error());
        if (::renameat(dir->get(), t->c_str(), dir->get(), f.name) != 0)
            return fail_clean(detail::os_failure("rename", tmp_where + '/' + f.name));
    }
    if (auto s = detail::fsync_dir(dir->get(), tmp_where); !s) return fail_clean(s.error());
    if (::renameat(archive, tmp.c_str(), archive, version.c_str()) != 0) {
        // Another publisher renamed the same version in first: theirs is complete, use it.
        if ((errno == EEXIST || errno == ENOTEMPTY) && exists_dir(archive, version)) {
            (void)detail::remove_tree(archive, tmp, where);
            return {};
        }
        return fail_clean(detail::os_failure("rename", where + '/' + version));
    }
    return detail::fsync_dir(archive, where);
}

// Points live/<name> at ../archive/<name>/<version> atomically.
result<void> switch_live(int live, const std::string& where, const std::string& name, const std::string& version) {
    std::string target = "../archive/" + name + '/' + version;
    std::string tmp = detail::temp_name();
    if (::symlinkat(target.c_str(), live, tmp.c_str()) != 0) return detail::os_failure("symlink", where + '/' + tmp);
    if (::renameat(live, tmp.c_str(), live, name.c_str()) != 0) {
        auto f = detail::os_failure("rename", where + '/' + name);
        ::unlinkat(live, tmp.c_str(), 0);
        return f;
    }
    return detail::fsync_dir(live, where);
}

// Removes one version: renamed to a temp name first (atomic), then deleted. A publisher killed while deleting
// leaves a temp leftover (swept later), never a half-deleted version under its own name, which write_version
// would take for complete when the same bundle is published again.
result<void> retire_version(int archive, const std::string& where, const std::string& version) {
    const std::string tmp = detail::temp_name();
    if (::renameat(archive, version.c_str(), archive, tmp.c_str()) != 0)
        return detail::os_failure("rename", where + '/' + version);
    return detail::remove_tree(archive, tmp, where);
}

// Deletes all but the newest `keep` versions (never `current`), and temp leftovers of killed publishers.
result<void> prune_archive(int archive, const std::string& where, const std::string& current, std::size_t keep) {
    auto entries = detail::read_dir(archive, where);
    if (!entries) return entries.error();
    std::time_t cutoff = std::time(nullptr) - stale_temp_age_seconds;
    std::vector<std::string> versions;
    for (const auto& e : *entries) {
        if (detail::is_temp_name(e.name) && e.st.st_mtime < cutoff) {
            if (auto r = detail::remove_tree(archive, e.name, where); !r) return r;
        } else if (e.name.front() != '.' && S_ISDIR(e.st.st_mode)) {
            versions.push_back(e.name);  // read_dir sorts: oldest first
        }
    }
    std::size_t excess = versions.size() > keep ? versions.size() - keep : 0;
    for (std::size_t i = 0; i < excess; ++i) {
        if (versions[i] == current) continue;
        if (auto r = retire_version(archive, where, versions[i]); !r) return r;
    }
    return {};
}

}  // namespace

std::string live_version_name(const certificate_bundle& b) {
    std::string stamp = format_rfc3339(b.obtained_at);  // YYYY-MM-DDTHH:MM:SSZ
    std::erase_if(stamp, [](char c) { return c == '-' || c == ':'; });
    std::string serial = sanitize_component(b.serial.empty() ? "noserial" : b.serial);
    if (serial.size() > 64) serial.resize(64);
    return stamp + '-' + serial;
}

result<void> publish_live(const std::filesystem::path& root, std::string_view raw_name,
                          const certificate_bundle& bundle, std::size_t keep) {
    auto done = [&](result<void> r) -> result<void> {
        if (!r) return r.error().context("publish " + std::string(raw_name));
        return r;
    };
    const std::string name = sanitize_component(raw_name);
    const std::string root_s = root.string();
    unique_fd root_fd(::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (root_fd.get() < 0) return done(detail::os_failure("open directory", root_s));
    auto archive = detail::open_dir(root_fd.get(), "archive/" + name, true, root_s);
    if (!archive) return done(archive.error());
    auto live = detail::open_dir(root_fd.get(), "live", true, root_s);
    if (!live) return done(live.error());

    const std::string version = live_version_name(bundle);
    const std::string archive_where = root_s + "/archive/" + name;
    if (auto r = write_version(archive->get(), archive_where, version, bundle); !r) return done(r);
    if (auto r = switch_live(live->get(), root_s + "/live", name, version); !r) return done(r);
    return done(prune_archive(archive->get(), archive_where, version, keep));
}

}  // namespace certman::storage
