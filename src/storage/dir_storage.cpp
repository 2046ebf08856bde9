#include "certman/storage/dir_storage.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <memory>
#include <stdexcept>
#include <system_error>

#include "certman/core/blocking_pool.hpp"
#include "certman/storage/keys.hpp"
#include "posix_fs.hpp"

namespace certman::storage {
namespace {

using boost::asio::awaitable;
using detail::unique_fd;

constexpr mode_t file_mode = 0600;
constexpr std::time_t stale_temp_age_seconds = 3600;

bool is_reserved_top(std::string_view component) noexcept {
    return component == "live" || component == "archive";
}

std::string_view first_component(std::string_view key) noexcept { return key.substr(0, key.find('/')); }

// The open root: immutable once opened, shared by the storage and every job still running on the blocking
// pool, so a job never touches a destroyed storage.
struct dir_root {
    std::string path;  // display path, e.g. "/var/lib/certman"
    unique_fd fd;
};
using root_ref = std::shared_ptr<const dir_root>;

// "<op> <key>: <why>", e.g. "store certificates/a.json: write /var/lib/certman/...: No space left on device".
failure failed(std::string_view op, std::string_view key, const failure& why) {
    return why.context(std::string(op) + ' ' + std::string(key));
}
bool key_ok(std::string_view key) { return is_valid_key(key) && !is_reserved_top(first_component(key)); }
failure bad_key(std::string_view op, std::string_view key) {
    return {errc::invalid_argument, std::string(op) + ' ' + std::string(key) + ": not a valid storage key"};
}
std::pair<std::string_view, std::string_view> split(std::string_view key) {
    auto slash = key.rfind('/');
    if (slash == std::string_view::npos) return {{}, key};
    return {key.substr(0, slash), key.substr(slash + 1)};
}

result<std::string> load_now(const dir_root& r, std::string_view key) {
    if (!key_ok(key)) return bad_key("load", key);
    auto [dir_rel, name] = split(key);
    auto dir = detail::open_dir(r.fd.get(), dir_rel, false, r.path);
    if (!dir) return failed("load", key, dir.error());
    auto got = detail::read_file(dir->get(), name, r.path + '/' + std::string(dir_rel));
    if (!got) return failed("load", key, got.error());
    return got;
}

result<void> put_now(const dir_root& r, std::string_view key, std::string_view value, bool exclusive) {
    const char* op = exclusive ? "create" : "store";
    if (!key_ok(key)) return bad_key(op, key);
    auto [dir_rel, name] = split(key);
    std::string where = r.path + '/' + std::string(dir_rel);
    auto dir = detail::open_dir(r.fd.get(), dir_rel, true, r.path);
    if (!dir) return failed(op, key, dir.error());
    auto tmp = detail::write_temp(dir->get(), value, file_mode, where);
    if (!tmp) return failed(op, key, tmp.error());
    std::string target(name);
    // link() refuses an existing target (create-if-absent); rename() replaces it atomically (store).
    int rc = exclusive ? ::linkat(dir->get(), tmp->c_str(), dir->get(), target.c_str(), 0)
                       : ::renameat(dir->get(), tmp->c_str(), dir->get(), target.c_str());
    if (rc != 0) {
        auto f = detail::os_failure(exclusive ? "link" : "rename", where + '/' + target);
        ::unlinkat(dir->get(), tmp->c_str(), 0);
        return failed(op, key, f);
    }
    if (exclusive) ::unlinkat(dir->get(), tmp->c_str(), 0);
    if (auto s = detail::fsync_dir(dir->get(), where); !s) return failed(op, key, s.error());
    return {};
}

result<void> remove_now(const dir_root& r, std::string_view key) {
    if (!key_ok(key)) return bad_key("remove", key);
    auto [dir_rel, name] = split(key);
    std::string where = r.path + '/' + std::string(dir_rel);
    auto dir = detail::open_dir(r.fd.get(), dir_rel, false, r.path);
    if (!dir && dir.error() == errc::not_found) return {};
    if (!dir) return failed("remove", key, dir.error());
    if (::unlinkat(dir->get(), std::string(name).c_str(), 0) != 0) {
        if (errno == ENOENT) return {};
        return failed("remove", key, detail::os_failure("remove", where + '/' + std::string(name)));
    }
    if (auto s = detail::fsync_dir(dir->get(), where); !s) return failed("remove", key, s.error());
    return {};
}

result<void> walk(const dir_root& r, int dir, const std::string& rel, std::vector<std::string>& out) {
    std::string where = rel.empty() ? r.path : r.path + '/' + rel;
    auto entries = detail::read_dir(dir, where);
    if (!entries) return entries.error();
    for (const auto& e : *entries) {
        if (e.name.front() == '.' || (rel.empty() && is_reserved_top(e.name))) continue;
        std::string key = rel.empty() ? e.name : rel + '/' + e.name;
        if (S_ISREG(e.st.st_mode)) {
            if (is_valid_key(key)) out.push_back(std::move(key));
        } else if (S_ISDIR(e.st.st_mode)) {
            auto sub = detail::open_dir(dir, e.name, false, where);
            if (!sub && sub.error() == errc::not_found) continue;  // removed meanwhile
            if (!sub) return sub.error();
            if (auto w = walk(r, sub->get(), key, out); !w) return w;
        }  // symlinks and special files are never keys
    }
    return {};
}

result<std::vector<std::string>> list_now(const dir_root& r, std::string_view prefix) {
    if (!is_valid_prefix(prefix))
        return failure{errc::invalid_argument, "list " + std::string(prefix) + ": not a valid prefix"};
    std::vector<std::string> out;
    if (is_reserved_top(first_component(prefix)) && prefix.find('/') != std::string_view::npos) return out;
    auto slash = prefix.rfind('/');
    std::string dir_rel(slash == std::string_view::npos ? std::string_view{} : prefix.substr(0, slash));
    auto dir = detail::open_dir(r.fd.get(), dir_rel, false, r.path);
    if (!dir && dir.error() == errc::not_found) return out;
    if (!dir) return failed("list", prefix, dir.error());
    if (auto w = walk(r, dir->get(), dir_rel, out); !w) return failed("list", prefix, w.error());
    std::erase_if(out, [&](const std::string& k) { return !k.starts_with(prefix); });
    std::sort(out.begin(), out.end());
    return out;
}

// Deletes temp files left by a killed process. Only old ones: a younger one may belong to another
// certman process (a `certman renew` next to the daemon) that is writing right now.
void remove_stale_temps(const dir_root& r) {
    std::vector<std::pair<std::string, int>> stack;  // (display path, fd) of directories still to visit
    std::vector<unique_fd> open;
    auto root = detail::open_dir(r.fd.get(), "", false, r.path);
    if (!root) return;
    std::time_t cutoff = std::time(nullptr) - stale_temp_age_seconds;
    stack.emplace_back(r.path, root->get());
    open.push_back(std::move(*root));
    while (!stack.empty()) {
        auto [where, dir] = stack.back();
        stack.pop_back();
        auto entries = detail::read_dir(dir, where);
        if (!entries) continue;
        for (const auto& e : *entries) {
            if (S_ISREG(e.st.st_mode) && detail::is_temp_name(e.name) && e.st.st_mtime < cutoff) {
                ::unlinkat(dir, e.name.c_str(), 0);
            } else if (S_ISDIR(e.st.st_mode) && e.name.front() != '.' && !(where == r.path && is_reserved_top(e.name))) {
                auto sub = detail::open_dir(dir, e.name, false, where);
                if (!sub) continue;
                stack.emplace_back(where + '/' + e.name, sub->get());
                open.push_back(std::move(*sub));
            }
        }
    }
}

// Every operation is one job of `jobs_`: on the blocking pool, one at a time, in call order (so two writes
// of one key land in the order they were made), or inline without a pool. A job owns copies of the key and
// value and a reference to the root; its result comes back by value.
class dir_storage final : public storage {
public:
    dir_storage(root_ref root, blocking_pool* pool) : root_(std::move(root)), jobs_(pool) {
        jobs_.post([r = root_] { remove_stale_temps(*r); });  // ahead of every operation
    }

