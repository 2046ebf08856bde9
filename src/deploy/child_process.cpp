// Reload commands as child processes (contract in the header).
#include "certman/deploy/child_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <cerrno>
#include <cstring>
#include <memory>

#include "certman/core/errc.hpp"
#include "certman/deploy/child_environment.hpp"

extern char** environ;

namespace certman::deploy {
namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;

namespace {

// The stderr pipe's read end and what came out of it; shared with the reader coroutine.
struct capture {
    asio::posix::stream_descriptor pipe;
    std::string text;
    std::size_t limit;
    void take(const char* data, std::size_t n) { text.append(data, std::min(n, limit - std::min(limit, text.size()))); }
};

asio::awaitable<void> read_stderr(std::shared_ptr<capture> c) {
    char buf[4096];
    for (;;) {
        boost::system::error_code ec;
        auto n = co_await c->pipe.async_read_some(asio::buffer(buf), asio::redirect_error(asio::use_awaitable, ec));
        if (ec) co_return;  // end of file, or closed by execute_child_process
        c->take(buf, n);
    }
}

// Reads what the child wrote but the reader has not seen yet, then closes the pipe (ending the reader).
void drain_and_close(capture& c) {
    boost::system::error_code ec;
    c.pipe.non_blocking(true, ec);
    char buf[4096];
    while (!ec) {
        auto n = c.pipe.read_some(asio::buffer(buf), ec);
        if (!ec) c.take(buf, n);
    }
    c.pipe.close(ec);
}

// Waits until the child has exited (without reaping it).
asio::awaitable<void> wait_exit(asio::any_io_executor ex, pid_t pid) {
    int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
    if (pidfd >= 0) {
        asio::posix::stream_descriptor d(ex, pidfd);
        boost::system::error_code ec;
        co_await d.async_wait(asio::posix::stream_descriptor::wait_read, asio::redirect_error(asio::use_awaitable, ec));
        co_return;
    }
    asio::steady_timer t(ex);
    siginfo_t info{};
    for (;;) {
        info.si_pid = 0;
        if (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) != 0 || info.si_pid != 0)
            co_return;
        t.expires_after(std::chrono::milliseconds(20));
        co_await t.async_wait(asio::use_awaitable);
    }
}

// True once the child has exited (not reaped: waitpid below does that without blocking).
bool has_exited(pid_t pid) {
    siginfo_t info{};
    return ::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) != 0 || info.si_pid != 0;
}

// posix_spawnp with the descriptors and signals described in the header; returns errno on failure.
int spawn(const std::vector<std::string>& argv, const std::vector<std::string>& env, int stderr_fd, pid_t& pid) {
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    std::vector<char*> envp;
    for (const auto& e : env) envp.push_back(const_cast<char*>(e.c_str()));
    envp.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    posix_spawn_file_actions_init(&fa);
    posix_spawnattr_init(&attr);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, stderr_fd, 2);
    posix_spawn_file_actions_addclosefrom_np(&fa, 3);  // the daemon's sockets are not the child's business
    sigset_t none, defaults;
    sigemptyset(&none);
    sigfillset(&defaults);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    posix_spawnattr_setpgroup(&attr, 0);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
    int rc = ::posix_spawnp(&pid, args[0], &fa, &attr, args.data(), envp.data());
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    return rc;
}

}  // namespace

asio::awaitable<result<child_exit>> execute_child_process(asio::any_io_executor executor,
                                                     const std::vector<std::string>& argv,
                                                     std::chrono::milliseconds timeout, std::size_t max_stderr,
                                                     const std::vector<std::string>* environment) {
    if (argv.empty() || argv[0].empty()) co_return failure{errc::invalid_argument, "empty command"};
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) co_return failure{errc::io_error, std::string("pipe: ") + std::strerror(errno)};
    pid_t pid = 0;
    const auto env = environment ? *environment : child_environment(environ, {}, {});
    int rc = spawn(argv, env, fds[1], pid);
    ::close(fds[1]);
    auto cap = std::make_shared<capture>(capture{asio::posix::stream_descriptor(executor, fds[0]), {}, max_stderr});
    if (rc != 0)
        co_return failure{rc == ENOENT ? errc::not_found : errc::io_error,
                          "cannot run " + argv[0] + ": " + std::strerror(rc)};
    asio::co_spawn(executor, read_stderr(cap), asio::detached);
    asio::steady_timer timer(executor, timeout);
    auto raced = co_await (wait_exit(executor, pid) || timer.async_wait(asio::use_awaitable));
    child_exit out;
    // Not exited: the timeout, or the caller's cancellation (both branches then end with operation_aborted).
    if (raced.index() == 1 || !has_exited(pid)) {
        out.timed_out = raced.index() == 1;
        ::kill(-pid, SIGKILL);  // its process group: a shell script's children go too
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    drain_and_close(*cap);
    out.stderr_text = cap->text;
    if (WIFEXITED(status)) out.exit_code = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) out.signal = WTERMSIG(status);
    co_return out;
}

std::string describe_child_exit(const child_exit& exit, std::chrono::milliseconds timeout) {
    if (exit.timed_out) return "timed out after " + std::to_string(timeout.count()) + " ms (killed)";
    if (exit.signal != 0) return "killed by signal " + std::to_string(exit.signal);
    return "exited with status " + std::to_string(exit.exit_code);
}

}  // namespace certman::deploy
