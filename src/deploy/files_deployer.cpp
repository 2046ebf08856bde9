// The files deployer (contract in the header).
#include "certman/deploy/files_deployer.hpp"

#include <sys/stat.h>

#include <optional>
#include <set>
#include <utility>
#include <stdexcept>

#include "certman/core/blocking_pool.hpp"
#include "certman/core/errc.hpp"
#include "certman/deploy/child_environment.hpp"
#include "certman/deploy/child_process.hpp"
#include "certman/deploy/file_install.hpp"
#include "certman/deploy/step_deployer.hpp"

extern char** environ;

namespace certman::deploy {
namespace asio = boost::asio;
using asio::awaitable;

namespace {

constexpr const char* pending_mark = ".certman-reload-pending";

struct wanted_file {
    std::string name;
    std::string content;
    mode_t mode;
};

std::vector<wanted_file> files_for(const files_deployer_options& cfg, const storage::certificate_bundle& b) {
    std::vector<wanted_file> out;
    auto add = [&](const std::string& name, std::string content, mode_t mode) {
        if (!name.empty()) out.push_back({name, std::move(content), mode});
    };
    // The key first: a reader that sees the new certificate then finds its key already in place.
    add(cfg.key_name, b.private_key_pem, 0600);
    add(cfg.fullchain_name, b.fullchain_pem(), 0644);
    add(cfg.cert_name, b.certificate_pem, 0644);
    if (!b.chain_pem.empty()) add(cfg.chain_name, b.chain_pem, 0644);
    return out;
}

// The command as one line for messages: argv joined by spaces.
std::string command_line(const std::vector<std::string>& argv) {
    std::string out;
    for (const auto& a : argv) out += (out.empty() ? "" : " ") + a;
    return out;
}

// The first lines of stderr, on one line, at most 300 characters.
std::string stderr_excerpt(const std::string& text) {
    std::string out;
    for (char c : text) {
        if (out.size() >= 300) return out + "...";
        out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

bool file_exists(const std::string& path) {
    struct stat st{};
    return ::stat(path.c_str(), &st) == 0;
}

// What the file part of a deploy did: it runs as one job on the blocking pool (user and group look-ups,
// writes, fsyncs), owning copies of everything it reads.
struct file_phase {
    std::vector<std::string> written;
    bool reload_due = false;                                // files changed now, or a mark left by an earlier pass
    std::optional<std::pair<std::string, failure>> failed;  // the step and its cause
};

file_phase write_files(const files_deployer_options& cfg, const std::vector<wanted_file>& files) {
    file_phase out;
    auto owner = resolve_file_owner(cfg.owner, cfg.group);
    if (!owner) return out.failed.emplace("owner/group", owner.error()), out;
    for (const auto& f : files) {
        const auto path = cfg.directory + "/" + f.name;
        if (file_is_current(path, f.content, f.mode, *owner)) continue;
        if (auto w = install_file(path, f.content, f.mode, *owner); !w)
            return out.failed.emplace("write " + f.name, w.error()), out;
        out.written.push_back(f.name);
    }
    if (cfg.reload_command.empty()) return out;
    const auto mark = cfg.directory + "/" + pending_mark;
    if (out.written.empty()) return out.reload_due = file_exists(mark), out;
    if (auto m = install_file(mark, "", 0600, {}); !m) return out.failed.emplace("mark reload pending", m.error()), out;
    out.reload_due = true;
    return out;
}

class files_deployer final : public step_deployer {
public:
    files_deployer(asio::any_io_executor ex, std::string name, const files_deployer_options& cfg, blocking_pool* pool)
        : step_deployer(std::string(cfg.kind), std::move(name)), ex_(std::move(ex)), cfg_(cfg), jobs_(pool) {}

private:
    awaitable<result<deploy_outcome>> run(const storage::certificate_bundle& bundle) override {
        // Named, not a temporary inside co_await: GCC 12 destroys such a lambda's captures twice.
        auto write = [cfg = cfg_, files = files_for(cfg_, bundle)] { return write_files(cfg, files); };
        auto phase = co_await jobs_.call(std::move(write));
        if (phase.failed) co_return fail(phase.failed->first, phase.failed->second);
        const auto& written = phase.written;
        std::string detail = written.empty() ? "files in " + cfg_.directory + " already current"
                                             : "wrote " + command_line(written) + " in " + cfg_.directory;
        if (cfg_.reload_command.empty()) co_return deploy_outcome{!written.empty(), detail};
        if (!phase.reload_due) co_return deploy_outcome{false, detail};
        auto reload = co_await reload_now();
        if (!reload) co_return reload.error();
        auto clear = [mark = cfg_.directory + "/" + pending_mark] { return remove_file(mark); };
        auto cleared = co_await jobs_.call(std::move(clear));
        if (!cleared) co_return fail("clear reload mark", cleared.error());
        co_return deploy_outcome{true, detail + "; reload `" + command_line(cfg_.reload_command) + "` exited 0"};
    }

    awaitable<result<void>> reload_now() {
        auto step = "reload `" + command_line(cfg_.reload_command) + "`";
        auto timeout = std::chrono::duration_cast<std::chrono::milliseconds>(cfg_.timeout);
        const auto env = child_environment(environ, cfg_.pass_environment, cfg_.environment);
        auto exit = co_await execute_child_process(ex_, cfg_.reload_command, timeout, 4096, &env);
        if (!exit) co_return fail(step, exit.error());
        if (exit->succeeded()) co_return result<void>{};
        auto text = describe_child_exit(*exit, timeout);
        if (!exit->stderr_text.empty()) text += "; stderr: " + stderr_excerpt(exit->stderr_text);
        co_return fail(step, text, exit->timed_out ? errc::timeout : errc::io_error);
    }

    asio::any_io_executor ex_;
    files_deployer_options cfg_;
    serial_jobs jobs_;  // file work on the blocking pool, in call order (inline without a pool)
};

bool plain_name(const std::string& n) {
    return n != "." && n != ".." && n.find('/') == std::string::npos && n.find('\0') == std::string::npos;
}

}  // namespace

std::unique_ptr<deployer> make_files_deployer(asio::any_io_executor executor, std::string name,
                                              const files_deployer_options& config, blocking_pool* blocking) {
    auto bad = [&](const std::string& why) {
        return std::invalid_argument("deployer " + name + " (files): " + why);
    };
    if (config.directory.empty()) throw bad("directory is required");
    std::set<std::string> seen;
    for (const auto* n : {&config.fullchain_name, &config.key_name, &config.cert_name, &config.chain_name}) {
        if (n->empty()) continue;
        if (!plain_name(*n)) throw bad("file name '" + *n + "' must be a plain name inside directory");
        if (*n == pending_mark) throw bad("file name '" + *n + "' is reserved");
        if (!seen.insert(*n).second) throw bad("file name '" + *n + "' is used twice");
    }
    if (config.timeout.count() <= 0) throw bad("timeout must be positive");
    return std::make_unique<files_deployer>(std::move(executor), std::move(name), config, blocking);
}

}  // namespace certman::deploy