    // Each job is named before the co_await: GCC 12 destroys a temporary lambda's captures there twice.
    awaitable<result<std::string>> load(std::string key) override {
        auto job = [r = root_, k = std::move(key)] { return load_now(*r, k); };
        co_return co_await jobs_.call(std::move(job));
    }
    awaitable<result<void>> store(std::string key, std::string value) override {
        auto job = [r = root_, k = std::move(key), v = std::move(value)] { return put_now(*r, k, v, false); };
        co_return co_await jobs_.call(std::move(job));
    }
    awaitable<result<void>> create(std::string key, std::string value) override {
        auto job = [r = root_, k = std::move(key), v = std::move(value)] { return put_now(*r, k, v, true); };
        co_return co_await jobs_.call(std::move(job));
    }
    awaitable<result<void>> remove(std::string key) override {
        auto job = [r = root_, k = std::move(key)] { return remove_now(*r, k); };
        co_return co_await jobs_.call(std::move(job));
    }
    awaitable<result<std::vector<std::string>>> list(std::string prefix) override {
        auto job = [r = root_, p = std::move(prefix)] { return list_now(*r, p); };
        co_return co_await jobs_.call(std::move(job));
    }
    std::string describe() const override { return "dir:" + root_->path; }

private:
    root_ref root_;
    serial_jobs jobs_;
};

unique_fd open_root(const std::filesystem::path& root) {
    std::error_code ec;
    bool existed = std::filesystem::exists(root, ec);
    if (!existed) {
        std::filesystem::create_directories(root, ec);
        if (ec) throw std::runtime_error("storage directory " + root.string() + ": cannot create: " + ec.message());
        std::filesystem::permissions(root, std::filesystem::perms::owner_all, ec);
    }
    unique_fd fd(::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (fd.get() < 0) {
        std::string why = std::strerror(errno);
        throw std::runtime_error("storage directory " + root.string() + ": cannot open: " + why);
    }
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0 || !S_ISDIR(st.st_mode))
        throw std::runtime_error("storage directory " + root.string() + ": not a directory");
    if ((st.st_mode & 022) != 0)
        throw std::runtime_error("storage directory " + root.string() +
                                 " is writable by group or others: chmod 0700 it (anyone could replace certificates)");
    if ((st.st_mode & 005) != 0)
        spdlog::warn("storage directory {} is readable by others; its files stay 0600, but chmod 0700 is advised",
                     root.string());
    return fd;
}

}  // namespace

std::unique_ptr<storage> make_dir_storage(const std::filesystem::path& root, blocking_pool* blocking) {
    auto fd = open_root(root);
    std::string shown = root.lexically_normal().string();
    while (shown.size() > 1 && shown.back() == '/') shown.pop_back();
    return std::make_unique<dir_storage>(std::make_shared<const dir_root>(dir_root{std::move(shown), std::move(fd)}),
                                         blocking);
}

}  // namespace certman::storage
