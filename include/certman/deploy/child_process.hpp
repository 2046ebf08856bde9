// Running a reload command (e.g. {"systemctl", "reload", "nginx"}) from the daemon's io_context without
// blocking it and without a shell: posix_spawnp with stdin/stdout on /dev/null, stderr captured (bounded),
// every other descriptor closed, default signal dispositions, its own process group. The exit is awaited
// through a pidfd (Linux >= 5.3; a 20 ms waitpid poll otherwise). On timeout the whole process group is
// killed with SIGKILL and reaped. The child never inherits the daemon's environment (it may hold cloud
// secrets): it gets `environment` (NAME=value entries, see child_environment.hpp), by default the allowlist.
#pragma once
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <string>
#include <vector>
#include "certman/core/result.hpp"

namespace certman::deploy {

struct child_exit {
    bool timed_out = false;   // killed after the timeout
    int exit_code = -1;       // when it exited normally, else -1
    int signal = 0;           // when a signal ended it, else 0
    std::string stderr_text;  // the first max_stderr bytes it wrote to stderr
    bool succeeded() const { return !timed_out && exit_code == 0; }
};

// Runs argv (argv[0] looked up in PATH) and waits for it, at most `timeout`. Returns how it ended, whatever
// the exit status. Errors: an empty argv → errc::invalid_argument; spawning failed (no such program, not
// executable) → errc::not_found / errc::io_error, the message holding the OS's ("cannot run x: ...").
boost::asio::awaitable<result<child_exit>> execute_child_process(boost::asio::any_io_executor executor,
                                                            const std::vector<std::string>& argv,
                                                            std::chrono::milliseconds timeout,
                                                            std::size_t max_stderr = 4096,
                                                            const std::vector<std::string>* environment = nullptr);

// One line about how it ended: "exited with status 3", "killed by signal 9", "timed out after 2 s".
std::string describe_child_exit(const child_exit& exit, std::chrono::milliseconds timeout);

}  // namespace certman::deploy
