// The files deployer (contract in the header).
#include "certman/deploy/files_deployer.hpp"

#include <sys/stat.h>

#include <set>
#include <stdexcept>

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

class files_deployer final : public step_deployer {
public:
    files_deployer(asio::any_io_executor ex, std::string name, const files_deployer_options& cfg)
        : step_deployer(std::string(cfg.kind), std::move(name)), ex_(std::move(ex)), cfg_(cfg) {}

private:

    std::string path_of(const std::string& name) const { return cfg_.directory + "/" + name; }

    awaitable<result<deploy_outcome>> run(const storage::certificate_bundle& bundle) override {
        auto owner = resolve_file_owner(cfg_.owner, cfg_.group);
        if (!owner) co_return fail("owner/group", owner.error());
        std::vector<std::string> written;
        for (const auto& f : files_for(cfg_, bundle)) {
            if (file_is_current(path_of(f.name), f.content, f.mode, *owner)) continue;
            if (auto w = install_file(path_of(f.name), f.content, f.mode, *owner); !w)
                co_return fail("write " + f.name, w.error());
            written.push_back(f.name);
        }
        std::string detail = written.empty() ? "files in " + cfg_.directory + " already current"
                                             : "wrote " + command_line(written) + " in " + cfg_.directory;
        if (cfg_.reload_command.empty()) co_return deploy_outcome{!written.empty(), detail};
        auto mark = path_of(pending_mark);
        if (!written.empty()) {
            if (auto m = install_file(mark, "", 0600, {}); !m) co_return fail("mark reload pending", m.error());
        } else if (!file_exists(mark)) {
            co_return deploy_outcome{false, detail};
        }
        auto reload = co_await reload_now();
        if (!reload) co_return reload.error();
        if (auto m = remove_file(mark); !m) co_return fail("clear reload mark", m.error());
        co_return deploy_outcome{true, detail + "; reload `" + command_line(cfg_.reload_command) + "` exited 0"};
    }

    static bool file_exists(const std::string& path) {
        struct stat st{};
        return ::stat(path.c_str(), &st) == 0;
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
};

bool plain_name(const std::string& n) {
    return n != "." && n != ".." && n.find('/') == std::string::npos && n.find('\0') == std::string::npos;
}

}  // namespace

std::unique_ptr<deployer> make_files_deployer(asio::any_io_executor executor, std::string name,
                                              const files_deployer_options& config) {
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
    return std::make_unique<files_deployer>(std::move(executor), std::move(name), config);
}

}  // namespace certman::deploy
