// The files deployer: puts a stored certificate where a local server (nginx, Apache, Postfix, HAProxy
// without its runtime API...) reads it, then asks that server to reload. One deploy() pass:
//   1. resolve owner/group (names via getpwnam_r/getgrnam_r; unknown name → errc::not_found);
//   2. for each configured name (fullchain_name, key_name, cert_name, chain_name; an empty name skips that
//      file) whose content, mode or owner differs: install it atomically (file_install.hpp), the key 0600,
//      the others 0644; chain_name is skipped while the chain is empty;
//   3. if anything changed and reload_command is set: mark the reload pending (a ".certman-reload-pending"
//      file in the directory, so a reload that failed or was interrupted is retried on the next pass even
//      after a restart), run the command (no shell; killed after `timeout`), clear the mark on exit 0.
// changed=false when every file was already current and no reload was pending.
// Steps 1 and 2 and the mark's file operations run on the blocking pool given to make_files_deployer (one job
// each, owning copies of what it reads), so look-ups and fsyncs never hold the io thread; without a pool
// they run inline.
// Errors: errc::not_found (unknown user/group, reload program not found), errc::io_error (a file operation
// failed; the reload command exited non-zero or was killed), errc::timeout (the reload command timed out).
// The failure's message says which step, the exit status and the first lines of the command's stderr.
#pragma once
#include <boost/asio/any_io_executor.hpp>
#include <memory>

#include <string>

#include "certman/deploy/deployer.hpp"
#include "certman/deploy/files_deployer_options.hpp"

namespace certman {
class blocking_pool;
}

namespace certman::deploy {

// Builds the deployer for one [[deployer]] kind = "files" named `name` (deployer::name(), messages). Throws
// std::invalid_argument naming the deployer when directory is empty, a file name is not a plain name (contains '/',
// is "." or ".."), two names are equal, or the timeout is not positive: a startup misconfiguration.
// `blocking` (may be null: inline) outlives the deployer.
std::unique_ptr<deployer> make_files_deployer(boost::asio::any_io_executor executor, std::string name,
                                              const files_deployer_options& config, blocking_pool* blocking = nullptr);

}  // namespace certman::deploy
